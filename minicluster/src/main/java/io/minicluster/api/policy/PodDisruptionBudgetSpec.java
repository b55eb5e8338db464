package io.minicluster.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;

/**
 * policy/v1 PodDisruptionBudgetSpec; minAvailable, maxUnavailable, selector and unhealthyPodEvictionPolicy are null
 * when unset (an unset policy behaves as {@link #IF_HEALTHY_BUDGET}).
 */
public record PodDisruptionBudgetSpec(IntOrString minAvailable, LabelSelector selector, IntOrString maxUnavailable,
    String unhealthyPodEvictionPolicy) {
  public static final String IF_HEALTHY_BUDGET = "IfHealthyBudget";
  public static final String ALWAYS_ALLOW = "AlwaysAllow";

  public static PodDisruptionBudgetSpec from(JsonNode node) {
    return new PodDisruptionBudgetSpec(IntOrString.optional(node, "minAvailable"),
        LabelSelector.optional(node, "selector"), IntOrString.optional(node, "maxUnavailable"),
        JsonValues.optionalString(node, "unhealthyPodEvictionPolicy"));
  }
}
