package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.health.Heartbeat;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one list+watch of a resource type in the process (client-go's shared index informer without the typed part):
 * tells its listeners (the typed {@link Informer} views) about adds, updates and deletes on one dispatch thread. When
 * the watch ends (timeout, slow consumer, 410 Expired) it re-lists and emits the differences, so listeners always
 * converge on the current state.
 *
 * <p>It keeps per key only the resourceVersion it last delivered (what the re-list diff needs), never the object:
 * each tree is handed to the views' decoders as it arrives and dropped, so the process holds each object once, as the
 * records of its views (a Jackson tree of a pod costs about 10 KB, several times its record). A view created after the
 * informer started gets the current objects from a re-list (in process, once per late view) rather than from a copy
 * of every object kept for that purpose.
 */
final class ResourceInformer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceInformer.class);

  /**
   * A view's side of the dispatch; called on the dispatch thread only. {@code key} is the object's key, the same
   * String instance for every listener, so that the views' caches share it.
   */
  interface Listener {
    /** A new object, or a new version of one: the listener holds the previous version itself, if any. */
    void changed(String key, ObjectNode object);

    /**
     * The object under {@code key} is gone. {@code last} is the watch's DELETED object, or null when a re-list found
     * it gone: the listener's own last version is then the last state known.
     */
    void deleted(String key, ObjectNode last);

    /** The first list was delivered (called after every later list too). */
    void synced();
  }

  private final ListWatch source;
  private final Heartbeat heartbeat;
  private final ResourceType type;
  private final Duration retryDelay;
  /** The resourceVersion last delivered per key; read and written on the dispatch thread only. */
  private final Map<String, String> versions = new HashMap<>();
  private final List<Listener> listeners = new ArrayList<>();
  /** Listeners added after the start that the next successful list delivers every object to, as adds. */
  private final List<Listener> late = new ArrayList<>();
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final CountDownLatch synced = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile GenericRegistry.WatchHandle watch;
  /** Which watch the queued events come from: events of an earlier watch are dropped. */
  private long watchGeneration;
  private Thread thread;

  ResourceInformer(ListWatch source, ResourceType type, Duration retryDelay) {
    this(source, type, retryDelay, new Heartbeat("informer"));
  }

  /** With the progress of its dispatch thread reported on {@code heartbeat} (which several informers may share). */
  ResourceInformer(ListWatch source, ResourceType type, Duration retryDelay, Heartbeat heartbeat) {
    this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
    this.source = requireNonNull(source, "source is null");
    this.type = requireNonNull(type, "type is null");
    this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
  }

  ResourceType type() {
    return type;
  }

  /**
   * Adds a listener. Before {@link #start()} it receives everything from the first list on; afterwards the informer
   * re-lists on its dispatch thread, the new listener receiving every listed object as an add and the others the
   * differences, as after an ended watch: nobody misses or doubles an event.
   */
  synchronized void addListener(Listener listener) {
    requireNonNull(listener, "listener is null");
    if (thread == null) {
      listeners.add(listener);
    } else {
      queue.add(() -> {
        LOG.info("informer {}: a view was added after the start, re-listing for it", type.plural());
        listeners.add(listener);
        late.add(listener);
        relist();
      });
    }
  }

  /**
   * Runs a task in order with the events: now when the informer has not started (there are no events yet), else on
   * the dispatch thread after the events queued so far.
   */
  synchronized void inOrder(Runnable task) {
    requireNonNull(task, "task is null");
    if (thread == null) {
      task.run();
    } else {
      queue.add(task);
    }
  }

  synchronized void start() {
    if (thread != null || closed) {
      return;
    }
    thread = new Thread(this::run, "informer-" + type.plural());
    thread.setDaemon(true);
    thread.start();
    queue.add(this::relist);
  }

  boolean hasSynced() {
    return synced.getCount() == 0;
  }

  String key(String namespace, String name) {
    return type.namespaced() ? namespace + "/" + name : name;
  }

  String key(ObjectNode object) {
    return key(Meta.namespace(object), Meta.name(object));
  }

  private void run() {
    while (!closed) {
      try {
        Runnable task = queue.poll(1, TimeUnit.SECONDS);
        if (task != null) {
          heartbeat.around(task).run();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("informer {} dispatch failed", type.plural(), e);
      }
    }
  }

  /** Lists, diffs against the versions delivered, notifies, then watches from the list's revision. Runs on the dispatch thread. */
  private void relist() {
    if (closed) {
      return;
    }
    GenericRegistry.WatchHandle previous = watch;
    if (previous != null) {
      try {
        previous.close();
      } catch (RuntimeException e) {
        LOG.debug("informer {}: closing the ended watch failed", type.plural(), e);
      }
    }
    long generation = ++watchGeneration;
    ObjectList list;
    try {
      list = source.list(type, null, ListOptions.ALL);
    } catch (RuntimeException e) {
      LOG.warn("informer {} list failed, retrying", type.plural(), e);
      retryLater();
      return;
    }
    Set<String> listed = new HashSet<>();
    for (ObjectNode object : list.items()) {
      String key = key(object);
      listed.add(key);
      String version = Meta.resourceVersion(object);
      String known = versions.put(key, version);
      for (Listener listener : listeners) {
        // the same version: the listener keeps what it decoded from it
        if (known == null || !known.equals(version) || late.contains(listener)) {
          listener.changed(key, object);
        }
      }
    }
    for (Iterator<String> keys = versions.keySet().iterator(); keys.hasNext(); ) {
      String key = keys.next();
      if (!listed.contains(key)) {
        keys.remove();
        listeners.stream().filter(l -> !late.contains(l)).forEach(l -> l.deleted(key, null));
      }
    }
    late.clear();
    synced.countDown();
    listeners.forEach(Listener::synced);
    ListOptions options = new ListOptions(o -> true, 0, null, Long.toString(list.resourceVersion()), false, false, 0);
    try {
      watch = source.watch(type, null, options, new WatchSink() {
        private volatile boolean ended;

        @Override
        public void event(String eventType, ObjectNode object) {
          queue.add(() -> {
            if (generation == watchGeneration) {
              apply(eventType, object);
            }
          });
        }

        @Override
        public void bookmark(long resourceVersion, boolean initialEventsEnd) {}

        @Override
        public void error(ApiException error) {
          LOG.debug("informer {} watch ended: {}", type.plural(), error.getMessage());
          end();
        }

        @Override
        public void closed() {
          end();
        }

        private void end() {
          if (!ended) {
            ended = true;
            if (!closed) {
              queue.add(() -> {
                if (generation == watchGeneration) {
                  relist();
                }
              });
            }
          }
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("informer {} watch failed, re-listing", type.plural(), e);
      retryLater();
    }
  }

  private void retryLater() {
    Thread retry = new Thread(() -> {
      try {
        Thread.sleep(retryDelay.toMillis());
        queue.add(this::relist);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "informer-" + type.plural() + "-retry");
    retry.setDaemon(true);
    retry.start();
  }

  private void apply(String eventType, ObjectNode object) {
    String key = key(object);
    switch (eventType) {
      case "ADDED", "MODIFIED" -> {
        versions.put(key, Meta.resourceVersion(object));
        listeners.forEach(l -> l.changed(key, object));
      }
      case "DELETED" -> {
        if (versions.remove(key) != null) {
          listeners.forEach(l -> l.deleted(key, object));
        }
      }
      default -> {
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    GenericRegistry.WatchHandle current = watch;
    if (current != null) {
      current.close();
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
