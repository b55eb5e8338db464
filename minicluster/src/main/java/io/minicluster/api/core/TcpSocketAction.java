package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.JsonValues;

/** v1.TCPSocketAction; the port is a number or the name of a container port. */
public record TcpSocketAction(IntOrString port, String host) {

  public static TcpSocketAction from(JsonNode node) {
    return new TcpSocketAction(IntOrString.value(node, "port"), JsonValues.string(node, "host"));
  }
}
