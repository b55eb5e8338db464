package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.PreferredSchedulingTerm. */
public record PreferredSchedulingTerm(int weight, NodeSelectorTerm preference) {

  public static PreferredSchedulingTerm from(JsonNode node) {
    return new PreferredSchedulingTerm(JsonValues.int32(node, "weight"),
        JsonValues.struct(node, "preference", NodeSelectorTerm::from));
  }
}
