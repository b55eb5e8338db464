package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.PortStatus of a load balancer ingress point; error null when unset. */
public record PortStatus(int port, String protocol, String error) {

  public static PortStatus from(JsonNode node) {
    return new PortStatus(JsonValues.int32(node, "port"), JsonValues.string(node, "protocol"),
        JsonValues.optionalString(node, "error"));
  }
}
