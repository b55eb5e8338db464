package io.minicluster.api.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;
import java.util.List;

/** autoscaling/v2 HorizontalPodAutoscalerStatus as the autoscaler reads it back; lastScaleTime null when unset. */
public record HorizontalPodAutoscalerStatus(Long observedGeneration, Instant lastScaleTime, int currentReplicas,
    int desiredReplicas, List<Condition> conditions) {

  public HorizontalPodAutoscalerStatus {
    conditions = List.copyOf(conditions);
  }

  public static HorizontalPodAutoscalerStatus from(JsonNode node) {
    return new HorizontalPodAutoscalerStatus(JsonValues.optionalInt64(node, "observedGeneration"),
        JsonValues.time(node, "lastScaleTime"), JsonValues.int32(node, "currentReplicas"),
        JsonValues.int32(node, "desiredReplicas"), Condition.list(node));
  }
}
