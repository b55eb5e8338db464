package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.KeyToPath: a key of a ConfigMap or Secret written to a path; mode null when unset (the volume's default). */
public record KeyToPath(String key, String path, Integer mode) {

  public static KeyToPath from(JsonNode node) {
    return new KeyToPath(JsonValues.string(node, "key"), JsonValues.string(node, "path"),
        JsonValues.optionalInt32(node, "mode"));
  }
}
