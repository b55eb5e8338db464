package io.minicluster.controller.job;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The pod-failure back-off of Jobs (the job controller's backoffStore): after failures with no success since, a Job's
 * next pod waits {@code base * 2^(failures-1)}, at most {@code max}, counted from the last failure.
 */
final class PodFailureBackoff {
  /** Upstream's DefaultJobPodFailureBackOff. */
  static final Duration DEFAULT_BASE = Duration.ofSeconds(10);
  /** Upstream's MaxJobPodFailureBackOff. */
  static final Duration DEFAULT_MAX = Duration.ofMinutes(10);

  /** Failures since the last success, and when the last of them finished (null with none). */
  record Record(int failuresAfterLastSuccess, Instant lastFailureTime) {
    static final Record NONE = new Record(0, null);
  }

  private final Map<String, Record> records = new ConcurrentHashMap<>();
  private final Duration base;
  private final Duration max;

  PodFailureBackoff(Duration base, Duration max) {
    this.base = requireNonNull(base, "base is null");
    this.max = requireNonNull(max, "max is null");
  }

  /** newBackoffRecord: the Job's record after its newly finished pods (not stored yet, see {@link #store}). */
  Record next(String key, Collection<Pod> newSucceeded, Collection<Pod> newFailed, Instant now) {
    Record stored = records.getOrDefault(key, Record.NONE);
    if (newSucceeded.isEmpty()) {
      if (newFailed.isEmpty()) {
        return stored;
      }
      return new Record(stored.failuresAfterLastSuccess() + newFailed.size(), latest(newFailed, now));
    }
    if (newFailed.isEmpty()) {
      return Record.NONE;
    }
    Instant lastSuccess = latest(newSucceeded, now);
    List<Instant> failuresAfter = newFailed.stream().map(pod -> finishedAt(pod, now))
        .filter(time -> time.isAfter(lastSuccess)).toList();
    if (failuresAfter.isEmpty()) {
      return Record.NONE;
    }
    return new Record(failuresAfter.size(), failuresAfter.stream().max(Comparator.naturalOrder()).orElseThrow());
  }

  void store(String key, Record record) {
    if (record.failuresAfterLastSuccess() == 0) {
      records.remove(key);
    } else {
      records.put(key, record);
    }
  }

  void forget(String key) {
    records.remove(key);
  }

  /** How long the next pod of a Job with this record must wait; zero when it may start now. */
  Duration remaining(Record record, Instant now) {
    if (record.failuresAfterLastSuccess() == 0 || record.lastFailureTime() == null) {
      return Duration.ZERO;
    }
    Duration delay = base;
    for (int i = 1; i < record.failuresAfterLastSuccess() && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(max) > 0) {
      delay = max;
    }
    Duration elapsed = Duration.between(record.lastFailureTime(), now);
    if (elapsed.isNegative()) {
      return delay;
    }
    Duration left = delay.minus(elapsed);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Instant latest(Collection<Pod> pods, Instant now) {
    return pods.stream().map(pod -> finishedAt(pod, now)).max(Comparator.naturalOrder()).orElse(now);
  }

  /**
   * getFinishedTime: the last container's finishedAt, else when the Ready condition went False, else the deletion
   * timestamp, else now.
   */
  static Instant finishedAt(Pod pod, Instant now) {
    Instant containers = Stream.concat(pod.status().containerStatuses().stream(),
            pod.status().initContainerStatuses().stream())
        .map(ContainerStatus::state).filter(Objects::nonNull).map(state -> state.terminated())
        .filter(Objects::nonNull).map(terminated -> terminated.finishedAt()).filter(Objects::nonNull)
        .max(Comparator.naturalOrder()).orElse(null);
    if (containers != null) {
      return containers;
    }
    Instant notReady = pod.status().condition("Ready").filter(Condition::isFalse)
        .map(Condition::lastTransitionTime).orElse(null);
    if (notReady != null) {
      return notReady;
    }
    return pod.metadata().deletionTimestamp() != null ? pod.metadata().deletionTimestamp() : now;
  }
}
