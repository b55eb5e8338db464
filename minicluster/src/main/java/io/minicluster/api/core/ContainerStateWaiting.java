package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ContainerStateWaiting. */
public record ContainerStateWaiting(String reason, String message) {

  public static ContainerStateWaiting from(JsonNode node) {
    return new ContainerStateWaiting(JsonValues.string(node, "reason"), JsonValues.string(node, "message"));
  }
}
