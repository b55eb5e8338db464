package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.NodeDaemonEndpoints. */
public record NodeDaemonEndpoints(DaemonEndpoint kubeletEndpoint) {

  public static NodeDaemonEndpoints from(JsonNode node) {
    return new NodeDaemonEndpoints(JsonValues.struct(node, "kubeletEndpoint", DaemonEndpoint::from));
  }
}
