package io.minicluster.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The daemon's liveness checks, one per registered {@link Heartbeat}: a check fails when its loop has had one work item
 * in flight for longer than the threshold, or (where the heartbeat watches the loop's queue) an item has waited that
 * long without being taken: it has work and makes no progress. An idle loop passes.
 */
public final class Liveness {
  /** How long one work item may take before its loop counts as stalled. */
  public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(60);

  /** Overrides {@link #DEFAULT_THRESHOLD} (whole seconds). */
  public static final String THRESHOLD_VARIABLE = "MINICLUSTER_LIVEZ_STALL_SECONDS";

  /** A check's outcome: {@code failure} is null when it passed. */
  public record Result(String name, String failure) {
    public Result {
      requireNonNull(name, "name is null");
    }

    public boolean ok() {
      return failure == null;
    }
  }

  private final Duration threshold;
  private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();

  public Liveness(Duration threshold) {
    requireNonNull(threshold, "threshold is null");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("threshold must be positive: " + threshold);
    }
    this.threshold = threshold;
  }

  /** Checks with the threshold {@value #THRESHOLD_VARIABLE} sets in {@code environment}, else the default. */
  public static Liveness fromEnvironment(Map<String, String> environment) {
    String configured = environment.get(THRESHOLD_VARIABLE);
    if (configured == null || configured.isBlank()) {
      return new Liveness(DEFAULT_THRESHOLD);
    }
    try {
      return new Liveness(Duration.ofSeconds(Long.parseLong(configured.trim())));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(THRESHOLD_VARIABLE + " is a whole number of seconds: " + configured, e);
    }
  }

  public Duration threshold() {
    return threshold;
  }

  /** Adds a check for {@code heartbeat}; names are unique. */
  public synchronized void register(Heartbeat heartbeat) {
    requireNonNull(heartbeat, "heartbeat is null");
    for (Heartbeat existing : heartbeats) {
      if (existing.name().equals(heartbeat.name())) {
        throw new IllegalArgumentException("a liveness check named " + heartbeat.name() + " is registered already");
      }
    }
    heartbeats.add(heartbeat);
  }

  /** The names of the checks, in the order they were registered. */
  public List<String> names() {
    return heartbeats.stream().map(Heartbeat::name).toList();
  }

  /** Runs every check, in the order they were registered. */
  public List<Result> check() {
    List<Result> results = new ArrayList<>();
    for (Heartbeat heartbeat : heartbeats) {
      results.add(check(heartbeat));
    }
    return results;
  }

  /** Runs the check named {@code name}; empty when there is none. */
  public Optional<Result> check(String name) {
    return heartbeats.stream().filter(h -> h.name().equals(name)).findFirst().map(this::check);
  }

  private Result check(Heartbeat heartbeat) {
    Optional<Heartbeat.Busy> busy = heartbeat.longestBusy();
    if (busy.isPresent() && busy.get().duration().compareTo(threshold) > 0) {
      return new Result(heartbeat.name(), "no progress for " + busy.get().duration().toSeconds() + "s (thread "
          + busy.get().thread() + " busy with one work item; the limit is " + threshold.toSeconds() + "s)");
    }
    Optional<Duration> waiting = heartbeat.longestWaiting();
    if (waiting.isPresent() && waiting.get().compareTo(threshold) > 0) {
      return new Result(heartbeat.name(), "no progress for " + waiting.get().toSeconds() + "s (work queued that long "
          + "has not been taken; the limit is " + threshold.toSeconds() + "s)");
    }
    return new Result(heartbeat.name(), null);
  }
}
