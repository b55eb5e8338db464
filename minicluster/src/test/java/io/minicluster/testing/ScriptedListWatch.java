package io.minicluster.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.client.ListWatch;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake API for informers: it holds objects per type with a revision counter, lists them, and sends the changes the
 * test makes to the open watches (or not: {@link #putQuietly} changes what the next list returns without an event).
 * A watch first receives the changes made since the revision it starts from, as the store's watch does. The test
 * ends watches as the API server would (closed, 410 Expired) and counts the list and watch calls.
 */
public final class ScriptedListWatch implements ListWatch {
  private final Map<ResourceType, Map<String, ObjectNode>> objects = new ConcurrentHashMap<>();
  private final Map<ResourceType, List<Watch>> watches = new ConcurrentHashMap<>();
  private final Map<ResourceType, AtomicInteger> lists = new ConcurrentHashMap<>();
  private final Map<ResourceType, AtomicInteger> watchCalls = new ConcurrentHashMap<>();
  private final AtomicInteger failingLists = new AtomicInteger();
  private long revision = 100;

  private final Map<ResourceType, List<Event>> history = new ConcurrentHashMap<>();

  private record Watch(WatchSink sink, boolean[] open) {}

  /** A change sent to watches, kept so that a watch from an earlier revision receives it (as the store does). */
  private record Event(long revision, String type, ObjectNode object) {}

  /** An object of the type with this namespace (null for cluster-scoped) and name, and extra fields as JSON. */
  public static ObjectNode object(String namespace, String name, String json) {
    ObjectNode object = Json.parseObject(json);
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("uid", "uid-" + name);
    return object;
  }

  /** Creates or replaces an object and sends ADDED or MODIFIED to the open watches; returns the stored version. */
  public synchronized ObjectNode put(ResourceType type, ObjectNode object) {
    boolean existed = bucket(type).containsKey(key(Meta.namespace(object), Meta.name(object)));
    ObjectNode stored = store(type, object);
    send(type, existed ? "MODIFIED" : "ADDED", stored);
    return stored;
  }

  /** Creates or replaces an object without telling the watches (as if the event was lost with a broken watch). */
  public synchronized ObjectNode putQuietly(ResourceType type, ObjectNode object) {
    return store(type, object);
  }

  /** Deletes an object and sends DELETED with its last state. */
  public synchronized void delete(ResourceType type, String namespace, String name) {
    ObjectNode removed = bucket(type).remove(key(namespace, name));
    if (removed != null) {
      ObjectNode last = removed.deepCopy();
      Meta.metadata(last).put("resourceVersion", Long.toString(++revision));
      send(type, "DELETED", last);
    }
  }

  /** Deletes an object without telling the watches. */
  public synchronized void deleteQuietly(ResourceType type, String namespace, String name) {
    bucket(type).remove(key(namespace, name));
    revision++;
  }

  /** Ends the open watches of a type as a closed connection does. */
  public void closeWatches(ResourceType type) {
    for (Watch watch : takeWatches(type)) {
      watch.sink().closed();
    }
  }

  /** Ends the open watches of a type with 410 Expired, as a watch from a compacted revision. */
  public void expireWatches(ResourceType type) {
    for (Watch watch : takeWatches(type)) {
      watch.sink().error(ApiException.expired("too old resource version"));
    }
  }

  /** The next {@code count} lists fail (the informer must retry). */
  public void failLists(int count) {
    failingLists.set(count);
  }

  public int lists(ResourceType type) {
    return lists.computeIfAbsent(type, t -> new AtomicInteger()).get();
  }

  public int watches(ResourceType type) {
    return watchCalls.computeIfAbsent(type, t -> new AtomicInteger()).get();
  }

  /** How many watches of the type are open now. */
  public int openWatches(ResourceType type) {
    return (int) watches.getOrDefault(type, List.of()).stream().filter(w -> w.open()[0]).count();
  }

  @Override
  public synchronized ObjectList list(ResourceType type, String namespace, ListOptions options) {
    lists.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
    if (failingLists.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw ApiException.serviceUnavailable("scripted list failure");
    }
    List<ObjectNode> items = new ArrayList<>();
    for (ObjectNode object : bucket(type).values()) {
      items.add(object.deepCopy());
    }
    return new ObjectList(items, revision, null, null);
  }

  @Override
  public synchronized GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options,
      WatchSink sink) {
    watchCalls.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
    Watch watch = new Watch(sink, new boolean[] {true});
    long from = Long.parseLong(options.resourceVersion());
    for (Event event : history.getOrDefault(type, List.of())) {
      if (event.revision() > from) {
        sink.event(event.type(), event.object().deepCopy());
      }
    }
    watches.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(watch);
    return () -> {
      synchronized (ScriptedListWatch.this) {
        watch.open()[0] = false;
        List<Watch> open = watches.get(type);
        if (open != null) {
          open.remove(watch);
        }
      }
    };
  }

  private Map<String, ObjectNode> bucket(ResourceType type) {
    return objects.computeIfAbsent(type, t -> new LinkedHashMap<>());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private ObjectNode store(ResourceType type, ObjectNode object) {
    ObjectNode stored = object.deepCopy();
    Meta.metadata(stored).put("resourceVersion", Long.toString(++revision));
    String key = key(Meta.namespace(stored), Meta.name(stored));
    bucket(type).put(key, stored);
    return stored;
  }

  private void send(ResourceType type, String eventType, ObjectNode object) {
    history.computeIfAbsent(type, t -> new ArrayList<>()).add(new Event(revision, eventType, object.deepCopy()));
    for (Watch watch : watches.getOrDefault(type, List.of())) {
      if (watch.open()[0]) {
        watch.sink().event(eventType, object.deepCopy());
      }
    }
  }

  private synchronized List<Watch> takeWatches(ResourceType type) {
    List<Watch> taken = new ArrayList<>(watches.getOrDefault(type, List.of()));
    taken.forEach(w -> w.open()[0] = false);
    watches.remove(type);
    return taken;
  }
}
