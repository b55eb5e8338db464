package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** apps/v1 DaemonSetStatus; collisionCount is null when unset. */
public record DaemonSetStatus(int currentNumberScheduled, int numberMisscheduled, int desiredNumberScheduled,
    int numberReady, long observedGeneration, int updatedNumberScheduled, int numberAvailable, int numberUnavailable,
    Integer collisionCount, List<Condition> conditions) {

  public DaemonSetStatus {
    conditions = List.copyOf(conditions);
  }

  public static DaemonSetStatus from(JsonNode node) {
    return new DaemonSetStatus(JsonValues.int32(node, "currentNumberScheduled"),
        JsonValues.int32(node, "numberMisscheduled"), JsonValues.int32(node, "desiredNumberScheduled"),
        JsonValues.int32(node, "numberReady"), JsonValues.int64(node, "observedGeneration"),
        JsonValues.int32(node, "updatedNumberScheduled"), JsonValues.int32(node, "numberAvailable"),
        JsonValues.int32(node, "numberUnavailable"), JsonValues.optionalInt32(node, "collisionCount"),
        Condition.list(node));
  }
}
