package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.EndpointSubset: ready and not-ready addresses that share the ports. */
public record EndpointSubset(List<EndpointAddress> addresses, List<EndpointAddress> notReadyAddresses,
    List<EndpointPort> ports) {

  public EndpointSubset {
    addresses = List.copyOf(addresses);
    notReadyAddresses = List.copyOf(notReadyAddresses);
    ports = List.copyOf(ports);
  }

  public static EndpointSubset from(JsonNode node) {
    return new EndpointSubset(JsonValues.list(node, "addresses", EndpointAddress::from),
        JsonValues.list(node, "notReadyAddresses", EndpointAddress::from),
        JsonValues.list(node, "ports", EndpointPort::from));
  }
}
