package io.minicluster.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;

/** intstr scaling and the surge/unavailability fenceposts of a rolling update (deployment/util). */
public final class RolloutMath {
  private RolloutMath() {}

  /** intstrutil.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. */
  public static int scaled(JsonNode value, int total, boolean roundUp) {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isNumber()) {
      return value.asInt();
    }
    String text = value.asText();
    if (text.endsWith("%")) {
      int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
      long product = (long) percent * total;
      return (int) (roundUp ? -Math.floorDiv(-product, 100L) : Math.floorDiv(product, 100L));
    }
    return Integer.parseInt(text.trim());
  }

  /** ResolveFenceposts: surge rounded up, unavailable rounded down, and never both zero. */
  public static int[] fenceposts(JsonNode maxSurge, JsonNode maxUnavailable, int desired) {
    int surge = scaled(maxSurge, desired, true);
    int unavailable = scaled(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  static boolean rolling(JsonNode deployment) {
    return !"Recreate".equals(Json.textOrNull(deployment, "spec", "strategy", "type"));
  }

  static int replicas(JsonNode object) {
    JsonNode replicas = Json.at(object, "spec", "replicas");
    return replicas == null || replicas.isNull() ? 1 : replicas.asInt();
  }

  /** MaxSurge(deployment): 0 unless rolling. */
  public static int maxSurge(JsonNode deployment) {
    if (!rolling(deployment)) {
      return 0;
    }
    return fenceposts(Json.at(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"),
        Json.at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"), replicas(deployment))[0];
  }

  /** MaxUnavailable(deployment): 0 unless rolling with replicas, at most replicas. */
  public static int maxUnavailable(JsonNode deployment) {
    int replicas = replicas(deployment);
    if (!rolling(deployment) || replicas == 0) {
      return 0;
    }
    int unavailable = fenceposts(Json.at(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"),
        Json.at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"), replicas)[1];
    return Math.min(unavailable, replicas);
  }
}
