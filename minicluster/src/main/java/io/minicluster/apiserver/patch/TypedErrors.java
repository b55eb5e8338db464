package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.apiserver.schema.StrictValidator.TypeMismatch;

/**
 * How the apiserver's decoders other than encoding/json word a value of the wrong type: the unstructured converter
 * that strategic merge patches go through (runtime.DefaultUnstructuredConverter.FromUnstructured), and
 * structured-merge-diff, which server-side apply converts the apply configuration with.
 */
final class TypedErrors {
  private TypedErrors() {}

  /**
   * The unstructured converter's error: it restores structs, maps and slices only from maps and slices, and scalars
   * through reflect conversions between the JSON kinds (Go kinds string, bool, int64, float64, map, slice); types with
   * their own JSON decoding (Time, Duration, IntOrString, Quantity) go through encoding/json.
   */
  static String converter(TypeMismatch mismatch) {
    Schema schema = mismatch.schema();
    JsonNode value = mismatch.value();
    String from = goKind(value);
    return switch (schema.kind()) {
      case OBJECT -> "cannot restore struct from: " + from;
      case MAP -> "cannot restore map from " + from;
      case ARRAY, BYTES -> "cannot restore slice from " + from;
      case STRING -> value.isIntegralNumber() ? "cannot convert int64 to " + schema.goType()
          : "unrecognized type: string";
      case INTEGER -> value.isNumber() ? "cannot convert float64 to " + schema.goType()
          : "unrecognized type: " + schema.goType();
      case NUMBER -> "unrecognized type: float64";
      case BOOLEAN -> "unrecognized type: bool";
      case TIME, MICRO_TIME, DURATION -> value.isTextual() ? mismatch.message()
          : "json: cannot unmarshal " + Bodies.goJsonType(value) + " into Go value of type string";
      case INT_OR_STRING -> value.isNumber()
          ? "json: cannot unmarshal number " + value.asText() + " into Go value of type int32"
          : "json: cannot unmarshal " + Bodies.goJsonType(value) + " into Go value of type int32";
      default -> mismatch.message();
    };
  }

  /**
   * structured-merge-diff's validation error with its field path: {@code .spec.replicas: expected numeric (int or
   * float), got string}. Values it accepts as scalars but the Go type does not (a fraction for an integer, a malformed
   * time) fail when the result is decoded: the Go decoding error is given then.
   */
  static String structuredMergeDiff(TypeMismatch mismatch) {
    JsonNode value = mismatch.value();
    String problem = switch (mismatch.schema().kind()) {
      case OBJECT, MAP -> "expected map, got &{" + GoValues.format(value) + "}";
      case ARRAY -> "expected list, got &{" + GoValues.format(value) + "}";
      case STRING, BYTES, TIME, MICRO_TIME, DURATION -> value.isTextual() ? mismatch.message()
          : "expected string, got &value.valueUnstructured{Value:" + GoValues.formatSharp(value) + "}";
      case INTEGER, NUMBER -> value.isNumber() ? mismatch.message()
          : "expected numeric (int or float), got " + GoValues.typeName(value);
      case BOOLEAN -> "expected boolean, got &{" + GoValues.format(value) + "}";
      case QUANTITY, INT_OR_STRING -> value.isContainerNode()
          ? "expected any scalar, got &{" + GoValues.format(value) + "}" : mismatch.message();
      default -> mismatch.message();
    };
    return fieldPath(mismatch) + ": " + problem;
  }

  /** fieldpath.Path's text: ".spec.containers[0].image". */
  private static String fieldPath(TypeMismatch mismatch) {
    StringBuilder path = new StringBuilder();
    for (Object element : mismatch.path()) {
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append('.').append(element);
      }
    }
    return path.toString();
  }

  /** reflect.Kind of a decoded JSON value, as the converter's errors name it. */
  private static String goKind(JsonNode value) {
    if (value.isObject()) {
      return "map";
    }
    if (value.isArray()) {
      return "slice";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return value.isIntegralNumber() ? "int64" : "float64";
  }
}
