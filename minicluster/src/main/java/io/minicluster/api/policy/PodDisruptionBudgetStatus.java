package io.minicluster.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** policy/v1 PodDisruptionBudgetStatus; disruptedPods maps a pod's name to the time its eviction was admitted. */
public record PodDisruptionBudgetStatus(long observedGeneration, Map<String, Instant> disruptedPods,
    int disruptionsAllowed, int currentHealthy, int desiredHealthy, int expectedPods, List<Condition> conditions) {

  public PodDisruptionBudgetStatus {
    disruptedPods = Map.copyOf(disruptedPods);
    conditions = List.copyOf(conditions);
  }

  public static PodDisruptionBudgetStatus from(JsonNode node) {
    Map<String, Instant> disrupted = new LinkedHashMap<>();
    JsonNode pods = JsonValues.child(node, "disruptedPods");
    if (pods != null && pods.isObject()) {
      pods.fieldNames().forEachRemaining(pod -> {
        Instant time = JsonValues.time(pods, pod);
        if (time != null) {
          disrupted.put(pod, time);
        }
      });
    }
    return new PodDisruptionBudgetStatus(JsonValues.int64(node, "observedGeneration"), disrupted,
        JsonValues.int32(node, "disruptionsAllowed"), JsonValues.int32(node, "currentHealthy"),
        JsonValues.int32(node, "desiredHealthy"), JsonValues.int32(node, "expectedPods"), Condition.list(node));
  }
}
