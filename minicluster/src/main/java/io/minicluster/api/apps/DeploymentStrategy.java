package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** apps/v1 DeploymentStrategy: type "Recreate" or "RollingUpdate"; rollingUpdate null when unset. */
public record DeploymentStrategy(String type, RollingUpdateDeployment rollingUpdate) {
  public static final String RECREATE = "Recreate";
  public static final String ROLLING_UPDATE = "RollingUpdate";

  public static DeploymentStrategy from(JsonNode node) {
    return new DeploymentStrategy(JsonValues.string(node, "type"),
        JsonValues.optional(node, "rollingUpdate", RollingUpdateDeployment::from));
  }
}
