package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;
import io.minicluster.registry.pod.PodBinding;
import io.minicluster.registry.subresource.ScaleOperation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * An in-memory {@link Client} for unit tests: objects keyed by type, namespace and name; resourceVersions from one
 * counter with 409 on a stale one; uid, creationTimestamp and generation on create; a main update keeps the status of
 * kinds with a status subresource and a status update keeps everything else; deletion waits for finalizers; list and
 * watch honour the namespace and the options' filter (label and field selectors as compiled predicates); bind follows
 * the binding rules of the registry ({@link PodBinding}). No defaults, validation or admission: tests of those use
 * {@code InProcessApi}. Every call is recorded ({@link #calls()}), e.g. {@code "update pods default/web"}. Thread-safe.
 */
public final class FakeClient implements Client {
  private final State state;
  private final String fieldManager;

  public FakeClient() {
    this(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  }

  public FakeClient(Clock clock) {
    this(new State(requireNonNull(clock, "clock is null")), "test");
  }

  private FakeClient(State state, String fieldManager) {
    this.state = state;
    this.fieldManager = fieldManager;
  }

  /** What one client instance shares with those {@link #as} gives: the objects, the counter, the calls, watches. */
  private static final class State {
    final Clock clock;
    final Map<String, ObjectNode> objects = new TreeMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Watch> watches = new CopyOnWriteArrayList<>();
    /** Every event so far, so that a watch from a list's resourceVersion misses nothing written since. */
    final List<Recorded> history = new ArrayList<>();
    long revision;

    State(Clock clock) {
      this.clock = clock;
    }
  }

  private record Recorded(long revision, String event, ResourceType type, ObjectNode object) {}

  private record Watch(ResourceType type, String namespace, ListOptions options, WatchSink sink) {
    boolean covers(ResourceType t, ObjectNode object) {
      return type.equals(t) && (namespace == null || namespace.equals(Meta.namespace(object)))
          && options.filter().test(object);
    }
  }

  /** The calls made so far, in order, as "verb resource namespace/name" (cluster-scoped: "verb resource name"). */
  public List<String> calls() {
    return List.copyOf(state.calls);
  }

  /** The field manager this client writes as. */
  public String fieldManager() {
    return fieldManager;
  }

  /** Stores an object as it is (no call recorded): the state a test starts from. */
  public ObjectNode seed(ResourceType type, ObjectNode object) {
    synchronized (state) {
      ObjectNode copy = object.deepCopy();
      Meta.metadata(copy).put("resourceVersion", Long.toString(++state.revision));
      if (Meta.uid(copy) == null) {
        Meta.metadata(copy).put("uid", UUID.randomUUID().toString());
      }
      state.objects.put(key(type, Meta.namespace(copy), Meta.name(copy)), copy);
      return copy.deepCopy();
    }
  }

  private static String key(ResourceType type, String namespace, String name) {
    return type.apiVersion() + "/" + type.plural() + "/" + (type.namespaced() ? namespace + "/" : "") + name;
  }

  /** The keys of a type's objects in a namespace (null: all) start with this. */
  private static String prefix(ResourceType type, String namespace) {
    return type.apiVersion() + "/" + type.plural() + "/" + (type.namespaced() && namespace != null
        ? namespace + "/" : "");
  }

  private void record(String verb, ResourceType type, String namespace, String name) {
    state.calls.add(verb + " " + type.plural() + " " + (type.namespaced() && namespace != null
        ? namespace + "/" : "") + (name == null ? "" : name));
  }

  /** Called with the state's lock held. */
  private void notify(String event, ResourceType type, ObjectNode object) {
    state.history.add(new Recorded(state.revision, event, type, object.deepCopy()));
    for (Watch watch : state.watches) {
      if (watch.covers(type, object)) {
        watch.sink().event(event, object.deepCopy());
      }
    }
  }

  @Override
  public Client as(String manager) {
    return new FakeClient(state, requireNonNull(manager, "manager is null"));
  }

  @Override
  public ObjectNode get(ResourceType type, String namespace, String name) {
    return find(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  @Override
  public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
    record("get", type, namespace, name);
    synchronized (state) {
      return Optional.ofNullable(state.objects.get(key(type, namespace, name))).map(ObjectNode::deepCopy);
    }
  }

  @Override
  public ObjectList list(ResourceType type, String namespace, ListOptions options) {
    record("list", type, namespace, null);
    synchronized (state) {
      List<ObjectNode> items = new ArrayList<>();
      String prefix = prefix(type, namespace);
      for (Map.Entry<String, ObjectNode> entry : state.objects.entrySet()) {
        if (entry.getKey().startsWith(prefix) && options.filter().test(entry.getValue())) {
          items.add(entry.getValue().deepCopy());
        }
      }
      return new ObjectList(items, state.revision, null, null);
    }
  }

  @Override
  public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
    synchronized (state) {
      ObjectNode copy = object.deepCopy();
      ObjectNode metadata = Meta.metadata(copy);
      if (type.namespaced()) {
        metadata.put("namespace", namespace != null ? namespace : Optional.ofNullable(Meta.namespace(copy))
            .orElse("default"));
      } else {
        metadata.remove("namespace");
      }
      String name = Meta.name(copy);
      if ((name == null || name.isEmpty()) && metadata.hasNonNull("generateName")) {
        name = metadata.get("generateName").asText() + Long.toString(state.revision + 1, 36);
        metadata.put("name", name);
      }
      record("create", type, Meta.namespace(copy), name);
      if (name == null || name.isEmpty()) {
        throw ApiException.badRequest("name or generateName is required");
      }
      String key = key(type, Meta.namespace(copy), name);
      if (state.objects.containsKey(key)) {
        throw ApiException.alreadyExists(type, name);
      }
      copy.put("kind", type.kind());
      copy.put("apiVersion", type.apiVersion());
      metadata.put("uid", UUID.randomUUID().toString());
      metadata.put("creationTimestamp", Meta.timestamp(state.clock.instant()));
      metadata.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds"));
      if (type.hasStatus()) {
        metadata.put("generation", 1);
      }
      metadata.put("resourceVersion", Long.toString(++state.revision));
      state.objects.put(key, copy);
      notify("ADDED", type, copy);
      return copy.deepCopy();
    }
  }

  @Override
  public ObjectNode update(ResourceType type, ObjectNode object) {
    record("update", type, Meta.namespace(object), Meta.name(object));
    return write(type, object.deepCopy(), false);
  }

  @Override
  public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    record("updateStatus", type, Meta.namespace(object), Meta.name(object));
    return write(type, object.deepCopy(), true);
  }

  @Override
  public ObjectNode modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    record("modify", type, namespace, name);
    return readModifyWrite(type, namespace, name, change, false);
  }

  @Override
  public ObjectNode modifyStatus(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    record("modifyStatus", type, namespace, name);
    return readModifyWrite(type, namespace, name, change, true);
  }

  private ObjectNode readModifyWrite(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change, boolean status) {
    synchronized (state) {
      ObjectNode current = state.objects.get(key(type, namespace, name));
      if (current == null) {
        throw ApiException.notFound(type, name);
      }
      ObjectNode desired = change.apply(current.deepCopy());
      if (desired == null) {
        return current.deepCopy();
      }
      String version = Meta.resourceVersion(desired);
      if (GenericRegistry.unconditional(version)) {
        Meta.metadata(desired).put("resourceVersion", Meta.resourceVersion(current));
      }
      Meta.metadata(desired).put("name", name);
      if (type.namespaced()) {
        Meta.metadata(desired).put("namespace", namespace);
      }
      return write(type, desired, status);
    }
  }

  /** A main or status update with the resourceVersion check; a deleted object whose last finalizer went is gone. */
  private ObjectNode write(ResourceType type, ObjectNode object, boolean status) {
    synchronized (state) {
      String name = Meta.name(object);
      String key = key(type, Meta.namespace(object), name);
      ObjectNode old = state.objects.get(key);
      if (old == null) {
        throw ApiException.notFound(type, name);
      }
      String version = Meta.resourceVersion(object);
      if (!GenericRegistry.unconditional(version) && !version.equals(Meta.resourceVersion(old))) {
        throw ApiException.modified(type, name);
      }
      ObjectNode updated;
      if (status) {
        updated = old.deepCopy();
        if (object.has("status")) {
          updated.set("status", object.get("status"));
        } else {
          updated.remove("status");
        }
      } else {
        updated = object;
        if (type.hasStatus()) {
          if (old.has("status")) {
            updated.set("status", old.get("status").deepCopy());
          } else {
            updated.remove("status");
          }
        }
        ObjectNode metadata = Meta.metadata(updated);
        for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "generation")) {
          JsonNode value = Meta.metadata(old).get(field);
          if (value == null) {
            metadata.remove(field);
          } else {
            metadata.set(field, value.deepCopy());
          }
        }
      }
      return store(type, key, updated);
    }
  }

  private ObjectNode store(ResourceType type, String key, ObjectNode updated) {
    Meta.metadata(updated).put("resourceVersion", Long.toString(++state.revision));
    if (Meta.deleting(updated) && !hasFinalizers(type, updated)) {
      state.objects.remove(key);
      notify("DELETED", type, updated);
    } else {
      state.objects.put(key, updated);
      notify("MODIFIED", type, updated);
    }
    return updated.deepCopy();
  }

  private static boolean hasFinalizers(ResourceType type, ObjectNode object) {
    JsonNode finalizers = Json.at(object, "metadata", "finalizers");
    JsonNode specFinalizers = type.equals(ResourceTypes.NAMESPACES) ? Json.at(object, "spec", "finalizers") : null;
    return finalizers != null && !finalizers.isEmpty() || specFinalizers != null && !specFinalizers.isEmpty();
  }

  @Override
  public GenericRegistry.DeleteResult delete(ResourceType type, String namespace, String name,
      DeleteOptions options) {
    record("delete", type, namespace, name);
    synchronized (state) {
      String key = key(type, namespace, name);
      ObjectNode current = state.objects.get(key);
      if (current == null) {
        throw ApiException.notFound(type, name);
      }
      if (options.preconditionUid() != null && !options.preconditionUid().equals(Meta.uid(current))) {
        throw ApiException.conflict(type, name, "Precondition failed: UID in precondition: "
            + options.preconditionUid() + ", UID in object meta: " + Meta.uid(current));
      }
      if (options.preconditionResourceVersion() != null
          && !options.preconditionResourceVersion().equals(Meta.resourceVersion(current))) {
        throw ApiException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
            + options.preconditionResourceVersion() + ", ResourceVersion in object meta: "
            + Meta.resourceVersion(current));
      }
      if (options.dryRun()) {
        return new GenericRegistry.DeleteResult(current.deepCopy(), !hasFinalizers(type, current));
      }
      if (hasFinalizers(type, current)) {
        if (Meta.deleting(current)) {
          return new GenericRegistry.DeleteResult(current.deepCopy(), false);
        }
        ObjectNode marked = current.deepCopy();
        Meta.metadata(marked).put("deletionTimestamp", Meta.timestamp(state.clock.instant()));
        Meta.metadata(marked).put("deletionGracePeriodSeconds", 0);
        return new GenericRegistry.DeleteResult(store(type, key, marked), false);
      }
      state.objects.remove(key);
      Meta.metadata(current).put("resourceVersion", Long.toString(++state.revision));
      notify("DELETED", type, current);
      return new GenericRegistry.DeleteResult(current.deepCopy(), true);
    }
  }

  @Override
  public GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options,
      WatchSink sink) {
    record("watch", type, namespace, null);
    Watch watch = new Watch(type, namespace, options, sink);
    synchronized (state) {
      if (options.resourceVersion().isEmpty() || options.resourceVersion().equals("0")) {
        String prefix = prefix(type, namespace);
        for (Map.Entry<String, ObjectNode> entry : state.objects.entrySet()) {
          if (entry.getKey().startsWith(prefix) && options.filter().test(entry.getValue())) {
            sink.event("ADDED", entry.getValue().deepCopy());
          }
        }
      } else {
        // as the store's watch from a revision: the events after it first, so a list and then a watch from the
        // list's resourceVersion see every write, even one made between the two
        long from = Long.parseLong(options.resourceVersion());
        for (Recorded recorded : state.history) {
          if (recorded.revision() > from && watch.covers(recorded.type(), recorded.object())) {
            sink.event(recorded.event(), recorded.object().deepCopy());
          }
        }
      }
      state.watches.add(watch);
    }
    return () -> state.watches.remove(watch);
  }

  @Override
  public ObjectNode bind(String namespace, String podName, String nodeName, String uid) {
    record("bind", ResourceTypes.PODS, namespace, podName);
    synchronized (state) {
      String key = key(ResourceTypes.PODS, namespace, podName);
      ObjectNode current = state.objects.get(key);
      if (current == null) {
        throw ApiException.notFound(ResourceTypes.PODS, podName);
      }
      ObjectNode bound = PodBinding.bind(current.deepCopy(), nodeName, uid, null,
          Meta.timestamp(state.clock.instant()));
      return store(ResourceTypes.PODS, key, bound);
    }
  }

  @Override
  public void evict(String namespace, String podName, DeleteOptions options) {
    record("evict", ResourceTypes.PODS, namespace, podName);
    delete(ResourceTypes.PODS, namespace, podName, options);
  }

  @Override
  public ObjectNode finalizeNamespace(String name, UnaryOperator<List<String>> change) {
    record("finalize", ResourceTypes.NAMESPACES, null, name);
    synchronized (state) {
      String key = key(ResourceTypes.NAMESPACES, null, name);
      ObjectNode current = state.objects.get(key);
      if (current == null) {
        throw ApiException.notFound(ResourceTypes.NAMESPACES, name);
      }
      List<String> finalizers = new ArrayList<>();
      if (Json.at(current, "spec", "finalizers") instanceof ArrayNode array) {
        array.forEach(f -> finalizers.add(f.asText()));
      }
      List<String> desired = change.apply(List.copyOf(finalizers));
      if (desired == null) {
        return current.deepCopy();
      }
      ObjectNode updated = current.deepCopy();
      ObjectNode spec = Json.with(updated, "spec");
      if (desired.isEmpty()) {
        spec.remove("finalizers");
      } else {
        ArrayNode array = spec.putArray("finalizers");
        desired.forEach(array::add);
      }
      return store(ResourceTypes.NAMESPACES, key, updated);
    }
  }

  @Override
  public ObjectNode getScale(ResourceType type, String namespace, String name) {
    record("get scale", type, namespace, name);
    return ScaleOperation.toScale(get(type, namespace, name));
  }

  @Override
  public ObjectNode updateScale(ResourceType type, String namespace, String name, int replicas) {
    record("update scale", type, namespace, name);
    synchronized (state) {
      String key = key(type, namespace, name);
      ObjectNode current = state.objects.get(key);
      if (current == null) {
        throw ApiException.notFound(type, name);
      }
      ObjectNode updated = current.deepCopy();
      Json.with(updated, "spec").put("replicas", replicas);
      return ScaleOperation.toScale(store(type, key, updated));
    }
  }

  /**
   * A TokenRequest answered with the token {@code fake-token-<namespace>-<name>-<revision>} (bound objects are not
   * checked), valid for the request's expirationSeconds (3600 when unset) from the clock's now.
   */
  @Override
  public ObjectNode createToken(String namespace, String serviceAccountName, ObjectNode tokenRequest) {
    record("token", ResourceTypes.SERVICE_ACCOUNTS, namespace, serviceAccountName);
    if (find(ResourceTypes.SERVICE_ACCOUNTS, namespace, serviceAccountName).isEmpty()) {
      throw ApiException.notFound(ResourceTypes.SERVICE_ACCOUNTS, serviceAccountName);
    }
    ObjectNode answer = tokenRequest.deepCopy();
    long seconds = answer.path("spec").path("expirationSeconds").asLong(3600);
    ObjectNode status = answer.putObject("status");
    synchronized (state) {
      state.revision++;
      status.put("token", "fake-token-" + namespace + "-" + serviceAccountName + "-" + state.revision);
    }
    status.put("expirationTimestamp", Meta.timestamp(state.clock.instant().plusSeconds(seconds)));
    return answer;
  }
}
