package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.SessionAffinityConfig; clientIP null when unset. */
public record SessionAffinityConfig(ClientIPConfig clientIP) {

  public static SessionAffinityConfig from(JsonNode node) {
    return new SessionAffinityConfig(JsonValues.optional(node, "clientIP", ClientIPConfig::from));
  }
}
