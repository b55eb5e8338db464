package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the fields of one JSONSchemaProps node (a JSON object), absent and wrongly typed fields read as unset. */
final class Nodes {
  static final String PRESERVE_UNKNOWN_FIELDS = "x-kubernetes-preserve-unknown-fields";
  static final String EMBEDDED_RESOURCE = "x-kubernetes-embedded-resource";
  static final String INT_OR_STRING = "x-kubernetes-int-or-string";
  static final String LIST_TYPE = "x-kubernetes-list-type";
  static final String LIST_MAP_KEYS = "x-kubernetes-list-map-keys";
  static final String MAP_TYPE = "x-kubernetes-map-type";
  static final String VALIDATIONS = "x-kubernetes-validations";

  private Nodes() {}

  static String type(JsonNode schema) {
    JsonNode type = schema.get("type");
    return type != null && type.isTextual() ? type.asText() : "";
  }

  static boolean flag(JsonNode schema, String field) {
    JsonNode value = schema.get(field);
    return value != null && value.isBoolean() && value.asBoolean();
  }

  static boolean has(JsonNode schema, String field) {
    JsonNode value = schema.get(field);
    return value != null && !value.isNull();
  }

  static String text(JsonNode schema, String field) {
    JsonNode value = schema.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** The properties object, or null when absent or empty. */
  static JsonNode properties(JsonNode schema) {
    JsonNode properties = schema.get("properties");
    return properties != null && properties.isObject() && properties.size() > 0 ? properties : null;
  }

  static JsonNode property(JsonNode schema, String name) {
    JsonNode properties = properties(schema);
    JsonNode property = properties == null ? null : properties.get(name);
    return property != null && property.isObject() ? property : null;
  }

  /** The items schema when it is one schema object, else null. */
  static JsonNode items(JsonNode schema) {
    JsonNode items = schema.get("items");
    return items != null && items.isObject() ? items : null;
  }

  /** additionalProperties when it is a schema object, else null. */
  static JsonNode additionalSchema(JsonNode schema) {
    JsonNode additional = schema.get("additionalProperties");
    return additional != null && additional.isObject() ? additional : null;
  }

  /** The schemas of allOf, anyOf or oneOf (objects only). */
  static List<JsonNode> list(JsonNode schema, String field) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode list = schema.get(field);
    if (list != null && list.isArray()) {
      list.forEach(out::add);
    }
    return out;
  }

  static List<String> strings(JsonNode schema, String field) {
    List<String> out = new ArrayList<>();
    JsonNode list = schema.get(field);
    if (list != null && list.isArray()) {
      list.forEach(value -> out.add(value.asText()));
    }
    return out;
  }

  /** The JSON type name of a value as the OpenAPI validator names it. */
  static String jsonType(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isArray()) {
      return "array";
    }
    return "object";
  }
}
