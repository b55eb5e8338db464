package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.GRPCAction; service is null when unset (the server's overall health). */
public record GrpcAction(int port, String service) {

  public static GrpcAction from(JsonNode node) {
    return new GrpcAction(JsonValues.int32(node, "port"), JsonValues.optionalString(node, "service"));
  }
}
