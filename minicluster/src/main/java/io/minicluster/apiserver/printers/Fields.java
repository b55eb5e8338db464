package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Read access to wire JSON fields with the zero values Go's typed structs would have. */
final class Fields {
  private Fields() {}

  /** Text at a path, "" when absent or null (Go's zero string). */
  static String text(JsonNode node, String... path) {
    String value = Json.textOrNull(node, path);
    return value == null ? "" : value;
  }

  /** Integer at a path, the fallback when absent or not a number. */
  static long integer(JsonNode node, long fallback, String... path) {
    JsonNode value = Json.at(node, path);
    return value != null && value.isNumber() ? value.asLong() : fallback;
  }

  /** Whether the boolean at a path is true. */
  static boolean isTrue(JsonNode node, String... path) {
    JsonNode value = Json.at(node, path);
    return value != null && value.isBoolean() && value.booleanValue();
  }

  /** The object at a path, or null when absent, JSON null or not an object (Go's nil pointer). */
  static JsonNode object(JsonNode node, String... path) {
    JsonNode value = Json.at(node, path);
    return value != null && value.isObject() ? value : null;
  }

  /** The elements of the array at a path; empty when absent. */
  static List<JsonNode> array(JsonNode node, String... path) {
    JsonNode value = Json.at(node, path);
    List<JsonNode> result = new ArrayList<>();
    if (value != null && value.isArray()) {
      value.forEach(result::add);
    }
    return result;
  }

  /** Number of entries of the array or map at a path (Go's len); 0 when absent. */
  static int size(JsonNode node, String... path) {
    JsonNode value = Json.at(node, path);
    return value != null && (value.isArray() || value.isObject()) ? value.size() : 0;
  }

  /** metadata.name, or "" when absent: every printer's NAME column. */
  static String name(JsonNode object) {
    return text(object, "metadata", "name");
  }

  /** The AGE column: how long ago metadata.creationTimestamp was, as kubectl prints it. */
  static String age(JsonNode object, Instant now) {
    return HumanDuration.since(timestamp(object, "metadata", "creationTimestamp"), now);
  }

  /** The RFC 3339 timestamp at a path, or null when absent or unparseable (Go's zero time). */
  static Instant timestamp(JsonNode node, String... path) {
    String value = Json.textOrNull(node, path);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The later of two possibly-zero times (null is the zero time). */
  static Instant later(Instant current, Instant candidate) {
    if (candidate == null) {
      return current;
    }
    return current == null || current.isBefore(candidate) ? candidate : current;
  }
}
