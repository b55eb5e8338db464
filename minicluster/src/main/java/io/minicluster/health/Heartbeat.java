package io.minicluster.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The progress of one core loop (or of the threads of a pool doing the same work): each thread calls {@link #begin}
 * when it takes a work item and {@link #end} when it is done with it. A loop waiting for work has nothing in flight and
 * is healthy however long it waits; a loop whose current item has been in flight for long has stalled.
 */
public final class Heartbeat {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** The longest-running item in flight: on which thread, for how long. */
  public record Busy(String thread, Duration duration) {
    public Busy {
      requireNonNull(thread, "thread is null");
      requireNonNull(duration, "duration is null");
    }
  }

  private final String name;
  private final LongSupplier nanoClock;
  private final Map<Thread, Long> inFlight = new ConcurrentHashMap<>();
  private final Supplier<OptionalLong> oldestQueued;

  /** A heartbeat on {@link System#nanoTime}. */
  public Heartbeat(String name) {
    this(name, System::nanoTime);
  }

  /**
   * @param name the check's name in {@code /livez} (lower case letters, digits and dashes: it is a URL segment)
   * @param nanoClock a monotonic clock in nanoseconds
   */
  public Heartbeat(String name, LongSupplier nanoClock) {
    this(name, nanoClock, OptionalLong::empty);
  }

  private Heartbeat(String name, LongSupplier nanoClock, Supplier<OptionalLong> oldestQueued) {
    requireNonNull(name, "name is null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a heartbeat's name is lower case letters, digits and dashes: " + name);
    }
    this.name = name;
    this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    this.oldestQueued = requireNonNull(oldestQueued, "oldestQueued is null");
  }

  /**
   * This heartbeat, also watching the loop's queue: {@code oldestQueued} tells when (on this heartbeat's clock) the
   * oldest item still waiting to be taken was queued, or empty when none waits. A loop that does not take its work
   * (a thread stuck before {@link #begin}) then shows as {@link #longestWaiting()}.
   */
  public Heartbeat watchingQueue(Supplier<OptionalLong> oldestQueued) {
    return new Heartbeat(name, nanoClock, oldestQueued);
  }

  public String name() {
    return name;
  }

  /** The calling thread has taken a work item. */
  public void begin() {
    inFlight.put(Thread.currentThread(), nanoClock.getAsLong());
  }

  /** The calling thread is done with its work item (made progress). */
  public void end() {
    inFlight.remove(Thread.currentThread());
  }

  /** {@code task} between {@link #begin} and {@link #end}. */
  public Runnable around(Runnable task) {
    requireNonNull(task, "task is null");
    return () -> {
      begin();
      try {
        task.run();
      } finally {
        end();
      }
    };
  }

  /** How long the oldest item not yet taken has waited, or empty when none waits (or the queue is not watched). */
  public Optional<Duration> longestWaiting() {
    OptionalLong queuedAt = oldestQueued.get();
    if (queuedAt.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.max(0, nanoClock.getAsLong() - queuedAt.getAsLong())));
  }

  /** The item in flight the longest, or empty when the loop is idle. */
  public Optional<Busy> longestBusy() {
    long now = nanoClock.getAsLong();
    Busy longest = null;
    for (Map.Entry<Thread, Long> item : inFlight.entrySet()) {
      Duration duration = Duration.ofNanos(Math.max(0, now - item.getValue()));
      if (longest == null || duration.compareTo(longest.duration()) > 0) {
        longest = new Busy(item.getKey().getName(), duration);
      }
    }
    return Optional.ofNullable(longest);
  }
}
