package io.minicluster.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** discovery/v1 EndpointPort; every field is null when unset (a null port means "all ports"). */
public record EndpointPort(String name, String protocol, Integer port, String appProtocol) {

  public static EndpointPort from(JsonNode node) {
    return new EndpointPort(JsonValues.optionalString(node, "name"), JsonValues.optionalString(node, "protocol"),
        JsonValues.optionalInt32(node, "port"), JsonValues.optionalString(node, "appProtocol"));
  }
}
