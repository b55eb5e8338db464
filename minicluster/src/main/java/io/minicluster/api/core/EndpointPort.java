package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.EndpointPort; appProtocol null when unset. */
public record EndpointPort(String name, int port, String protocol, String appProtocol) {

  public static EndpointPort from(JsonNode node) {
    return new EndpointPort(JsonValues.string(node, "name"), JsonValues.int32(node, "port"),
        JsonValues.string(node, "protocol"), JsonValues.optionalString(node, "appProtocol"));
  }
}
