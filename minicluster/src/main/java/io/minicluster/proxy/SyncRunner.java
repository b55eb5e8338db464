package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy's BoundedFrequencyRunner: runs a sync when asked, rate-limited by a token bucket that refills one sync
 * per {@code minInterval} and holds {@value #BURST_SYNCS} (kube-proxy's {@code burstSyncs}): after a quiet spell two
 * changes in a row (a service, then its endpoints) are each applied at once, and beyond that requests are batched into
 * one sync when the next token is due. It also runs at least every {@code maxInterval} (a periodic full resync). A
 * failed sync is retried after {@code minInterval}. Syncs run one at a time on the timer's thread.
 */
public final class SyncRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);
  /** kube-proxy's burstSyncs for its iptables proxier. */
  static final int BURST_SYNCS = 2;

  /** Schedules tasks; a fake in tests. */
  public interface Timer {
    /** Runs the task after the delay; the returned handle cancels it. */
    Runnable schedule(Runnable task, long delayNanos);

    long nanoTime();

    /** A timer over a single-threaded scheduled executor. */
    static Timer of(ScheduledExecutorService executor) {
      requireNonNull(executor, "executor is null");
      return new Timer() {
        @Override
        public Runnable schedule(Runnable task, long delayNanos) {
          ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
          return () -> future.cancel(false);
        }

        @Override
        public long nanoTime() {
          return System.nanoTime();
        }
      };
    }
  }

  /** The sync; throws to be retried. */
  public interface Sync {
    void run() throws Exception;
  }

  private final Sync sync;
  private final long minNanos;
  private final long maxNanos;
  private final Timer timer;
  private boolean started;
  private boolean closed;
  private long lastRun;
  /** Syncs the bucket allows now, as of {@link #refilledAt}; at most {@value #BURST_SYNCS}. */
  private double tokens = BURST_SYNCS;
  private long refilledAt;
  private long nextAt;
  private Runnable cancelNext;
  private long syncs;

  public SyncRunner(Sync sync, Duration minInterval, Duration maxInterval, Timer timer) {
    this.sync = requireNonNull(sync, "sync is null");
    this.minNanos = minInterval.toNanos();
    this.maxNanos = maxInterval.toNanos();
    this.timer = requireNonNull(timer, "timer is null");
    if (minNanos < 0 || maxNanos < minNanos) {
      throw new IllegalArgumentException("need 0 <= minInterval <= maxInterval");
    }
  }

  /** Starts: the first sync runs at once. Requests before this only wait for it. */
  public synchronized void start() {
    started = true;
    refilledAt = timer.nanoTime();
    scheduleAt(timer.nanoTime());
  }

  /** Asks for a sync: at once, or at the end of the minimum interval since the last one. */
  public synchronized void request() {
    if (!started || closed) {
      return;
    }
    long earliest = earliestAllowed(timer.nanoTime());
    if (cancelNext != null && nextAt - earliest <= 0) {
      return; // a sync is due already no later than that: this change rides along
    }
    scheduleAt(earliest);
  }

  /** The number of syncs run (succeeded or not). */
  public synchronized long syncs() {
    return syncs;
  }

  /** When the bucket next holds a whole token: now if it does. */
  private long earliestAllowed(long now) {
    refill(now);
    if (minNanos == 0 || tokens >= 1) {
      return now;
    }
    return now + (long) Math.ceil((1 - tokens) * minNanos);
  }

  private void refill(long now) {
    if (minNanos > 0) {
      tokens = Math.min(BURST_SYNCS, tokens + (double) (now - refilledAt) / minNanos);
    }
    refilledAt = now;
  }

  private void scheduleAt(long at) {
    if (closed) {
      return;
    }
    if (cancelNext != null) {
      cancelNext.run();
    }
    nextAt = at;
    cancelNext = timer.schedule(this::runSync, Math.max(0, at - timer.nanoTime()));
  }

  private void runSync() {
    synchronized (this) {
      if (closed) {
        return;
      }
      cancelNext = null;
      lastRun = timer.nanoTime();
      refill(lastRun);
      tokens -= 1;
      syncs++;
    }
    boolean ok = false;
    try {
      sync.run();
      ok = true;
    } catch (Exception e) {
      LOG.warn("service proxy sync failed (retrying in {} ms): {}", TimeUnit.NANOSECONDS.toMillis(minNanos),
          e.toString());
    }
    synchronized (this) {
      if (cancelNext == null) {
        // nothing asked meanwhile: the periodic resync, or the retry of a failure
        scheduleAt(lastRun + (ok ? maxNanos : minNanos));
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (cancelNext != null) {
      cancelNext.run();
      cancelNext = null;
    }
  }
}
