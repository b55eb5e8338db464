package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.PodSchedulingGate: while a pod has one, it is not scheduled. */
public record PodSchedulingGate(String name) {

  public static PodSchedulingGate from(JsonNode node) {
    return new PodSchedulingGate(JsonValues.string(node, "name"));
  }
}
