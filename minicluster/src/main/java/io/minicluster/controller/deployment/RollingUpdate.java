package io.minicluster.controller.deployment;

import static io.minicluster.controller.deployment.ReplicaSets.oldestFirst;
import static io.minicluster.controller.deployment.ReplicaSets.specReplicas;
import static io.minicluster.controller.deployment.ReplicaSets.totalSpecReplicas;
import static io.minicluster.controller.deployment.ReplicaSets.totalStatusCount;

import io.minicluster.api.apps.ReplicaSet;

/**
 * The RollingUpdate strategy (pkg/controller/deployment/rolling.go): the new ReplicaSet grows while the total stays
 * within spec.replicas + maxSurge, old ReplicaSets shrink while at least spec.replicas - maxUnavailable pods stay
 * available, unhealthy old replicas first.
 */
final class RollingUpdate {
  private RollingUpdate() {}

  /** rolloutRolling: one step of the rollout; returns when to look again (see {@link Progress}). */
  static long rollout(Sync sync) {
    sync.ensureNewReplicaSet(true);
    if (reconcileNewReplicaSet(sync)) {
      return Progress.syncRolloutStatus(sync);
    }
    if (reconcileOldReplicaSets(sync)) {
      return Progress.syncRolloutStatus(sync);
    }
    if (Progress.complete(sync.deployment)) {
      sync.cleanup();
    }
    return Progress.syncRolloutStatus(sync);
  }

  /** reconcileNewReplicaSet: scales the new ReplicaSet up as far as surge allows, or down to spec.replicas. */
  static boolean reconcileNewReplicaSet(Sync sync) {
    ReplicaSet newReplicaSet = sync.newReplicaSet;
    int current = specReplicas(newReplicaSet);
    if (current == sync.replicas) {
      return false;
    }
    if (current > sync.replicas) {
      return sync.scale(newReplicaSet, sync.replicas);
    }
    return sync.scale(newReplicaSet, sync.newReplicaSetReplicas(current));
  }

  /** reconcileOldReplicaSets: scales old ReplicaSets down as far as availability allows. */
  private static boolean reconcileOldReplicaSets(Sync sync) {
    int oldPods = totalSpecReplicas(sync.oldReplicaSets);
    if (oldPods == 0) {
      return false;
    }
    int allPods = totalSpecReplicas(sync.all());
    int minAvailable = sync.replicas - RolloutMath.maxUnavailable(sync.deployment);
    ReplicaSet newReplicaSet = sync.newReplicaSet;
    int newUnavailable = specReplicas(newReplicaSet) - newReplicaSet.status().availableReplicas();
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    int cleaned = cleanupUnhealthyReplicas(sync, maxScaledDown);
    int scaledDown = scaleDownOldReplicaSets(sync, minAvailable);
    return cleaned + scaledDown > 0;
  }

  /** cleanupUnhealthyReplicas: first the unavailable replicas of old ReplicaSets, oldest first. */
  private static int cleanupUnhealthyReplicas(Sync sync, int maxScaledDown) {
    int cleaned = 0;
    for (ReplicaSet replicaSet : oldestFirst(sync.oldReplicaSets)) {
      if (cleaned >= maxScaledDown) {
        break;
      }
      int replicas = specReplicas(replicaSet);
      int available = replicaSet.status().availableReplicas();
      if (replicas == 0 || replicas == available) {
        continue;
      }
      int count = Math.min(maxScaledDown - cleaned, replicas - available);
      sync.scale(replicaSet, replicas - count);
      cleaned += count;
    }
    return cleaned;
  }

  /** scaleDownOldReplicaSetsForRollingUpdate: then available ones, as far as availability allows. */
  private static int scaleDownOldReplicaSets(Sync sync, int minAvailable) {
    int availablePods = totalStatusCount(sync.all(), ReplicaSets::available);
    if (availablePods <= minAvailable) {
      return 0;
    }
    int total = availablePods - minAvailable;
    int scaledDown = 0;
    for (ReplicaSet replicaSet : oldestFirst(sync.oldReplicaSets)) {
      if (scaledDown >= total) {
        break;
      }
      int replicas = specReplicas(replicaSet);
      if (replicas == 0) {
        continue;
      }
      int count = Math.min(replicas, total - scaledDown);
      sync.scale(replicaSet, replicas - count);
      scaledDown += count;
    }
    return scaledDown;
  }
}
