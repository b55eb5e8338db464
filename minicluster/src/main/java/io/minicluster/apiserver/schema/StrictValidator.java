package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a decoded object against its {@link Schema} as Kubernetes' strict JSON decoding does
 * (sigs.k8s.io/json): fields the type does not declare, and values of the wrong JSON type.
 *
 * <p>Unknown-field paths are written as Kubernetes writes them: JSON names joined by dots, array indices in
 * brackets, map keys as a path element ({@code spec.containers[0].imagePullPolicyy}). Type errors follow Go's
 * encoding/json UnmarshalTypeError text: {@code json: cannot unmarshal string into Go struct field
 * PodSpec.spec.containers of type []v1.Container} (the path has no indices, the struct is the innermost one).
 * Kinds without a known schema are not checked (empty results).
 */
public final class StrictValidator {
  /** sigs.k8s.io/json stops collecting strict errors after this many. */
  public static final int MAX_ERRORS = 100;

  private StrictValidator() {}

  /** Paths of the fields of object that its kind does not declare, in document order, at most {@value MAX_ERRORS}. */
  public static List<String> unknownFields(String apiVersion, String kind, JsonNode object) {
    requireNonNull(object, "object is null");
    Optional<Schema> schema = Schemas.forKind(apiVersion, kind);
    List<String> paths = new ArrayList<>();
    schema.ifPresent(s -> unknown(s, object, "", paths));
    return paths;
  }

  /** The {@code unknown field "path"} messages of {@link #unknownFields}. */
  public static List<String> unknownFieldMessages(String apiVersion, String kind, JsonNode object) {
    return unknownFields(apiVersion, kind, object).stream().map(path -> "unknown field \"" + path + "\"").toList();
  }

  /**
   * Go decoding errors for values of the wrong JSON type ({@code json: cannot unmarshal ...}), in document order.
   * Go stops at the first; callers answering a request use the first element.
   */
  public static List<String> typeErrors(String apiVersion, String kind, JsonNode object) {
    return typeMismatches(apiVersion, kind, object).stream().map(TypeMismatch::message).toList();
  }

  /** The values of the wrong JSON type, in document order, with where they are and what the schema wants there. */
  public static List<TypeMismatch> typeMismatches(String apiVersion, String kind, JsonNode object) {
    requireNonNull(object, "object is null");
    Optional<Schema> schema = Schemas.forKind(apiVersion, kind);
    List<TypeMismatch> mismatches = new ArrayList<>();
    schema.ifPresent(s -> types(s, object, new ArrayList<>(), s.structName(), mismatches));
    return mismatches;
  }

  /**
   * A value of the wrong JSON type.
   *
   * @param path where it is: field names (String) and array indices (Integer) from the object's root
   * @param schema what the type wants there
   * @param value the value found
   * @param message Go's encoding/json error for it, as the apiserver's JSON decoder reports it
   */
  public record TypeMismatch(List<Object> path, Schema schema, JsonNode value, String message) {
    public TypeMismatch {
      path = List.copyOf(path);
      requireNonNull(schema, "schema is null");
      requireNonNull(value, "value is null");
      requireNonNull(message, "message is null");
    }
  }

  private static void unknown(Schema schema, JsonNode value, String path, List<String> paths) {
    if (value == null || value.isNull() || paths.size() >= MAX_ERRORS) {
      return;
    }
    switch (schema.kind()) {
      case OBJECT -> {
        if (!value.isObject()) {
          return;
        }
        Map<String, Schema> properties = schema.properties();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext() && paths.size() < MAX_ERRORS) {
          Map.Entry<String, JsonNode> field = fields.next();
          String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
          Schema property = properties.get(field.getKey());
          if (property == null) {
            paths.add(childPath);
          } else {
            unknown(property, field.getValue(), childPath, paths);
          }
        }
      }
      case MAP -> {
        if (!value.isObject()) {
          return;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
          Map.Entry<String, JsonNode> entry = entries.next();
          unknown(schema.items(), entry.getValue(), path + "." + entry.getKey(), paths);
        }
      }
      case ARRAY -> {
        if (!value.isArray()) {
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          unknown(schema.items(), value.get(i), path + "[" + i + "]", paths);
        }
      }
      default -> {
        // scalars and free-form JSON have no fields to check
      }
    }
  }

  private static void types(Schema schema, JsonNode value, List<Object> path, String struct,
      List<TypeMismatch> mismatches) {
    if (value == null || value.isNull()) {
      return;
    }
    String problem = mismatch(schema, value);
    if (problem != null) {
      String message;
      if (problem.equals(JSON_TYPE_MISMATCH)) {
        message = "json: cannot unmarshal " + jsonType(value) + " into Go " + location(struct, path) + " of type "
            + schema.goType();
      } else if (problem.equals(NUMBER_MISMATCH)) {
        message = "json: cannot unmarshal number " + value.asText() + " into Go " + location(struct, path)
            + " of type " + schema.goType();
      } else {
        message = problem;
      }
      mismatches.add(new TypeMismatch(path, schema, value, message));
      return;
    }
    switch (schema.kind()) {
      case OBJECT -> {
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          Schema property = schema.properties().get(field.getKey());
          if (property != null) {
            path.add(field.getKey());
            types(property, field.getValue(), path, schema.structName(), mismatches);
            path.remove(path.size() - 1);
          }
        }
      }
      case MAP -> {
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
          Map.Entry<String, JsonNode> entry = entries.next();
          path.add(entry.getKey());
          types(schema.items(), entry.getValue(), path, struct, mismatches);
          path.remove(path.size() - 1);
        }
      }
      case ARRAY -> {
        for (int i = 0; i < value.size(); i++) {
          path.add(i);
          types(schema.items(), value.get(i), path, struct, mismatches);
          path.remove(path.size() - 1);
        }
      }
      default -> {
        // leaf
      }
    }
  }

  private static final String JSON_TYPE_MISMATCH = "";
  private static final String NUMBER_MISMATCH = "number";

  /** Null when value fits schema; {@link #JSON_TYPE_MISMATCH} for a JSON type error; else a full error text. */
  private static String mismatch(Schema schema, JsonNode value) {
    switch (schema.kind()) {
      case OBJECT:
      case MAP:
        return value.isObject() ? null : JSON_TYPE_MISMATCH;
      case ARRAY:
        return value.isArray() ? null : JSON_TYPE_MISMATCH;
      case STRING:
      case BYTES:
      case DURATION:
        return value.isTextual() ? null : JSON_TYPE_MISMATCH;
      case BOOLEAN:
        return value.isBoolean() ? null : JSON_TYPE_MISMATCH;
      case NUMBER:
        return value.isNumber() ? null : JSON_TYPE_MISMATCH;
      case INTEGER:
        return integerMismatch(schema, value);
      case QUANTITY:
        return value.isTextual() || value.isNumber() ? null
            : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
      case INT_OR_STRING:
        return value.isTextual() || value.isIntegralNumber() ? null : JSON_TYPE_MISMATCH;
      case TIME:
      case MICRO_TIME:
        return timeMismatch(value);
      case FREE_FORM:
      case ANY:
      default:
        return null;
    }
  }

  /** Go decodes only integer literals into integer fields: 1.0 and 1e3 are numbers it cannot unmarshal there. */
  private static String integerMismatch(Schema schema, JsonNode value) {
    if (!value.isNumber()) {
      return JSON_TYPE_MISMATCH;
    }
    if (!value.isIntegralNumber()) {
      return NUMBER_MISMATCH;
    }
    BigInteger integer = value.bigIntegerValue();
    int bits = schema.goType().equals("int64") ? 63 : 31;
    return integer.bitLength() > bits ? NUMBER_MISMATCH : null;
  }

  private static String timeMismatch(JsonNode value) {
    if (!value.isTextual()) {
      return JSON_TYPE_MISMATCH;
    }
    try {
      OffsetDateTime.parse(value.asText());
      return null;
    } catch (DateTimeParseException e) {
      return "parsing time \"" + value.asText() + "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \""
          + value.asText() + "\" as \"2006\"";
    }
  }

  /** Go's "struct field PodSpec.spec.containers" (the innermost struct, the dotted path without indices). */
  private static String location(String struct, List<Object> path) {
    StringBuilder fields = new StringBuilder();
    for (Object element : path) {
      if (element instanceof String name) {
        fields.append(fields.length() == 0 ? "" : ".").append(name);
      }
    }
    if (struct == null || fields.length() == 0) {
      return "value";
    }
    return "struct field " + struct + "." + fields;
  }

  /** The JSON type word of Go's UnmarshalTypeError: string, number, bool, array, object. */
  static String jsonType(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    if (value.isArray()) {
      return "array";
    }
    return "object";
  }
}
