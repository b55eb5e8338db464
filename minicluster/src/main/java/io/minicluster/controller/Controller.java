package io.minicluster.controller;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.client.Informer;
import io.minicluster.client.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a reconcile-by-key loop: informers feed keys ("namespace/name") into a work queue, workers call
 * {@link Reconciler#reconcile} for each key, failures are retried with back-off. Workers start only after every
 * informer has synced.
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

  private final String name;
  private final WorkQueue queue;
  private final Reconciler reconciler;
  private final List<Informer> informers;
  private final int workers;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopped;

  public Controller(String name, WorkQueue queue, Reconciler reconciler, List<Informer> informers, int workers) {
    this.name = requireNonNull(name, "name is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.reconciler = requireNonNull(reconciler, "reconciler is null");
    this.informers = List.copyOf(informers);
    this.workers = workers;
  }

  public String name() {
    return name;
  }

  public void start() {
    Thread starter = new Thread(() -> {
      try {
        for (Informer informer : informers) {
          informer.start();
          while (!stopped && !informer.waitForSync(1, TimeUnit.SECONDS)) {
            LOG.debug("{} waiting for {} to sync", name, informer.type().plural());
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      for (int i = 0; i < workers && !stopped; i++) {
        Thread worker = new Thread(this::work, name + "-worker-" + i);
        worker.setDaemon(true);
        worker.start();
        synchronized (threads) {
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
      MDC.put("key", key);
      try {
        long again = reconciler.reconcile(key);
        queue.forget(key);
        if (again > 0) {
          queue.addAfter(key, java.time.Duration.ofMillis(again));
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
  }

  @Override
  public void close() {
    stopped = true;
    queue.close();
    synchronized (threads) {
      threads.forEach(Thread::interrupt);
    }
  }
}
