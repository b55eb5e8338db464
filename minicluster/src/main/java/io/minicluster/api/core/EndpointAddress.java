package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.EndpointAddress; nodeName and targetRef are null when unset. */
public record EndpointAddress(String ip, String hostname, String nodeName, ObjectReference targetRef) {

  public static EndpointAddress from(JsonNode node) {
    return new EndpointAddress(JsonValues.string(node, "ip"), JsonValues.string(node, "hostname"),
        JsonValues.optionalString(node, "nodeName"), JsonValues.optional(node, "targetRef", ObjectReference::from));
  }
}
