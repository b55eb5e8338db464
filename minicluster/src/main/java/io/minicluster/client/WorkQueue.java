package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * client-go's rate-limited work queue: a key queued several times is processed once; a key is never processed by two
 * workers at once (re-added while processing, it runs again after {@link #done}); failures are retried with
 * per-key exponential back-off until {@link #forget}.
 *
 * <p>Keys are taken in the order they were queued, or, for a queue built with a priority function, the highest
 * priority first and among equal priorities in the order they were queued (kube-scheduler's active queue: PrioritySort).
 * The priority of a key is taken when it is queued.
 */
public final class WorkQueue implements AutoCloseable {
  /** A queued key, its priority when it was queued, and its place in the order of queueing. */
  private record Queued(String key, int priority, long sequence) {}

  private static final Comparator<Queued> ORDER = Comparator.comparingInt((Queued queued) -> -queued.priority())
      .thenComparingLong(Queued::sequence);

  private final PriorityQueue<Queued> queue = new PriorityQueue<>(ORDER);
  /** The keys to be processed (queued, or re-added while processing) with their priority. */
  private final Map<String, Integer> dirty = new HashMap<>();
  private final Set<String> processing = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final ScheduledExecutorService delays;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final ToIntFunction<String> priority;
  private long sequence;
  private boolean shutdown;

  public WorkQueue(String name, Duration baseDelay, Duration maxDelay) {
    this(name, baseDelay, maxDelay, key -> 0);
  }

  /**
   * A queue that hands out the key of highest priority first.
   *
   * @param priority the priority of a key, asked when it is queued (outside the queue's lock)
   */
  public WorkQueue(String name, Duration baseDelay, Duration maxDelay, ToIntFunction<String> priority) {
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.priority = requireNonNull(priority, "priority is null");
    this.delays = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "workqueue-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  public WorkQueue(String name) {
    this(name, Duration.ofMillis(50), Duration.ofSeconds(60));
  }

  public void add(String key) {
    int keyPriority = priority.applyAsInt(key);
    synchronized (this) {
      if (shutdown || dirty.containsKey(key)) {
        return;
      }
      dirty.put(key, keyPriority);
      if (!processing.contains(key)) {
        enqueue(key, keyPriority);
      }
    }
  }

  private void enqueue(String key, int keyPriority) {
    queue.add(new Queued(key, keyPriority, sequence++));
    notifyAll();
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
    String key = queue.poll().key();
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  public synchronized void done(String key) {
    processing.remove(key);
    Integer keyPriority = dirty.get(key);
    if (keyPriority != null) {
      enqueue(key, keyPriority);
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
