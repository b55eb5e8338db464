package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** apps/v1 StatefulSetStatus; collisionCount is null when unset. */
public record StatefulSetStatus(long observedGeneration, int replicas, int readyReplicas, int currentReplicas,
    int updatedReplicas, String currentRevision, String updateRevision, Integer collisionCount,
    List<Condition> conditions, int availableReplicas) {

  public StatefulSetStatus {
    conditions = List.copyOf(conditions);
  }

  public static StatefulSetStatus from(JsonNode node) {
    return new StatefulSetStatus(JsonValues.int64(node, "observedGeneration"), JsonValues.int32(node, "replicas"),
        JsonValues.int32(node, "readyReplicas"), JsonValues.int32(node, "currentReplicas"),
        JsonValues.int32(node, "updatedReplicas"), JsonValues.string(node, "currentRevision"),
        JsonValues.string(node, "updateRevision"), JsonValues.optionalInt32(node, "collisionCount"),
        Condition.list(node), JsonValues.int32(node, "availableReplicas"));
  }
}
