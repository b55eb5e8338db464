package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;
import java.util.Optional;

/** apps/v1 DeploymentStatus; terminatingReplicas and collisionCount are null when unset. */
public record DeploymentStatus(long observedGeneration, int replicas, int updatedReplicas, int readyReplicas,
    int availableReplicas, int unavailableReplicas, Integer terminatingReplicas, List<Condition> conditions,
    Integer collisionCount) {

  public DeploymentStatus {
    conditions = List.copyOf(conditions);
  }

  public static DeploymentStatus from(JsonNode node) {
    return new DeploymentStatus(JsonValues.int64(node, "observedGeneration"), JsonValues.int32(node, "replicas"),
        JsonValues.int32(node, "updatedReplicas"), JsonValues.int32(node, "readyReplicas"),
        JsonValues.int32(node, "availableReplicas"), JsonValues.int32(node, "unavailableReplicas"),
        JsonValues.optionalInt32(node, "terminatingReplicas"), Condition.list(node),
        JsonValues.optionalInt32(node, "collisionCount"));
  }

  /** The condition of a type (Available, Progressing, ReplicaFailure). */
  public Optional<Condition> condition(String type) {
    return Condition.find(conditions, type);
  }
}
