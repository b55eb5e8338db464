package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.DaemonEndpoint; {@code port} is the JSON field "Port" (capitalised on the wire). */
public record DaemonEndpoint(int port) {

  public static DaemonEndpoint from(JsonNode node) {
    return new DaemonEndpoint(JsonValues.int32(node, "Port"));
  }
}
