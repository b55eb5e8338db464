package io.minicluster.api.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import java.util.List;

/** discovery/v1 EndpointSlice as consumers read it from an informer; addressType IPv4, IPv6 or FQDN. */
public record EndpointSlice(ObjectMeta metadata, String addressType, List<Endpoint> endpoints,
    List<EndpointPort> ports) {

  public EndpointSlice {
    requireNonNull(metadata, "metadata is null");
    endpoints = List.copyOf(endpoints);
    ports = List.copyOf(ports);
  }

  public static EndpointSlice from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new EndpointSlice(ObjectMeta.of(object), JsonValues.string(object, "addressType"),
        JsonValues.list(object, "endpoints", Endpoint::from), JsonValues.list(object, "ports", EndpointPort::from));
  }
}
