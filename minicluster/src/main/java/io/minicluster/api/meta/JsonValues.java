package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.resource.Quantity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads of JSON fields with the read models' conventions (see the package documentation): Go zero values for absent
 * or mistyped fields, null for absent pointer fields, unmodifiable collections (List.copyOf, Map.copyOf). Every
 * method accepts a null node.
 *
 * <p>Strings are interned: a record lives as long as the informer caches it, and most of its strings repeat across
 * objects (image, policies, toleration keys, condition types and reasons, namespace). Without that, a cache of 6,450
 * pending pods held 14.8 MB of duplicate strings, about 2.3 KB per pod (a heap dump of pending-pods.sh).
 */
public final class JsonValues {
  private JsonValues() {}

  /** The child at a field; null when the node is no object or the field is absent or JSON null. */
  public static JsonNode child(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** A string field; "" when absent. Numbers and booleans are given as their text. */
  public static String string(JsonNode node, String field) {
    JsonNode value = child(node, field);
    if (value == null || value.isContainerNode()) {
      return "";
    }
    return text(value);
  }

  /** A {@code *string} field; null when absent. */
  public static String optionalString(JsonNode node, String field) {
    JsonNode value = child(node, field);
    if (value == null || value.isContainerNode()) {
      return null;
    }
    return text(value);
  }

  /** The text of a scalar node, interned (see the class documentation). */
  private static String text(JsonNode value) {
    return (value.isTextual() ? value.textValue() : value.asText()).intern();
  }

  /** A bool field; false when absent or no boolean. */
  public static boolean bool(JsonNode node, String field) {
    JsonNode value = child(node, field);
    return value != null && value.isBoolean() && value.booleanValue();
  }

  /** A {@code *bool} field; null when absent or no boolean. */
  public static Boolean optionalBool(JsonNode node, String field) {
    JsonNode value = child(node, field);
    return value != null && value.isBoolean() ? value.booleanValue() : null;
  }

  /** An int32 field; 0 when absent or no integral number in range. */
  public static int int32(JsonNode node, String field) {
    Integer value = optionalInt32(node, field);
    return value == null ? 0 : value;
  }

  /** A {@code *int32} field; null when absent or no integral number in range. */
  public static Integer optionalInt32(JsonNode node, String field) {
    JsonNode value = child(node, field);
    return value != null && value.isIntegralNumber() && value.canConvertToInt() ? value.intValue() : null;
  }

  /** An int64 field; 0 when absent or no integral number in range. */
  public static long int64(JsonNode node, String field) {
    Long value = optionalInt64(node, field);
    return value == null ? 0 : value;
  }

  /** A {@code *int64} field; null when absent or no integral number in range. */
  public static Long optionalInt64(JsonNode node, String field) {
    JsonNode value = child(node, field);
    return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
  }

  /** A metav1.Time field; null when absent or no RFC 3339 time. */
  public static Instant time(JsonNode node, String field) {
    JsonNode value = child(node, field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value.textValue());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A []string field; elements that are no strings are given as their text, JSON nulls as "". */
  public static List<String> strings(JsonNode node, String field) {
    JsonNode array = child(node, field);
    if (array == null || !array.isArray() || array.isEmpty()) {
      return List.of();
    }
    String[] values = new String[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode element = array.get(i);
      values[i] = element.isNull() || element.isContainerNode() ? "" : text(element);
    }
    return List.of(values);
  }

  /** A []int64 field; elements that are no integral numbers are left out. */
  public static List<Long> longs(JsonNode node, String field) {
    JsonNode array = child(node, field);
    if (array == null || !array.isArray() || array.isEmpty()) {
      return List.of();
    }
    List<Long> values = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      if (element.isIntegralNumber() && element.canConvertToLong()) {
        values.add(element.longValue());
      }
    }
    return List.copyOf(values);
  }

  /** A map[string]string field (no defined order, as Go maps); JSON null values are "". */
  public static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode object = child(node, field);
    if (object == null || !object.isObject() || object.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>(capacity(object.size()));
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      JsonNode value = entry.getValue();
      values.put(entry.getKey(), value.isNull() || value.isContainerNode() ? "" : text(value));
    }
    return Map.copyOf(values);
  }

  /**
   * A resource list (map[ResourceName]resource.Quantity). Entries that do not parse as quantities are
   * left out: stored objects passed validation, and decoding never throws.
   */
  public static Map<String, Quantity> quantities(JsonNode node, String field) {
    JsonNode object = child(node, field);
    if (object == null || !object.isObject() || object.isEmpty()) {
      return Map.of();
    }
    Map<String, Quantity> values = new HashMap<>(capacity(object.size()));
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      Quantity quantity = quantity(entry.getValue());
      if (quantity != null) {
        values.put(entry.getKey(), quantity);
      }
    }
    return Map.copyOf(values);
  }

  /** A {@code *resource.Quantity} field; null when absent or no quantity. */
  public static Quantity optionalQuantity(JsonNode node, String field) {
    return quantity(child(node, field));
  }

  /** A resource.Quantity field (a value); {@link Quantity#ZERO} when absent or no quantity. */
  public static Quantity quantity(JsonNode node, String field) {
    Quantity quantity = optionalQuantity(node, field);
    return quantity == null ? Quantity.ZERO : quantity;
  }

  private static Quantity quantity(JsonNode value) {
    if (value == null || !(value.isTextual() || value.isNumber())) {
      return null;
    }
    try {
      return Quantity.fromJson(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return null;
    }
  }

  /** A list of structs, each decoded by {@code decoder}; elements that are no objects are left out. */
  public static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> decoder) {
    JsonNode array = child(node, field);
    if (array == null || !array.isArray() || array.isEmpty()) {
      return List.of();
    }
    List<T> values = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      if (element.isObject()) {
        values.add(decoder.apply(element));
      }
    }
    return List.copyOf(values);
  }

  /** A pointer struct field decoded by {@code decoder}; null when absent or no object. */
  public static <T> T optional(JsonNode node, String field, Function<JsonNode, T> decoder) {
    JsonNode value = child(node, field);
    return value != null && value.isObject() ? decoder.apply(value) : null;
  }

  /** A value struct field decoded by {@code decoder}, which is given null when the field is absent. */
  public static <T> T struct(JsonNode node, String field, Function<JsonNode, T> decoder) {
    JsonNode value = child(node, field);
    return decoder.apply(value != null && value.isObject() ? value : null);
  }

  private static int capacity(int size) {
    return (int) Math.ceil(size / 0.75);
  }
}
