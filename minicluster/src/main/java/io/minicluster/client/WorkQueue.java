package io.minicluster.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * client-go's rate-limited work queue: a key queued several times is processed once; a key is never processed by two
 * workers at once (re-added while processing, it runs again after {@link #done}); failures are retried with
 * per-key exponential back-off until {@link #forget}.
 */
public final class WorkQueue implements AutoCloseable {
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Set<String> dirty = new HashSet<>();
  private final Set<String> processing = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final ScheduledExecutorService delays;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private boolean shutdown;

  public WorkQueue(String name, Duration baseDelay, Duration maxDelay) {
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.delays = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "workqueue-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  public WorkQueue(String name) {
    this(name, Duration.ofMillis(50), Duration.ofSeconds(60));
  }

  public synchronized void add(String key) {
    if (shutdown || dirty.contains(key)) {
      return;
    }
    dirty.add(key);
    if (!processing.contains(key)) {
      queue.add(key);
      notifyAll();
    }
  }

  public void addAfter(String key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    synchronized (this) {
      if (shutdown) {
        return;
      }
    }
    delays.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-queues a failed key after its back-off delay. */
  public void addRateLimited(String key) {
    int count;
    synchronized (this) {
      count = failures.merge(key, 1, Integer::sum);
    }
    long millis = baseDelay.toMillis() * (1L << Math.min(count - 1, 20));
    addAfter(key, Duration.ofMillis(Math.min(millis, maxDelay.toMillis())));
  }

  public synchronized void forget(String key) {
    failures.remove(key);
  }

  public synchronized int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  /** Blocks for the next key; null after shutdown. */
  public synchronized String take() throws InterruptedException {
    while (queue.isEmpty() && !shutdown) {
      wait();
    }
    if (shutdown) {
      return null;
    }
    String key = queue.poll();
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  public synchronized void done(String key) {
    processing.remove(key);
    if (dirty.contains(key)) {
      queue.add(key);
      notifyAll();
    }
  }

  public synchronized int length() {
    return queue.size();
  }

  @Override
  public synchronized void close() {
    shutdown = true;
    notifyAll();
    delays.shutdownNow();
  }
}
