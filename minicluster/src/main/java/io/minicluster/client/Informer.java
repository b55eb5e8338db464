package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.ListOptions;
import io.minicluster.registry.ObjectList;
import io.minicluster.registry.WatchSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared informer: lists and watches one resource type, keeps a local cache, and tells handlers about adds,
 * updates and deletes on one dispatch thread. When the watch ends (timeout, slow consumer, 410 Expired) it re-lists
 * and emits the differences, so handlers always converge on the current state. Cached objects must not be modified.
 */
public final class Informer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Informer.class);

  /** Receives changes; called on the informer's dispatch thread. */
  public interface Handler {
    default void onAdd(ObjectNode object) {}

    default void onUpdate(ObjectNode old, ObjectNode object) {}

    default void onDelete(ObjectNode object) {}
  }

  private final Client client;
  private final ResourceType type;
  private final String namespace;
  private final Predicate<ObjectNode> filter;
  private final Map<String, ObjectNode> cache = new ConcurrentHashMap<>();
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final CountDownLatch synced = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile GenericRegistry.WatchHandle watch;
  private Thread thread;

  public Informer(Client client, ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    this.client = requireNonNull(client, "client is null");
    this.type = requireNonNull(type, "type is null");
    this.namespace = namespace;
    this.filter = requireNonNull(filter, "filter is null");
  }

  public Informer(Client client, ResourceType type) {
    this(client, type, null, o -> true);
  }

  public ResourceType type() {
    return type;
  }

  /** Adds a handler; it receives onAdd for objects already cached. Call before {@link #start()} where possible. */
  public void addHandler(Handler handler) {
    requireNonNull(handler, "handler is null");
    handlers.add(handler);
    if (thread != null) {
      queue.add(() -> cache.values().forEach(handler::onAdd));
    }
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread = new Thread(this::run, "informer-" + type.plural());
    thread.setDaemon(true);
    thread.start();
    queue.add(this::relist);
  }

  /** Waits until the first list was delivered to handlers. */
  public boolean waitForSync(long timeout, TimeUnit unit) throws InterruptedException {
    return synced.await(timeout, unit);
  }

  public boolean hasSynced() {
    return synced.getCount() == 0;
  }

  /** The cached object, by namespace and name (namespace ignored for cluster-scoped types). */
  public Optional<ObjectNode> get(String objectNamespace, String name) {
    return Optional.ofNullable(cache.get(cacheKey(objectNamespace, name)));
  }

  public Collection<ObjectNode> list() {
    return List.copyOf(cache.values());
  }

  public List<ObjectNode> list(Predicate<ObjectNode> predicate) {
    List<ObjectNode> result = new ArrayList<>();
    for (ObjectNode object : cache.values()) {
      if (predicate.test(object)) {
        result.add(object);
      }
    }
    return result;
  }

  private String cacheKey(String objectNamespace, String name) {
    return type.namespaced() ? objectNamespace + "/" + name : name;
  }

  private String cacheKey(ObjectNode object) {
    return cacheKey(Meta.namespace(object), Meta.name(object));
  }

  private void run() {
    while (!closed) {
      try {
        Runnable task = queue.poll(1, TimeUnit.SECONDS);
        if (task != null) {
          task.run();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("informer {} handler failed", type.plural(), e);
      }
    }
  }

  /** Lists, diffs against the cache, notifies, then watches from the list's revision. Runs on the dispatch thread. */
  private void relist() {
    if (closed) {
      return;
    }
    GenericRegistry.WatchHandle previous = watch;
    if (previous != null) {
      previous.close();
    }
    ObjectList list;
    try {
      list = client.list(type, namespace, ListOptions.filtered(filter));
    } catch (RuntimeException e) {
      LOG.warn("informer {} list failed, retrying", type.plural(), e);
      retryLater();
      return;
    }
    Map<String, ObjectNode> fresh = new HashMap<>();
    for (ObjectNode object : list.items()) {
      fresh.put(cacheKey(object), object);
    }
    for (Map.Entry<String, ObjectNode> entry : fresh.entrySet()) {
      ObjectNode old = cache.put(entry.getKey(), entry.getValue());
      if (old == null) {
        handlers.forEach(h -> h.onAdd(entry.getValue()));
      } else if (!Meta.resourceVersion(old).equals(Meta.resourceVersion(entry.getValue()))) {
        handlers.forEach(h -> h.onUpdate(old, entry.getValue()));
      }
    }
    for (String key : List.copyOf(cache.keySet())) {
      if (!fresh.containsKey(key)) {
        ObjectNode old = cache.remove(key);
        handlers.forEach(h -> h.onDelete(old));
      }
    }
    synced.countDown();
    long revision = list.resourceVersion();
    ListOptions options = new ListOptions(filter, 0, null, Long.toString(revision), false, false, 0);
    try {
      watch = client.watch(type, namespace, options, new WatchSink() {
        private volatile boolean ended;

        @Override
        public void event(String eventType, ObjectNode object) {
          queue.add(() -> apply(eventType, object));
        }

        @Override
        public void bookmark(long resourceVersion, boolean initialEventsEnd) {}

        @Override
        public void error(ApiException error) {
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
              queue.add(Informer.this::relist);
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
        Thread.sleep(1000);
        queue.add(this::relist);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    retry.setDaemon(true);
    retry.start();
  }

  private void apply(String eventType, ObjectNode object) {
    String key = cacheKey(object);
    switch (eventType) {
      case "ADDED", "MODIFIED" -> {
        ObjectNode old = cache.put(key, object);
        if (old == null) {
          handlers.forEach(h -> h.onAdd(object));
        } else {
          handlers.forEach(h -> h.onUpdate(old, object));
        }
      }
      case "DELETED" -> {
        ObjectNode old = cache.remove(key);
        if (old != null) {
          handlers.forEach(h -> h.onDelete(object));
        }
      }
      default -> {
      }
    }
  }

  @Override
  public void close() {
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
