package io.minicluster.agent;

import io.minicluster.api.core.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The kubelet's activeDeadlineHandler: a pod with {@code spec.activeDeadlineSeconds} may be active on the node that
 * long after its {@code status.startTime}; then it fails with {@value #REASON} and its containers are killed.
 */
final class ActiveDeadline {
  static final String REASON = "DeadlineExceeded";
  static final String MESSAGE = "Pod was active on the node longer than the specified deadline";

  private ActiveDeadline() {}

  /**
   * The time left before the pod's deadline (zero or negative once past it); empty when it has no
   * activeDeadlineSeconds. A pod without a startTime starts now (the agent writes that startTime in this sync).
   */
  static Optional<Duration> remaining(Pod pod, Instant now) {
    Long seconds = pod.spec().activeDeadlineSeconds();
    if (seconds == null) {
      return Optional.empty();
    }
    Instant started = pod.status().startTime() == null ? now : pod.status().startTime();
    return Optional.of(Duration.between(now, started.plusSeconds(seconds)));
  }
}
