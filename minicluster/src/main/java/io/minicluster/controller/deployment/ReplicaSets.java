package io.minicluster.controller.deployment;

import io.minicluster.api.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What the deployment controller reads of its ReplicaSets (deployment/util): their sizes and status counts, summed
 * over a set as GetReplicaCountForReplicaSets and its siblings do, their revision, and their age order.
 */
final class ReplicaSets {
  /** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
  static final Comparator<ReplicaSet> BY_CREATION = Comparator
      .comparing((ReplicaSet rs) -> rs.metadata().creationTimestamp(),
          Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
      .thenComparing(rs -> rs.metadata().name());

  private ReplicaSets() {}

  /** spec.replicas, 1 when unset. */
  static int specReplicas(ReplicaSet replicaSet) {
    Integer replicas = replicaSet.spec().replicas();
    return replicas == null ? 1 : replicas;
  }

  /** The sum of spec.replicas over the ReplicaSets. */
  static int totalSpecReplicas(Collection<ReplicaSet> replicaSets) {
    return replicaSets.stream().mapToInt(ReplicaSets::specReplicas).sum();
  }

  /** The sum of one status count over the ReplicaSets. */
  static int totalStatusCount(Collection<ReplicaSet> replicaSets, ToIntFunction<ReplicaSet> count) {
    return replicaSets.stream().mapToInt(count).sum();
  }

  static int replicas(ReplicaSet replicaSet) {
    return replicaSet.status().replicas();
  }

  static int available(ReplicaSet replicaSet) {
    return replicaSet.status().availableReplicas();
  }

  static int ready(ReplicaSet replicaSet) {
    return replicaSet.status().readyReplicas();
  }

  /** A copy of the ReplicaSets, oldest first. */
  static List<ReplicaSet> oldestFirst(Collection<ReplicaSet> replicaSets) {
    List<ReplicaSet> sorted = new ArrayList<>(replicaSets);
    sorted.sort(BY_CREATION);
    return sorted;
  }

  /** The revision annotation as a number, 0 when absent or not a number. */
  static long revision(ReplicaSet replicaSet) {
    String text = replicaSet.metadata().annotations().get(Revisions.REVISION);
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
