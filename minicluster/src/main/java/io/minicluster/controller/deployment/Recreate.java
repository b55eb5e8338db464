package io.minicluster.controller.deployment;

import static io.minicluster.controller.deployment.ReplicaSets.specReplicas;

import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.core.Pod;
import io.minicluster.client.Informer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Recreate strategy (pkg/controller/deployment/recreate.go): every old ReplicaSet goes to zero, and only when
 * none of their pods runs any more is the new ReplicaSet created and scaled up.
 */
final class Recreate {
  private Recreate() {}

  /** rolloutRecreate: one step of the rollout; returns when to look again (see {@link Progress}). */
  static long rollout(Sync sync, Informer<Pod> pods) {
    sync.ensureNewReplicaSet(false);
    boolean scaledDown = false;
    for (ReplicaSet old : List.copyOf(sync.oldReplicaSets)) {
      if (specReplicas(old) > 0) {
        scaledDown |= sync.scale(old, 0);
      }
    }
    if (scaledDown || oldPodsRunning(sync, pods)) {
      return Progress.syncRolloutStatus(sync);
    }
    sync.ensureNewReplicaSet(true);
    RollingUpdate.reconcileNewReplicaSet(sync);
    if (Progress.complete(sync.deployment)) {
      sync.cleanup();
    }
    return Progress.syncRolloutStatus(sync);
  }

  /** oldPodsRunning: an old ReplicaSet still reports replicas, or one of its pods is not finished. */
  private static boolean oldPodsRunning(Sync sync, Informer<Pod> pods) {
    if (sync.oldReplicaSets.stream().anyMatch(rs -> rs.status().replicas() > 0)) {
      return true;
    }
    Set<String> oldUids = new HashSet<>();
    sync.oldReplicaSets.forEach(rs -> oldUids.add(rs.metadata().uid()));
    String namespace = sync.deployment.metadata().namespace();
    return pods.list(namespace).stream().anyMatch(pod -> !pod.isTerminal()
        && pod.metadata().controllerRef().map(reference -> oldUids.contains(reference.uid())).orElse(false));
  }
}
