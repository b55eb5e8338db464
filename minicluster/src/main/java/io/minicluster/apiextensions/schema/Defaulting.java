package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Defaulting of custom resources (apiextensions-apiserver's structural/defaulting: Default): a property's default is
 * set where the property is absent, or null while its schema is not nullable; array items and map values that are
 * such nulls get their schema's default; then defaulting goes on inside every value, defaults included.
 */
final class Defaulting {
  private Defaulting() {}

  static void apply(JsonNode value, JsonNode s) {
    if (s == null || !s.isObject() || value == null) {
      return;
    }
    if (value instanceof ObjectNode object) {
      JsonNode properties = Nodes.properties(s);
      if (properties != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> property = it.next();
          JsonNode defaultValue = property.getValue().get("default");
          if (defaultValue == null) {
            continue;
          }
          JsonNode current = object.get(property.getKey());
          if (current == null || isNonNullableNull(current, property.getValue())) {
            object.set(property.getKey(), defaultValue.deepCopy());
          }
        }
      }
      JsonNode additional = Nodes.additionalSchema(s);
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode property = properties == null ? null : properties.get(key);
        if (property != null) {
          apply(object.get(key), property);
        } else if (additional != null) {
          if (isNonNullableNull(object.get(key), additional)) {
            object.set(key, additional.get("default").deepCopy());
          }
          apply(object.get(key), additional);
        }
      }
    } else if (value instanceof ArrayNode array) {
      JsonNode items = Nodes.items(s);
      if (items == null) {
        return;
      }
      for (int i = 0; i < array.size(); i++) {
        if (isNonNullableNull(array.get(i), items)) {
          array.set(i, items.get("default").deepCopy());
        }
        apply(array.get(i), items);
      }
    }
  }

  private static boolean isNonNullableNull(JsonNode value, JsonNode s) {
    return value.isNull() && !Nodes.flag(s, "nullable") && s.get("default") != null;
  }
}
