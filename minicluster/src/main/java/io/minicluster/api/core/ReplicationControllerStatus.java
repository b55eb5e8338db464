package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.ReplicationControllerStatus. */
public record ReplicationControllerStatus(int replicas, int fullyLabeledReplicas, int readyReplicas,
    int availableReplicas, long observedGeneration, List<Condition> conditions) {

  public ReplicationControllerStatus {
    conditions = List.copyOf(conditions);
  }

  public static ReplicationControllerStatus from(JsonNode node) {
    return new ReplicationControllerStatus(JsonValues.int32(node, "replicas"),
        JsonValues.int32(node, "fullyLabeledReplicas"), JsonValues.int32(node, "readyReplicas"),
        JsonValues.int32(node, "availableReplicas"), JsonValues.int64(node, "observedGeneration"),
        Condition.list(node));
  }
}
