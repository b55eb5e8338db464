package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import java.util.Map;

/** v1.ResourceRequirements: limits and requests by resource name ("cpu", "memory", ...). */
public record ResourceRequirements(Map<String, Quantity> limits, Map<String, Quantity> requests) {
  public static final ResourceRequirements EMPTY = new ResourceRequirements(Map.of(), Map.of());

  public ResourceRequirements {
    limits = Map.copyOf(limits);
    requests = Map.copyOf(requests);
  }

  /** The requirements object; {@link #EMPTY} for null. */
  public static ResourceRequirements from(JsonNode node) {
    if (node == null) {
      return EMPTY;
    }
    Map<String, Quantity> limits = JsonValues.quantities(node, "limits");
    Map<String, Quantity> requests = JsonValues.quantities(node, "requests");
    return limits.isEmpty() && requests.isEmpty() ? EMPTY : new ResourceRequirements(limits, requests);
  }
}
