package io.minicluster.registry.v1beta3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Tree edits the v1beta3 conversions share: renames in place of order, typed headers, nested rewrites. */
final class Trees {
  private Trees() {}

  /** The object's fields in their order, with the keys in {@code names} renamed; values are shared, not copied. */
  static ObjectNode renamed(ObjectNode object, Map<String, String> names) {
    ObjectNode renamed = Json.object();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      renamed.set(names.getOrDefault(field.getKey(), field.getKey()), field.getValue());
    }
    return renamed;
  }

  /**
   * A copy of the object as apiVersion/kind, those two first as the apiserver writes them, its other fields (deep
   * copies) after them in their order.
   */
  static ObjectNode typed(ObjectNode object, String apiVersion, String kind) {
    ObjectNode typed = Json.object();
    typed.put("kind", kind);
    typed.put("apiVersion", apiVersion);
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equals("kind") && !field.getKey().equals("apiVersion")) {
        typed.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return typed;
  }

  /** Replaces the object child {@code field} (when it is an object) with what {@code change} makes of it. */
  static void rewrite(ObjectNode parent, String field, UnaryOperator<ObjectNode> change) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode object) {
      parent.set(field, change.apply(object));
    }
  }

  /** Replaces every object element of the array child {@code field} with what {@code change} makes of it. */
  static void rewriteEach(ObjectNode parent, String field, UnaryOperator<ObjectNode> change) {
    JsonNode child = parent.get(field);
    if (child != null && child.isArray()) {
      for (int i = 0; i < child.size(); i++) {
        if (child.get(i) instanceof ObjectNode element) {
          ((ArrayNode) child).set(i, change.apply(element));
        }
      }
    }
  }
}
