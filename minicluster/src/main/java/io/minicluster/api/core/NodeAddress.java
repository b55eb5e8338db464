package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.NodeAddress: type (InternalIP, Hostname...) and address. */
public record NodeAddress(String type, String address) {

  public static NodeAddress from(JsonNode node) {
    return new NodeAddress(JsonValues.string(node, "type"), JsonValues.string(node, "address"));
  }
}
