package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.health.Heartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a reconcile-by-key loop: informers feed keys ("namespace/name") into a work queue, workers call
 * {@link Reconciler#reconcile} for each key, failures are retried with back-off. Workers start only after every
 * informer has synced. A key is never reconciled twice at once (the queue keeps it in flight until it is done).
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  /** The level-driven logic of one controller: read the current state of the key and converge. */
  public interface Reconciler {
    /**
     * Reconciles one key. Throw to retry with back-off; return a positive delay in milliseconds to be called again
     * later (e.g. to re-check a deadline), 0 otherwise.
     */
    long reconcile(String key) throws Exception;
  }

  /**
   * A reconciler as the wiring runs it: the keys come from the informer handlers it registered on the work queue it
   * was given, and its workers wait for the first list of the informers it reads. A loop builds neither its queue nor
   * its runner: the wiring builds both and hands the loop's {@link #informers()} to the runner.
   */
  public interface Loop extends Reconciler {
    /** The informers the loop reads, each to be synced before its first reconcile. */
    List<Informer<?>> informers();
  }

  /**
   * Keys whose reconcile may take long (e.g. waiting out a grace period) and run on an executor of their own, so that
   * they never hold up a worker; the key stays in flight until its reconcile returns.
   *
   * @param when which keys to run aside (tested when the key is taken from the queue)
   * @param executor where they run; when it refuses (shutting down) the worker runs the key itself
   */
  public record Offload(Predicate<String> when, Executor executor) {
    public Offload {
      requireNonNull(when, "when is null");
      requireNonNull(executor, "executor is null");
    }
  }

  private final String name;
  private final WorkQueue queue;
  private final Reconciler reconciler;
  private final List<Informer<?>> informers;
  private final int workers;
  private final Offload offload;
  private final List<Thread> threads = new ArrayList<>();
  private final Heartbeat heartbeat;
  private volatile boolean stopped;

  public Controller(String name, WorkQueue queue, Reconciler reconciler, List<? extends Informer<?>> informers,
      int workers) {
    this(name, queue, reconciler, informers, workers, null);
  }

  /** With slow keys run aside ({@code offload} null: none). */
  public Controller(String name, WorkQueue queue, Reconciler reconciler, List<? extends Informer<?>> informers,
      int workers, Offload offload) {
    this.name = requireNonNull(name, "name is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.reconciler = requireNonNull(reconciler, "reconciler is null");
    this.informers = List.copyOf(informers);
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + workers);
    }
    this.workers = workers;
    this.offload = offload;
    this.heartbeat = new Heartbeat("controller-" + name);
  }

  public String name() {
    return name;
  }

  /**
   * The progress of the workers, for liveness checks: a key in flight on a worker (keys run aside by {@link Offload}
   * may take long and are not counted).
   */
  public Heartbeat heartbeat() {
    return heartbeat;
  }

  public void start() {
    Thread starter = new Thread(() -> {
      try {
        for (Informer<?> informer : informers) {
          informer.start();
          while (!stopped && !informer.waitForSync(1, TimeUnit.SECONDS)) {
            LOG.debug("{} waiting for {} to sync", name, informer.type().plural());
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      synchronized (threads) {
        for (int i = 0; i < workers && !stopped; i++) {
          Thread worker = new Thread(this::work, name + "-worker-" + i);
          worker.setDaemon(true);
          worker.start();
          threads.add(worker);
        }
      }
      LOG.info("controller {} started", name);
    }, name + "-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void work() {
    while (!stopped) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        return;
      }
      if (offload != null && offload.when().test(key)) {
        try {
          offload.executor().execute(() -> process(key));
          continue;
        } catch (RejectedExecutionException e) {
          // shutting down: run it here
        }
      }
      heartbeat.begin();
      try {
        process(key);
      } finally {
        heartbeat.end();
      }
    }
  }

  private void process(String key) {
    MDC.put("key", key);
    try {
      long again = reconciler.reconcile(key);
      queue.forget(key);
      if (again > 0) {
        queue.addAfter(key, Duration.ofMillis(again));
      }
    } catch (ApiException e) {
      if (e.code() == 409) {
        LOG.debug("{}: conflict reconciling {}, retrying", name, key);
      } else {
        LOG.warn("{}: error reconciling {}: {}", name, key, e.getMessage());
      }
      queue.addRateLimited(key);
    } catch (Exception e) {
      LOG.warn("{}: error reconciling {}", name, key, e);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
      MDC.remove("key");
    }
  }

  /** Stops the workers: the queue shuts down, a worker finishes the key it is reconciling and ends. */
  @Override
  public void close() {
    stopped = true;
    queue.close();
    synchronized (threads) {
      threads.forEach(Thread::interrupt);
    }
  }

  /** Waits for the workers to end after {@link #close()}; false on timeout. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Thread> workers;
    synchronized (threads) {
      workers = List.copyOf(threads);
    }
    for (Thread worker : workers) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      if (worker.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
