package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.JsonValues;

/** v1.ServicePort; appProtocol null when unset; targetPort a number or a container port's name. */
public record ServicePort(String name, String protocol, String appProtocol, int port, IntOrString targetPort,
    int nodePort) {

  public static ServicePort from(JsonNode node) {
    return new ServicePort(JsonValues.string(node, "name"), JsonValues.string(node, "protocol"),
        JsonValues.optionalString(node, "appProtocol"), JsonValues.int32(node, "port"),
        IntOrString.value(node, "targetPort"), JsonValues.int32(node, "nodePort"));
  }
}
