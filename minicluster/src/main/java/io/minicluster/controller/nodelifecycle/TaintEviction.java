package io.minicluster.controller.nodelifecycle;

import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Taint;
import io.minicluster.api.core.Toleration;
import io.minicluster.api.core.helper.Tolerations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a pod on a node with NoExecute taints is to be deleted (pkg/controller/tainteviction): at once when one of the
 * taints is not tolerated; else after the shortest {@code tolerationSeconds} of the tolerations used (each taint's first
 * matching toleration, as GetMatchingTolerations; none with seconds: never; zero or negative: at once), counted from when the newest of the taints was added (or the pod created,
 * if later), so the deadline survives a restart of the controller.
 */
final class TaintEviction {
  private TaintEviction() {}

  /** The instant the pod is to be deleted, or empty when it tolerates the taints forever. */
  static Optional<Instant> due(Pod pod, List<Taint> taints, Instant now) {
    List<Taint> noExecute = taints.stream().filter(t -> Tolerations.NO_EXECUTE.equals(t.effect())).toList();
    if (noExecute.isEmpty()) {
      return Optional.empty();
    }
    List<Toleration> tolerations = pod.spec().tolerations();
    Long shortest = null;
    Instant start = pod.metadata().creationTimestamp();
    for (Taint taint : noExecute) {
      Optional<Toleration> used = tolerations.stream().filter(t -> Tolerations.tolerates(t, taint)).findFirst();
      if (used.isEmpty()) {
        return Optional.of(now);
      }
      Long seconds = used.get().tolerationSeconds();
      if (seconds != null && (shortest == null || seconds < shortest)) {
        shortest = seconds;
      }
      Instant added = taint.timeAdded() == null ? now : taint.timeAdded();
      if (start == null || added.isAfter(start)) {
        start = added;
      }
    }
    if (shortest == null) {
      return Optional.empty();
    }
    return Optional.of(start.plus(Duration.ofSeconds(Math.max(0, shortest))));
  }
}
