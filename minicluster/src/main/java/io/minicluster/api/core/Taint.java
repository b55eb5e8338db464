package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;

/** v1.Taint; timeAdded null when unset. */
public record Taint(String key, String value, String effect, Instant timeAdded) {

  public static Taint from(JsonNode node) {
    return new Taint(JsonValues.string(node, "key"), JsonValues.string(node, "value"),
        JsonValues.string(node, "effect"), JsonValues.time(node, "timeAdded"));
  }
}
