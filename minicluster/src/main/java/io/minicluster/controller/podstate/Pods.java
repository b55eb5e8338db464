package io.minicluster.controller.podstate;

import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.Condition;
import java.time.Instant;
import java.util.Comparator;

/** Pod state as controllers judge it (k8s.io/kubernetes/pkg/api/v1/pod and pkg/controller helpers). */
public final class Pods {
  private Pods() {}

  /** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
  public static boolean active(Pod pod) {
    return !pod.isTerminal() && !pod.metadata().isDeleting();
  }

  /** When the pod last became ready, or null. */
  public static Instant readySince(Pod pod) {
    return pod.status().condition("Ready").map(Condition::lastTransitionTime).orElse(null);
  }

  /** podutil.IsPodAvailable: ready for at least minReadySeconds. */
  public static boolean available(Pod pod, long minReadySeconds, Instant now) {
    if (!pod.isReady()) {
      return false;
    }
    if (minReadySeconds <= 0) {
      return true;
    }
    Instant since = readySince(pod);
    return since != null && !since.plusSeconds(minReadySeconds).isAfter(now);
  }

  private static int phaseRank(Pod pod) {
    return switch (pod.status().phase()) {
      case Pod.PENDING -> 0;
      case "Unknown" -> 1;
      case Pod.RUNNING -> 2;
      default -> 3;
    };
  }

  private static int restarts(Pod pod) {
    return pod.status().containerStatuses().stream().mapToInt(ContainerStatus::restartCount).max().orElse(0);
  }

  /**
   * controller.ActivePods ordering: the pods to delete first come first. Unassigned before assigned, Pending before
   * Unknown before Running, not ready before ready, ready for a shorter time before longer, more restarts before
   * fewer, newer before older.
   */
  public static final Comparator<Pod> DELETION_ORDER = Comparator
      .<Pod>comparingInt(pod -> pod.spec().nodeName().isEmpty() ? 0 : 1)
      .thenComparingInt(Pods::phaseRank)
      .thenComparingInt(pod -> pod.isReady() ? 1 : 0)
      .thenComparing((a, b) -> {
        if (!a.isReady() || !b.isReady()) {
          return 0;
        }
        Instant first = readySince(a);
        Instant second = readySince(b);
        if (first == null || second == null || first.equals(second)) {
          return 0;
        }
        return second.compareTo(first); // later transition (shorter readiness) first
      })
      .thenComparing(Comparator.comparingInt(Pods::restarts).reversed())
      .thenComparing((a, b) -> {
        Instant first = a.metadata().creationTimestamp();
        Instant second = b.metadata().creationTimestamp();
        if (first == null || second == null) {
          return first == null ? (second == null ? 0 : -1) : 1;
        }
        return second.compareTo(first); // newer first
      });
}
