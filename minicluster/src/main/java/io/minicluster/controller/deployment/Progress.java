package io.minicluster.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.meta.Condition;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * A deployment's progress (pkg/controller/deployment/progress.go) and its conditions: the Progressing condition
 * (NewReplicaSetAvailable, ReplicaSetUpdated, ProgressDeadlineExceeded, DeploymentPaused/Resumed), the
 * ReplicaFailure condition copied from the new ReplicaSet, when to look again for the deadline, and
 * SetDeploymentCondition.
 */
final class Progress {
  private Progress() {}

  /** spec.progressDeadlineSeconds is set and not the "no deadline" maximum. */
  static boolean hasProgressDeadline(Deployment deployment) {
    Integer deadline = deployment.spec().progressDeadlineSeconds();
    return deadline != null && deadline != Integer.MAX_VALUE;
  }

  /** Progressing Unknown with DeploymentPaused / DeploymentResumed when the pause state changes. */
  static void checkPausedConditions(Sync sync) {
    if (!hasProgressDeadline(sync.deployment)) {
      return;
    }
    JsonNode progressing = condition(sync.status, "Progressing");
    String reason = progressing == null ? null : Json.textOrNull(progressing, "reason");
    boolean paused = Sync.paused(sync.deployment);
    if (paused && !"DeploymentPaused".equals(reason)) {
      setCondition(sync, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused");
    } else if (!paused && "DeploymentPaused".equals(reason)) {
      setCondition(sync, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed");
    }
  }

  /** DeploymentComplete: every replica updated and available, and the status of the current generation. */
  static boolean complete(Deployment deployment, JsonNode status) {
    int replicas = RolloutMath.replicas(deployment);
    return status.path("updatedReplicas").asInt() == replicas && status.path("replicas").asInt() == replicas
        && status.path("availableReplicas").asInt() == replicas
        && status.path("observedGeneration").asLong() >= deployment.metadata().generation();
  }

  /** DeploymentComplete of the deployment's status as read. */
  static boolean complete(Deployment deployment) {
    int replicas = RolloutMath.replicas(deployment);
    return deployment.status().updatedReplicas() == replicas && deployment.status().replicas() == replicas
        && deployment.status().availableReplicas() == replicas
        && deployment.status().observedGeneration() >= deployment.metadata().generation();
  }

  /** DeploymentProgressing: more updated, ready or available replicas than before, or fewer old ones. */
  private static boolean progressing(ObjectNode oldStatus, ObjectNode newStatus) {
    int oldOld = oldStatus.path("replicas").asInt() - oldStatus.path("updatedReplicas").asInt();
    int newOld = newStatus.path("replicas").asInt() - newStatus.path("updatedReplicas").asInt();
    return newStatus.path("updatedReplicas").asInt() > oldStatus.path("updatedReplicas").asInt() || newOld < oldOld
        || newStatus.path("readyReplicas").asInt() > oldStatus.path("readyReplicas").asInt()
        || newStatus.path("availableReplicas").asInt() > oldStatus.path("availableReplicas").asInt();
  }

  /**
   * syncRolloutStatus: the status with the Progressing condition, written; returns when to look again for the
   * deadline (milliseconds, 0 for not).
   */
  static long syncRolloutStatus(Sync sync) {
    sync.calculateStatus();
    Deployment deployment = sync.deployment;
    ObjectNode status = sync.status;
    ObjectNode oldStatus = StatusTree.of(deployment.status());
    String newName = sync.newReplicaSet == null ? null : sync.newReplicaSet.metadata().name();
    if (!hasProgressDeadline(deployment)) {
      Conditions.remove(status, "Progressing");
    }
    JsonNode current = condition(status, "Progressing");
    boolean alreadyComplete = status.path("replicas").asInt() == status.path("updatedReplicas").asInt()
        && current != null && "NewReplicaSetAvailable".equals(Json.textOrNull(current, "reason"));
    boolean timedOut = false;
    if (hasProgressDeadline(deployment) && !alreadyComplete) {
      if (complete(deployment, status)) {
        setCondition(sync, "Progressing", "True", "NewReplicaSetAvailable",
            newName == null ? "Deployment has successfully progressed."
                : "ReplicaSet \"" + newName + "\" has successfully progressed.");
      } else if (progressing(oldStatus, status)) {
        // progress moves lastUpdateTime even when status and reason stay
        replaceCondition(sync, "Progressing", "True", "ReplicaSetUpdated",
            newName == null ? "Deployment is progressing." : "ReplicaSet \"" + newName + "\" is progressing.");
      } else if (timedOut(sync)) {
        timedOut = true;
        setCondition(sync, "Progressing", "False", "ProgressDeadlineExceeded",
            "ReplicaSet \"" + newName + "\" has timed out progressing.");
      }
    }
    copyReplicaFailure(sync);
    sync.writeStatus();
    if (hasProgressDeadline(deployment) && !complete(deployment, status) && !timedOut && !timedOut(sync)) {
      JsonNode progressingCondition = condition(status, "Progressing");
      Instant since = progressingCondition == null ? null
          : Meta.parseTime(Json.textOrNull(progressingCondition, "lastUpdateTime"));
      if (since != null) {
        long deadline = deployment.spec().progressDeadlineSeconds();
        long millis = since.plusSeconds(deadline).toEpochMilli() - sync.now().toEpochMilli() + 1000;
        return Math.max(millis, 1000);
      }
    }
    return 0;
  }

  /** DeploymentTimedOut: the Progressing condition says so, or was last updated longer ago than the deadline. */
  private static boolean timedOut(Sync sync) {
    JsonNode condition = condition(sync.status, "Progressing");
    if (condition == null) {
      return false;
    }
    if ("ProgressDeadlineExceeded".equals(Json.textOrNull(condition, "reason"))) {
      return true;
    }
    Instant from = Meta.parseTime(Json.textOrNull(condition, "lastUpdateTime"));
    long deadline = sync.deployment.spec().progressDeadlineSeconds();
    return from != null && from.plusSeconds(deadline).isBefore(sync.now());
  }

  /** The new ReplicaSet's ReplicaFailure condition shows on the deployment (getReplicaFailures). */
  private static void copyReplicaFailure(Sync sync) {
    ReplicaSet newReplicaSet = sync.newReplicaSet;
    Condition failure = newReplicaSet == null ? null
        : newReplicaSet.status().conditions().stream().filter(c -> "ReplicaFailure".equals(c.type())).findFirst()
            .orElse(null);
    if (failure != null && failure.isTrue()) {
      setCondition(sync, "ReplicaFailure", "True", failure.reason().isEmpty() ? null : failure.reason(),
          failure.message().isEmpty() ? null : failure.message());
    } else {
      Conditions.remove(sync.status, "ReplicaFailure");
    }
  }

  static JsonNode condition(JsonNode status, String type) {
    return Conditions.get(status, type);
  }

  /** SetDeploymentCondition: unchanged when status and reason match; lastTransitionTime kept when status does. */
  static void setCondition(Sync sync, String type, String conditionStatus, String reason, String message) {
    JsonNode current = condition(sync.status, type);
    if (current != null && conditionStatus.equals(Json.textOrNull(current, "status"))
        && Objects.equals(reason, Json.textOrNull(current, "reason"))) {
      return;
    }
    replaceCondition(sync, type, conditionStatus, reason, message);
  }

  /** Replaces the condition of a type in the sync's status, keeping its lastTransitionTime unless the status flips. */
  private static void replaceCondition(Sync sync, String type, String conditionStatus, String reason,
      String message) {
    String now = Meta.timestamp(sync.now());
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", conditionStatus);
    condition.put("lastUpdateTime", now);
    condition.put("lastTransitionTime", now);
    condition.put("reason", reason);
    condition.put("message", message);
    Conditions.set(sync.status, condition);
  }
}
