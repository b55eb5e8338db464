package io.minicluster.api.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** discovery/v1 EndpointConditions; each is null when unset (unknown). */
public record EndpointConditions(Boolean ready, Boolean serving, Boolean terminating) {

  public static EndpointConditions from(JsonNode node) {
    return new EndpointConditions(JsonValues.optionalBool(node, "ready"), JsonValues.optionalBool(node, "serving"),
        JsonValues.optionalBool(node, "terminating"));
  }
}
