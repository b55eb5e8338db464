package io.minicluster.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** discovery/v1 Endpoint; hostname, targetRef, nodeName, zone and hints are null when unset. */
public record Endpoint(List<String> addresses, EndpointConditions conditions, String hostname,
    ObjectReference targetRef, String nodeName, String zone, EndpointHints hints) {

  public Endpoint {
    addresses = List.copyOf(addresses);
  }

  public static Endpoint from(JsonNode node) {
    return new Endpoint(JsonValues.strings(node, "addresses"),
        JsonValues.struct(node, "conditions", EndpointConditions::from), JsonValues.optionalString(node, "hostname"),
        JsonValues.optional(node, "targetRef", ObjectReference::from), JsonValues.optionalString(node, "nodeName"),
        JsonValues.optionalString(node, "zone"), JsonValues.optional(node, "hints", EndpointHints::from));
  }
}
