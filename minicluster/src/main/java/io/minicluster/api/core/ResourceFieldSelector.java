package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;

/** v1.ResourceFieldSelector: a container's resource limit or request; a zero divisor means 1. */
public record ResourceFieldSelector(String containerName, String resource, Quantity divisor) {

  public static ResourceFieldSelector from(JsonNode node) {
    return new ResourceFieldSelector(JsonValues.string(node, "containerName"), JsonValues.string(node, "resource"),
        JsonValues.quantity(node, "divisor"));
  }
}
