package io.minicluster.health;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Acts on the liveness checks, as a kubelet acts on a container's liveness probe: {@link #tick()} runs every check;
 * while all pass the outcome hears {@link Outcome#alive()} (the daemon pings systemd's watchdog then), and when a check
 * has failed on {@code failureThreshold} ticks in a row the outcome hears {@link Outcome#stalled} (the daemon ends
 * then, crash-only, and its service manager starts it again). One passing tick resets the count.
 */
public final class Watchdog {
  /** What a tick found. */
  public interface Outcome {
    /** Every check passed. */
    void alive();

    /** These checks failed on {@code failureThreshold} ticks in a row. */
    void stalled(List<Liveness.Result> failed);
  }

  private final Liveness liveness;
  private final int failureThreshold;
  private final Outcome outcome;
  private int failedTicks;

  public Watchdog(Liveness liveness, int failureThreshold, Outcome outcome) {
    this.liveness = requireNonNull(liveness, "liveness is null");
    this.outcome = requireNonNull(outcome, "outcome is null");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
    }
    this.failureThreshold = failureThreshold;
  }

  /** Runs the checks once and tells the outcome. */
  public void tick() {
    List<Liveness.Result> failed = liveness.check().stream().filter(result -> !result.ok()).toList();
    boolean stalled;
    synchronized (this) {
      failedTicks = failed.isEmpty() ? 0 : failedTicks + 1;
      stalled = failedTicks >= failureThreshold;
    }
    if (failed.isEmpty()) {
      outcome.alive();
    } else if (stalled) {
      outcome.stalled(failed);
    }
  }

  /** One line naming each failed check and why, for the daemon's last log line. */
  public static String describe(List<Liveness.Result> failed) {
    StringBuilder line = new StringBuilder();
    for (Liveness.Result result : failed) {
      if (line.length() > 0) {
        line.append("; ");
      }
      line.append(result.name()).append(": ").append(result.failure());
    }
    return line.toString();
  }
}
