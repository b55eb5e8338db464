package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A typed view of the shared informer of one resource type (get one from {@link SharedInformers#informer}): a local
 * cache of the decoded objects, and handlers told about adds, updates and deletes on the informer's dispatch thread.
 * Each object version is decoded once for the view's {@link Kind}, and every consumer of that kind gets the same
 * decoded value: values must not be modified (typed read models cannot be; trees are a private copy of the view).
 * The cache is updated before the handlers are called, so a handler reading the cache sees the change.
 *
 * @param <T> the read model
 */
public final class Informer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(Informer.class);

  /** Receives changes; called on the informer's dispatch thread, in order. */
  public interface Handler<T> {
    default void onAdd(T object) {}

    default void onUpdate(T old, T object) {}

    default void onDelete(T object) {}
  }

  /** A decoded value and its namespace (for the per-namespace list); the tree it came from is not kept. */
  private record Entry<T>(String namespace, T value) {}

  private final ResourceInformer shared;
  private final Kind<T> kind;
  private final Map<String, Entry<T>> cache = new ConcurrentHashMap<>();
  private final List<Handler<? super T>> handlers = new CopyOnWriteArrayList<>();
  private final CountDownLatch synced = new CountDownLatch(1);

  Informer(ResourceInformer shared, Kind<T> kind) {
    this.shared = requireNonNull(shared, "shared is null");
    this.kind = requireNonNull(kind, "kind is null");
    if (!kind.type().equals(shared.type())) {
      throw new IllegalArgumentException("kind " + kind.type().plural() + " on informer of " + shared.type().plural());
    }
    shared.addListener(new Listener());
  }

  public Kind<T> kind() {
    return kind;
  }

  public ResourceType type() {
    return kind.type();
  }

  /**
   * Adds a handler. Added before the informer started, it receives every event from the first list on; added later,
   * it first receives the cached objects as adds, on the dispatch thread.
   */
  public void addHandler(Handler<? super T> handler) {
    requireNonNull(handler, "handler is null");
    shared.inOrder(() -> {
      cache.values().forEach(entry -> call(handler, h -> h.onAdd(entry.value())));
      handlers.add(handler);
    });
  }

  /** Starts the shared informer of the type (idempotent). */
  public void start() {
    shared.start();
  }

  /** Waits until the first list was delivered to this view's handlers. */
  public boolean waitForSync(long timeout, TimeUnit unit) throws InterruptedException {
    return synced.await(timeout, unit);
  }

  public boolean hasSynced() {
    return synced.getCount() == 0;
  }

  /** The cached object, by namespace and name (namespace ignored for cluster-scoped types). */
  public Optional<T> get(String namespace, String name) {
    Entry<T> entry = cache.get(shared.key(namespace, name));
    return entry == null ? Optional.empty() : Optional.of(entry.value());
  }

  /** Every cached object. */
  public List<T> list() {
    List<T> result = new ArrayList<>(cache.size());
    for (Entry<T> entry : cache.values()) {
      result.add(entry.value());
    }
    return result;
  }

  /** The cached objects of one namespace. */
  public List<T> list(String namespace) {
    List<T> result = new ArrayList<>();
    for (Entry<T> entry : cache.values()) {
      if (Objects.equals(entry.namespace(), namespace)) {
        result.add(entry.value());
      }
    }
    return result;
  }

  /** The cached objects matching a predicate. */
  public List<T> list(Predicate<? super T> predicate) {
    List<T> result = new ArrayList<>();
    for (Entry<T> entry : cache.values()) {
      if (predicate.test(entry.value())) {
        result.add(entry.value());
      }
    }
    return result;
  }

  private Entry<T> decode(ObjectNode object) {
    return new Entry<>(Meta.namespace(object), kind.decode(object));
  }

  private void call(Handler<? super T> handler, Consumer<Handler<? super T>> call) {
    try {
      call.accept(handler);
    } catch (RuntimeException e) {
      LOG.warn("informer {} handler failed", kind.type().plural(), e);
    }
  }

  /** The view's side of the shared informer; every method runs on its dispatch thread. */
  private final class Listener implements ResourceInformer.Listener {
    /** Caches the object's value; an update's old value is the one decoded for the previous version. */
    @Override
    public void changed(String key, ObjectNode object) {
      Entry<T> current = decode(object);
      Entry<T> previous = cache.put(key, current);
      if (previous == null) {
        handlers.forEach(h -> call(h, handler -> handler.onAdd(current.value())));
      } else {
        handlers.forEach(h -> call(h, handler -> handler.onUpdate(previous.value(), current.value())));
      }
    }

    /** The last state is the watch's DELETED object, else (found gone by a re-list) the last version decoded. */
    @Override
    public void deleted(String key, ObjectNode last) {
      Entry<T> previous = cache.remove(key);
      Entry<T> gone = last != null ? decode(last) : previous;
      if (gone != null) {
        handlers.forEach(h -> call(h, handler -> handler.onDelete(gone.value())));
      }
    }

    @Override
    public void synced() {
      Informer.this.synced.countDown();
    }
  }
}
