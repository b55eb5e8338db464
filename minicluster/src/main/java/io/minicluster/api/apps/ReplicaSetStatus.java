package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** apps/v1 ReplicaSetStatus; terminatingReplicas is null when unset. */
public record ReplicaSetStatus(int replicas, int fullyLabeledReplicas, int readyReplicas, int availableReplicas,
    Integer terminatingReplicas, long observedGeneration, List<Condition> conditions) {

  public ReplicaSetStatus {
    conditions = List.copyOf(conditions);
  }

  public static ReplicaSetStatus from(JsonNode node) {
    return new ReplicaSetStatus(JsonValues.int32(node, "replicas"), JsonValues.int32(node, "fullyLabeledReplicas"),
        JsonValues.int32(node, "readyReplicas"), JsonValues.int32(node, "availableReplicas"),
        JsonValues.optionalInt32(node, "terminatingReplicas"), JsonValues.int64(node, "observedGeneration"),
        Condition.list(node));
  }
}
