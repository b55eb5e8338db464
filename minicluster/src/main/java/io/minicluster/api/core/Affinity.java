package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.Affinity, its node affinity (null when unset); pod affinity and anti-affinity are not modelled. */
public record Affinity(NodeAffinity nodeAffinity) {

  public static Affinity from(JsonNode node) {
    return new Affinity(JsonValues.optional(node, "nodeAffinity", NodeAffinity::from));
  }
}
