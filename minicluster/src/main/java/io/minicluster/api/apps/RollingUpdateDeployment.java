package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.IntOrString;

/** apps/v1 RollingUpdateDeployment; maxUnavailable and maxSurge (counts or percentages) are null when unset. */
public record RollingUpdateDeployment(IntOrString maxUnavailable, IntOrString maxSurge) {

  public static RollingUpdateDeployment from(JsonNode node) {
    return new RollingUpdateDeployment(IntOrString.optional(node, "maxUnavailable"),
        IntOrString.optional(node, "maxSurge"));
  }
}
