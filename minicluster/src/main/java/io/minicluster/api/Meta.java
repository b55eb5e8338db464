package io.minicluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Accessors for {@code metadata} of objects in wire form. */
public final class Meta {
  private Meta() {}

  public static ObjectNode metadata(ObjectNode object) {
    return Json.with(object, "metadata");
  }

  public static String name(JsonNode object) {
    return Json.textOrNull(object, "metadata", "name");
  }

  public static String namespace(JsonNode object) {
    return Json.textOrNull(object, "metadata", "namespace");
  }

  public static String uid(JsonNode object) {
    return Json.textOrNull(object, "metadata", "uid");
  }

  public static String resourceVersion(JsonNode object) {
    return Json.textOrNull(object, "metadata", "resourceVersion");
  }

  public static long revision(JsonNode object) {
    String rv = resourceVersion(object);
    if (rv == null || rv.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static boolean deleting(JsonNode object) {
    return Json.textOrNull(object, "metadata", "deletionTimestamp") != null;
  }

  /** The string-to-string map at metadata.labels (empty when absent). */
  public static Map<String, String> labels(JsonNode object) {
    return stringMap(Json.at(object, "metadata", "labels"));
  }

  public static Map<String, String> annotations(JsonNode object) {
    return stringMap(Json.at(object, "metadata", "annotations"));
  }

  public static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> result = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
    }
    return result;
  }

  /** "namespace/name" or "name". */
  public static String key(JsonNode object) {
    String namespace = namespace(object);
    return namespace == null || namespace.isEmpty() ? name(object) : namespace + "/" + name(object);
  }

  /** RFC 3339 with second precision, as metav1.Time serializes. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** RFC 3339 with microseconds, as metav1.MicroTime serializes. */
  public static String microTimestamp(Instant instant) {
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    String text = DateTimeFormatter.ISO_INSTANT.format(micros);
    if (micros.getNano() == 0) {
      return text.replace("Z", ".000000Z");
    }
    int dot = text.indexOf('.');
    String fraction = text.substring(dot + 1, text.length() - 1);
    while (fraction.length() < 6) {
      fraction = fraction + "0";
    }
    return text.substring(0, dot + 1) + fraction + "Z";
  }

  public static Instant parseTime(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (RuntimeException second) {
        return null;
      }
    }
  }
}
