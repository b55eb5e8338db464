package io.minicluster.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Null-tolerant reading of wire JSON trees, as strategies need it: absent and JSON null both count as unset. */
public final class Nodes {
  private Nodes() {}

  /** The child, or null when node is not an object or the child is absent or JSON null. */
  public static JsonNode get(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode child = node.get(field);
    return child == null || child.isNull() || child.isMissingNode() ? null : child;
  }

  public static boolean has(JsonNode node, String field) {
    return get(node, field) != null;
  }

  /** The text of a scalar child, or "" when unset (Go's zero value). */
  public static String text(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child == null || child.isContainerNode() ? "" : child.asText();
  }

  /** The child object, or null when unset or not an object. */
  public static ObjectNode object(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child instanceof ObjectNode object ? object : null;
  }

  /** The child's elements, empty when unset or not an array. */
  public static List<JsonNode> elements(JsonNode node, String field) {
    JsonNode child = get(node, field);
    List<JsonNode> result = new ArrayList<>();
    if (child instanceof ArrayNode array) {
      array.forEach(result::add);
    }
    return result;
  }

  /** The child's object elements (non-objects skipped). */
  public static List<ObjectNode> objects(JsonNode node, String field) {
    List<ObjectNode> result = new ArrayList<>();
    for (JsonNode element : elements(node, field)) {
      if (element instanceof ObjectNode object) {
        result.add(object);
      }
    }
    return result;
  }

  /** A numeric child as long, or the fallback when unset or not integral. */
  public static long number(JsonNode node, String field, long fallback) {
    JsonNode child = get(node, field);
    if (child == null || !child.isNumber()) {
      return fallback;
    }
    return child.asLong();
  }

  /** A numeric child, or null when unset. */
  public static Long numberOrNull(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child == null || !child.isNumber() ? null : child.asLong();
  }

  public static boolean bool(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child != null && child.asBoolean(false);
  }

  /** Sets a text field when it is unset or "". */
  public static void defaultText(ObjectNode node, String field, String value) {
    if (text(node, field).isEmpty()) {
      node.put(field, value);
    }
  }

  /** Sets a number field when it is unset. */
  public static void defaultNumber(ObjectNode node, String field, long value) {
    if (get(node, field) == null) {
      putNumber(node, field, value);
    }
  }

  /** Sets a number as an int node when it fits (as parsed JSON would be), else a long node. */
  public static void putNumber(ObjectNode node, String field, long value) {
    if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      node.put(field, (int) value);
    } else {
      node.put(field, value);
    }
  }

  /** Sets a boolean field when it is unset. */
  public static void defaultBoolean(ObjectNode node, String field, boolean value) {
    if (get(node, field) == null) {
      node.put(field, value);
    }
  }

  /** The child's field names (keys of a map-valued field), in document order. */
  public static List<String> keys(JsonNode node, String field) {
    JsonNode child = get(node, field);
    List<String> result = new ArrayList<>();
    if (child != null && child.isObject()) {
      child.fieldNames().forEachRemaining(result::add);
    }
    return result;
  }

  /** A string list child, empty when unset. */
  public static List<String> strings(JsonNode node, String field) {
    List<String> result = new ArrayList<>();
    for (JsonNode element : elements(node, field)) {
      result.add(element.asText());
    }
    return result;
  }
}
