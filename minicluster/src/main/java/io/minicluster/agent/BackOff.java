package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential back-off like client-go's {@code flowcontrol.Backoff}, used for container restarts (10 s
 * doubling to 5 min) and image pulls. An entry not updated for twice the maximum is forgotten, so a container that ran
 * for ten minutes starts again at the initial delay.
 */
public final class BackOff {
  private final Clock clock;
  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new HashMap<>();

  private record Entry(Duration delay, Instant lastUpdate) {}

  public BackOff(Clock clock, Duration initial, Duration max) {
    this.clock = requireNonNull(clock, "clock is null");
    this.initial = requireNonNull(initial, "initial is null");
    this.max = requireNonNull(max, "max is null");
  }

  /** Whether {@code key} is still backing off from an event (e.g. the container's exit) at {@code eventTime}. */
  public synchronized boolean inBackOffSince(String key, Instant eventTime) {
    Entry entry = entries.get(key);
    if (entry == null || expired(entry)) {
      return false;
    }
    return Duration.between(eventTime, clock.instant()).compareTo(entry.delay()) < 0;
  }

  /** The current delay of {@code key}, zero when none. */
  public synchronized Duration delay(String key) {
    Entry entry = entries.get(key);
    return entry == null || expired(entry) ? Duration.ZERO : entry.delay();
  }

  /** How long until {@code key} may act again after {@code eventTime}; zero if now. */
  public synchronized Duration remaining(String key, Instant eventTime) {
    Entry entry = entries.get(key);
    if (entry == null || expired(entry)) {
      return Duration.ZERO;
    }
    Duration left = entry.delay().minus(Duration.between(eventTime, clock.instant()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records an attempt: the first (or first after expiry) gets the initial delay, later ones double up to the max. */
  public synchronized void next(String key) {
    Entry entry = entries.get(key);
    Instant now = clock.instant();
    if (entry == null || expired(entry)) {
      entries.put(key, new Entry(initial, now));
    } else {
      Duration doubled = entry.delay().multipliedBy(2);
      entries.put(key, new Entry(doubled.compareTo(max) > 0 ? max : doubled, now));
    }
  }

  public synchronized void reset(String key) {
    entries.remove(key);
  }

  /** Forgets every key starting with {@code prefix} (a pod's keys when it is gone). */
  public synchronized void forgetPrefix(String prefix) {
    entries.keySet().removeIf(key -> key.startsWith(prefix));
  }

  private boolean expired(Entry entry) {
    return Duration.between(entry.lastUpdate(), clock.instant()).compareTo(max.multipliedBy(2)) > 0;
  }
}
