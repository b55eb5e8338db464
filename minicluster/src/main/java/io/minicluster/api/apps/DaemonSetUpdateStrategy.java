package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.JsonValues;

/**
 * apps/v1 DaemonSetUpdateStrategy: type RollingUpdate or OnDelete; maxUnavailable and maxSurge are null when unset
 * (or when the type is OnDelete).
 */
public record DaemonSetUpdateStrategy(String type, IntOrString maxUnavailable, IntOrString maxSurge) {
  public static final String ROLLING_UPDATE = "RollingUpdate";
  public static final String ON_DELETE = "OnDelete";

  public static DaemonSetUpdateStrategy from(JsonNode node) {
    JsonNode rollingUpdate = JsonValues.child(node, "rollingUpdate");
    return new DaemonSetUpdateStrategy(JsonValues.string(node, "type"),
        IntOrString.optional(rollingUpdate, "maxUnavailable"), IntOrString.optional(rollingUpdate, "maxSurge"));
  }
}
