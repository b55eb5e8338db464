package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ClientIPConfig: how long ClientIP session affinity sticks; null when unset (the registry defaults 10800). */
public record ClientIPConfig(Integer timeoutSeconds) {

  public static ClientIPConfig from(JsonNode node) {
    return new ClientIPConfig(JsonValues.optionalInt32(node, "timeoutSeconds"));
  }
}
