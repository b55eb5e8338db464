package io.minicluster.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.DeploymentStrategy;
import io.minicluster.api.apps.RollingUpdateDeployment;
import io.minicluster.api.meta.IntOrString;

/** intstr scaling and the surge/unavailability fenceposts of a rolling update (deployment/util). */
public final class RolloutMath {
  private RolloutMath() {}

  /** intstrutil.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. */
  public static int scaled(JsonNode value, int total, boolean roundUp) {
    return scaled(value == null ? null : IntOrString.fromJson(value), total, roundUp);
  }

  static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value == null) {
      return 0;
    }
    if (!value.isString()) {
      return value.intValue();
    }
    String text = value.stringValue();
    if (text.endsWith("%")) {
      int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
      long product = (long) percent * total;
      return (int) (roundUp ? -Math.floorDiv(-product, 100L) : Math.floorDiv(product, 100L));
    }
    return Integer.parseInt(text.trim());
  }

  /** ResolveFenceposts: surge rounded up, unavailable rounded down, and never both zero. */
  public static int[] fenceposts(JsonNode maxSurge, JsonNode maxUnavailable, int desired) {
    return fenceposts(maxSurge == null ? null : IntOrString.fromJson(maxSurge),
        maxUnavailable == null ? null : IntOrString.fromJson(maxUnavailable), desired);
  }

  static int[] fenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaled(maxSurge, desired, true);
    int unavailable = scaled(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  static boolean rolling(Deployment deployment) {
    DeploymentStrategy strategy = deployment.spec().strategy();
    return strategy == null || !DeploymentStrategy.RECREATE.equals(strategy.type());
  }

  static int replicas(Deployment deployment) {
    Integer replicas = deployment.spec().replicas();
    return replicas == null ? 1 : replicas;
  }

  private static int[] fenceposts(Deployment deployment) {
    RollingUpdateDeployment rollingUpdate = deployment.spec().strategy() == null ? null
        : deployment.spec().strategy().rollingUpdate();
    return rollingUpdate == null ? fenceposts((IntOrString) null, null, replicas(deployment))
        : fenceposts(rollingUpdate.maxSurge(), rollingUpdate.maxUnavailable(), replicas(deployment));
  }

  /** MaxSurge(deployment) of a deployment as stored. */
  public static int maxSurge(ObjectNode deployment) {
    return maxSurge(Deployment.from(deployment));
  }

  /** MaxSurge(deployment): 0 unless rolling. */
  static int maxSurge(Deployment deployment) {
    return rolling(deployment) ? fenceposts(deployment)[0] : 0;
  }

  /** MaxUnavailable(deployment) of a deployment as stored. */
  public static int maxUnavailable(ObjectNode deployment) {
    return maxUnavailable(Deployment.from(deployment));
  }

  /** MaxUnavailable(deployment): 0 unless rolling with replicas, at most replicas. */
  static int maxUnavailable(Deployment deployment) {
    int replicas = replicas(deployment);
    if (!rolling(deployment) || replicas == 0) {
      return 0;
    }
    return Math.min(fenceposts(deployment)[1], replicas);
  }
}
