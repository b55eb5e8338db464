package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ServiceAccountTokenProjection of a projected volume; expirationSeconds null when unset. */
public record ServiceAccountTokenProjection(String audience, Long expirationSeconds, String path) {

  public static ServiceAccountTokenProjection from(JsonNode node) {
    return new ServiceAccountTokenProjection(JsonValues.string(node, "audience"),
        JsonValues.optionalInt64(node, "expirationSeconds"), JsonValues.string(node, "path"));
  }
}
