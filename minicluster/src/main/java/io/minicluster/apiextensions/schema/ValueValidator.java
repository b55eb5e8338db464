package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoText;
import io.minicluster.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates a value against a CRD schema as the apiserver's OpenAPI schema validator (k8s.io/kube-openapi's validate
 * package) does, with its messages ("spec.replicas in body must be of type integer: \"string\"") turned into field
 * errors as apiextensions-apiserver's kubeOpenAPIResultToFieldErrors turns them. Each node runs the checks that apply
 * to the value's JSON kind: type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object.
 */
final class ValueValidator {
  private static final String IN = "body";

  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  /**
   * The errors of {@code value} against {@code schema}. {@code prefix} is the field path the error paths start from
   * ("" for a custom resource, as the apiserver's nil path), {@code name} the validator's own path of the value.
   */
  List<FieldError> validate(JsonNode schema, JsonNode value, String prefix, String name) {
    return validate(schema, value, null, prefix, name);
  }

  /**
   * As {@link #validate(JsonNode, JsonNode, String, String)} for an update from {@code old} (null on create), with
   * the apiserver's validation ratcheting (CRDValidationRatcheting): a value that deep-equals its correlated old
   * value (same property, same map key, list-type map item with the same keys, the same set element) is not
   * validated, so an object invalid under a tightened schema can still be updated elsewhere.
   */
  List<FieldError> validate(JsonNode schema, JsonNode value, JsonNode old, String prefix, String name) {
    List<FieldError> errors = new ArrayList<>();
    validate(schema, value, old, new Where(prefix, name), errors);
    return errors;
  }

  /** Where a value is: the error path prefix and the validator's path of the value, e.g. "spec.replicas". */
  private record Where(String prefix, String name) {
    Where child(String key) {
      return new Where(prefix, name.isEmpty() ? key : name + "." + key);
    }

    Where member(String key) {
      return new Where(prefix, name + "." + key);
    }

    Where index(int i) {
      return new Where(prefix, name + "[" + i + "]");
    }

    /** errPath: the prefix's child named by the validator's path without its leading dot (nil when both are empty). */
    String field() {
      String trimmed = name.startsWith(".") ? name.substring(1) : name;
      if (trimmed.isEmpty() || name.equals(".")) {
        return Paths.orNil(prefix);
      }
      return Paths.child(prefix, trimmed);
    }

    String message(String text) {
      return name + " in " + IN + " " + text;
    }
  }

  private void validate(JsonNode s, JsonNode data, JsonNode old, Where where, List<FieldError> errors) {
    if (!s.isObject() || (old != null && Json.sameValue(data, old))) {
      return;
    }
    if (data == null || data.isNull()) {
      checkType(s, data, where, errors);
      checkEnum(s, data, where, errors);
      return;
    }
    checkType(s, data, where, errors);
    checkJunctors(s, data, old, where, errors);
    if (data.isTextual()) {
      checkString(s, data, where, errors);
      checkFormat(s, data, where, errors);
    }
    if (data.isNumber()) {
      checkNumber(s, data, where, errors);
    }
    if (data.isArray()) {
      checkArray(s, data, old, where, errors);
    }
    checkEnum(s, data, where, errors);
    if (data.isObject()) {
      checkObject(s, data, old, where, errors);
    }
  }

  private static List<String> types(JsonNode s) {
    if (Nodes.flag(s, Nodes.INT_OR_STRING)) {
      return List.of("integer", "string");
    }
    String type = Nodes.type(s);
    return type.isEmpty() ? List.of() : List.of(type);
  }

  private static void checkType(JsonNode s, JsonNode data, Where where, List<FieldError> errors) {
    List<String> types = types(s);
    String format = StringFormats.validatedFormat(s);
    if (types.isEmpty() && format == null) {
      return;
    }
    String typeNames = String.join(",", types);
    if (data == null || data.isNull()) {
      if (!types.isEmpty() && !Nodes.flag(s, "nullable")) {
        errors.add(typeError(where, typeNames, "null"));
      }
      return;
    }
    String dataType = Nodes.jsonType(data);
    boolean floatInt = dataType.equals("number") && GoNumbers.isWholeNumber(data) && types.contains("integer");
    boolean intFloat = dataType.equals("integer") && types.contains("number");
    boolean numeric = types.contains("number") || types.contains("integer");
    // the data's own format as the validator infers it from the decoded Go value: int64 or float64
    String dataFormat = dataType.equals("integer") ? "int64" : dataType.equals("number") ? "float64" : "";
    if (!data.isTextual() && !data.isArray() && format != null
        && !(types.contains(dataType) || format.equals(dataFormat) || floatInt || intFloat)) {
      errors.add(typeError(where, format, dataFormat));
      return;
    }
    if (!numeric && format != null && (data.isTextual() || data.isArray())) {
      return;
    }
    if (!(types.contains(dataType) || floatInt || intFloat)) {
      errors.add(typeError(where, typeNames, dataType));
    }
  }

  private static FieldError typeError(Where where, String expected, String actual) {
    return FieldError.invalid(where.field(), actual,
        where.message("must be of type " + expected + ": " + GoText.quote(actual)));
  }

  private void checkJunctors(JsonNode s, JsonNode data, JsonNode old, Where where, List<FieldError> errors) {
    List<JsonNode> anyOf = Nodes.list(s, "anyOf");
    if (!anyOf.isEmpty()) {
      List<FieldError> best = null;
      boolean succeeded = false;
      for (JsonNode alternative : anyOf) {
        List<FieldError> result = new ArrayList<>();
        validate(alternative, data, old, where, result);
        if (result.isEmpty()) {
          succeeded = true;
          best = null;
          break;
        }
        if (best == null || result.size() < best.size()) {
          best = result;
        }
      }
      if (!succeeded) {
        errors.add(composite(where, GoText.quote(where.name()) + " must validate at least one schema (anyOf)"));
      }
      if (best != null) {
        errors.addAll(best);
      }
    }
    List<JsonNode> oneOf = Nodes.list(s, "oneOf");
    if (!oneOf.isEmpty()) {
      List<FieldError> best = null;
      int validated = 0;
      for (JsonNode alternative : oneOf) {
        List<FieldError> result = new ArrayList<>();
        validate(alternative, data, old, where, result);
        if (result.isEmpty()) {
          validated++;
          best = null;
        } else if (validated == 0 && (best == null || result.size() < best.size())) {
          best = result;
        }
      }
      if (validated != 1) {
        String found = validated == 0 ? "Found none valid" : "Found " + validated + " valid alternatives";
        errors.add(composite(where,
            GoText.quote(where.name()) + " must validate one and only one schema (oneOf). " + found));
        if (best != null) {
          errors.addAll(best);
        }
      }
    }
    List<JsonNode> allOf = Nodes.list(s, "allOf");
    if (!allOf.isEmpty()) {
      int validated = 0;
      for (JsonNode part : allOf) {
        List<FieldError> result = new ArrayList<>();
        validate(part, data, old, where, result);
        if (result.isEmpty()) {
          validated++;
        }
        errors.addAll(result);
      }
      if (validated != allOf.size()) {
        errors.add(composite(where, GoText.quote(where.name()) + " must validate all the schemas (allOf)"
            + (validated == 0 ? ". None validated" : "")));
      }
    }
    JsonNode not = s.get("not");
    if (not != null && not.isObject()) {
      List<FieldError> result = new ArrayList<>();
      validate(not, data, null, where, result);
      if (result.isEmpty()) {
        errors.add(composite(where, GoText.quote(where.name()) + " must not validate the schema (not)"));
      }
    }
  }

  /** The validator's composite errors carry no field name: the apiserver reports them at its nil path. */
  private static FieldError composite(Where where, String message) {
    return FieldError.invalid(Paths.orNil(where.prefix()), "", message);
  }

  private void checkString(JsonNode s, JsonNode data, Where where, List<FieldError> errors) {
    String value = data.asText();
    int length = value.codePointCount(0, value.length());
    JsonNode maxLength = s.get("maxLength");
    if (maxLength != null && maxLength.isNumber() && length > maxLength.asLong()) {
      errors.add(FieldError.tooLong(where.field(), data, maxLength.asInt()));
      return;
    }
    JsonNode minLength = s.get("minLength");
    if (minLength != null && minLength.isNumber() && length < minLength.asLong()) {
      errors.add(FieldError.invalid(where.field(), data,
          where.message("should be at least " + minLength.asLong() + " chars long")));
      return;
    }
    String pattern = Nodes.text(s, "pattern");
    if (pattern != null && !pattern.isEmpty()) {
      Pattern compiled = compile(pattern);
      if (compiled != null && !compiled.matcher(value).find()) {
        errors.add(FieldError.invalid(where.field(), data, where.message("should match '" + pattern + "'")));
      }
    }
  }

  private Pattern compile(String pattern) {
    try {
      return patterns.computeIfAbsent(pattern, GoRegexp::compile);
    } catch (GoRegexp.SyntaxError e) {
      return null;
    }
  }

  private static void checkFormat(JsonNode s, JsonNode data, Where where, List<FieldError> errors) {
    String format = StringFormats.validatedFormat(s);
    if (format != null && !StringFormats.valid(format, data.asText())) {
      errors.add(FieldError.invalid(where.field(), data,
          where.message("must be of type " + format + ": " + GoText.quote(data.asText()))));
    }
  }

  private static void checkNumber(JsonNode s, JsonNode data, Where where, List<FieldError> errors) {
    BigDecimal value = data.decimalValue();
    JsonNode multipleOf = s.get("multipleOf");
    if (multipleOf != null && multipleOf.isNumber() && multipleOf.decimalValue().signum() > 0
        && value.remainder(multipleOf.decimalValue()).signum() != 0) {
      errors.add(FieldError.invalid(where.field(), data,
          where.message("should be a multiple of " + GoNumbers.formatBound(multipleOf.asDouble(), data))));
    }
    JsonNode maximum = s.get("maximum");
    if (maximum != null && maximum.isNumber()) {
      boolean exclusive = Nodes.flag(s, "exclusiveMaximum");
      int compared = value.compareTo(maximum.decimalValue());
      if (compared > 0 || (exclusive && compared == 0)) {
        errors.add(FieldError.invalid(where.field(), data, where.message((exclusive ? "should be less than "
            : "should be less than or equal to ") + GoNumbers.formatBound(maximum.asDouble(), data))));
      }
    }
    JsonNode minimum = s.get("minimum");
    if (minimum != null && minimum.isNumber()) {
      boolean exclusive = Nodes.flag(s, "exclusiveMinimum");
      int compared = value.compareTo(minimum.decimalValue());
      if (compared < 0 || (exclusive && compared == 0)) {
        errors.add(FieldError.invalid(where.field(), data, where.message((exclusive ? "should be greater than "
            : "should be greater than or equal to ") + GoNumbers.formatBound(minimum.asDouble(), data))));
      }
    }
  }

  private void checkArray(JsonNode s, JsonNode data, JsonNode old, Where where, List<FieldError> errors) {
    JsonNode items = Nodes.items(s);
    if (items != null) {
      for (int i = 0; i < data.size(); i++) {
        validate(items, data.get(i), correlatedItem(s, data.get(i), old), where.index(i), errors);
      }
    }
    int size = data.size();
    JsonNode minItems = s.get("minItems");
    if (minItems != null && minItems.isNumber() && size < minItems.asLong()) {
      errors.add(FieldError.invalid(where.field(), size,
          where.message("should have at least " + minItems.asLong() + " items")));
    }
    JsonNode maxItems = s.get("maxItems");
    if (maxItems != null && maxItems.isNumber() && size > maxItems.asLong()) {
      errors.add(FieldError.tooMany(where.field(), size, maxItems.asInt()));
    }
    if (Nodes.flag(s, "uniqueItems")) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < i; j++) {
          if (Json.sameValue(data.get(i), data.get(j))) {
            errors.add(FieldError.invalid(where.field(), "", where.message("shouldn't contain duplicates")));
            return;
          }
        }
      }
    }
  }

  /**
   * The old item an array item is correlated with for ratcheting: only list-type map items (by their keys) and set
   * elements (by value) are; atomic lists only as a whole.
   */
  private static JsonNode correlatedItem(JsonNode s, JsonNode item, JsonNode old) {
    if (old == null || !old.isArray()) {
      return null;
    }
    String listType = Nodes.text(s, Nodes.LIST_TYPE);
    if ("set".equals(listType)) {
      for (JsonNode candidate : old) {
        if (Json.sameValue(candidate, item)) {
          return candidate;
        }
      }
    } else if ("map".equals(listType) && item.isObject()) {
      List<String> keys = Nodes.strings(s, Nodes.LIST_MAP_KEYS);
      for (JsonNode candidate : old) {
        if (candidate.isObject() && keys.stream().allMatch(key -> Json.sameValue(candidate.get(key), item.get(key)))) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static void checkEnum(JsonNode s, JsonNode data, Where where, List<FieldError> errors) {
    JsonNode enumeration = s.get("enum");
    if (enumeration == null || !enumeration.isArray() || enumeration.isEmpty()) {
      return;
    }
    List<String> supported = new ArrayList<>();
    for (JsonNode allowed : enumeration) {
      if (data != null && !data.isNull() && Json.sameValue(allowed, data)) {
        return;
      }
      supported.add(allowed.isTextual() ? allowed.asText() : allowed.toString());
    }
    errors.add(FieldError.notSupported(where.field(), data == null ? "null" : data, supported));
  }

  private void checkObject(JsonNode s, JsonNode data, JsonNode old, Where where, List<FieldError> errors) {
    int keys = data.size();
    JsonNode minProperties = s.get("minProperties");
    if (minProperties != null && minProperties.isNumber() && keys < minProperties.asLong()) {
      errors.add(FieldError.invalid(where.field(), keys,
          where.message("should have at least " + minProperties.asLong() + " properties")));
      return;
    }
    JsonNode maxProperties = s.get("maxProperties");
    if (maxProperties != null && maxProperties.isNumber() && keys > maxProperties.asLong()) {
      errors.add(FieldError.tooMany(where.field(), keys, maxProperties.asInt()));
      return;
    }
    JsonNode properties = Nodes.properties(s);
    JsonNode additional = s.get("additionalProperties");
    if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
      for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (properties == null || !properties.has(key)) {
          errors.add(FieldError.invalid(where.field(), key,
              where.name() + "." + key + " in " + IN + " is a forbidden property"));
        }
      }
    } else if (additional != null && additional.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (properties == null || !properties.has(field.getKey())) {
          validate(additional, field.getValue(), old == null ? null : old.get(field.getKey()),
              where.member(field.getKey()), errors);
        }
      }
    }
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode value = data.get(property.getKey());
        if (value != null) {
          validate(property.getValue(), value, old == null ? null : old.get(property.getKey()),
              where.child(property.getKey()), errors);
        }
      }
    }
    for (String required : Nodes.strings(s, "required")) {
      if (!data.has(required)) {
        errors.add(FieldError.required(where.member(required).field(), ""));
      }
    }
  }
}
