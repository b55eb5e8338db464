package io.minicluster.controller.garbagecollector;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.client.Client;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.finalizers.Finalizers;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.api.meta.DeleteOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector (pkg/controller/garbagecollector): cascading deletion along metadata.ownerReferences over
 * every resource type.
 *
 * <ul>
 *   <li>Background: an object all of whose owners are gone (absent, or recreated with another uid) is deleted.
 *   <li>Foreground: an owner being deleted with the {@code foregroundDeletion} finalizer has its dependents deleted
 *       (in foreground, too); the finalizer is removed once no dependent with {@code blockOwnerDeletion} remains.
 *   <li>Orphan: an owner being deleted with the {@code orphan} finalizer has its reference removed from every
 *       dependent, then the finalizer removed.
 * </ul>
 *
 * <p>It reads every type through its metadata-only view ({@link Kinds#metadata}), as the upstream collector uses
 * metadata informers. Work keys are {@code <groupResource>|<namespace>/<name>}. The dependency graph (owner uid to
 * dependents) is an index kept from informer events; decisions that delete something confirm an owner's absence with
 * a live read, so a lagging cache never deletes a dependent whose owner was just created.
 *
 * <p>Custom resources are monitored too, from when their definition is established until it is deleted (upstream
 * resyncs its monitors from discovery): an operator's objects owned by its custom resource go with it, and a custom
 * resource deleted in foreground waits for its dependents.
 *
 * <p>Events of both groups are not monitored, as upstream's default ignored resources: they are many, short-lived
 * (the event TTL removes them) and never owners, so a metadata view of them would only cost memory.
 */
public final class GarbageCollector implements ControllerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Client client;
  private final SharedInformers sharedInformers;
  private final Informer<CustomResourceDefinition> definitions;
  private final Map<String, ResourceType> typesByResource = new ConcurrentHashMap<>();
  private final Map<ResourceType, Informer<ObjectMeta>> informers = new ConcurrentHashMap<>();
  /** The custom resources monitored, by group and resource. */
  private final Map<String, ResourceType> customTypes = new ConcurrentHashMap<>();
  /** owner uid to the keys of objects referencing it. */
  private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();
  /** object uid to its key. */
  private final Map<String, String> keysByUid = new ConcurrentHashMap<>();
  /** object key to the owner uids it referenced when last seen. */
  private final Map<String, List<String>> ownersByKey = new ConcurrentHashMap<>();
  private final WorkQueue queue;

  /** The resources the collector does not monitor (upstream's DefaultIgnoredResources). */
  static final Set<String> IGNORED_RESOURCES =
      Set.of(ResourceTypes.EVENTS.groupResource(), ResourceTypes.EVENTS_V1.groupResource());

  public GarbageCollector(Client client, SharedInformers sharedInformers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.sharedInformers = requireNonNull(sharedInformers, "sharedInformers is null");
    for (ResourceType type : ResourceTypes.ALL) {
      if (type.stored() && !IGNORED_RESOURCES.contains(type.groupResource())) {
        monitor(type);
      }
    }
    definitions = sharedInformers.informer(CustomResourceDefinition.READ_MODEL);
    definitions.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(CustomResourceDefinition definition) {
        syncCustomMonitors();
      }

      @Override
      public void onUpdate(CustomResourceDefinition old, CustomResourceDefinition definition) {
        syncCustomMonitors();
      }

      @Override
      public void onDelete(CustomResourceDefinition definition) {
        syncCustomMonitors();
      }
    });
  }

  /** Watches a type's objects (metadata only) into the graph. */
  private Informer<ObjectMeta> monitor(ResourceType type) {
    typesByResource.put(type.groupResource(), type);
    Informer<ObjectMeta> informer = sharedInformers.informer(Kinds.metadata(type));
    informers.put(type, informer);
    informer.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(ObjectMeta object) {
        observe(type, object, false);
      }

      @Override
      public void onUpdate(ObjectMeta old, ObjectMeta object) {
        observe(type, object, false);
      }

      @Override
      public void onDelete(ObjectMeta object) {
        observe(type, object, true);
      }
    });
    return informer;
  }

  /**
   * resyncMonitors: the custom resources of the established definitions are monitored as the built-in types are (by
   * their storage version), from when their definition is established until it goes; a definition whose storage
   * version or names changed gets a new monitor.
   */
  private synchronized void syncCustomMonitors() {
    Map<String, ResourceType> desired = new HashMap<>();
    for (CustomResourceDefinition definition : definitions.list()) {
      definition.servedStorageType().ifPresent(type -> desired.put(type.groupResource(), type));
    }
    for (ResourceType type : List.copyOf(customTypes.values())) {
      if (!type.equals(desired.get(type.groupResource()))) {
        customTypes.remove(type.groupResource());
        typesByResource.remove(type.groupResource(), type);
        informers.remove(type);
        sharedInformers.stop(type);
      }
    }
    for (ResourceType type : desired.values()) {
      if (!customTypes.containsKey(type.groupResource())) {
        customTypes.put(type.groupResource(), type);
        monitor(type).start();
      }
    }
  }

  /** The monitored type of an owner reference: a built-in type, or a custom resource's in any of its versions. */
  private Optional<ResourceType> ownerType(OwnerReference reference) {
    Optional<ResourceType> builtIn = ResourceTypes.forKind(reference.apiVersion(), reference.kind());
    if (builtIn.isPresent()) {
      return builtIn.filter(informers::containsKey);
    }
    String apiVersion = reference.apiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return customTypes.values().stream()
        .filter(type -> type.group().equals(group) && type.kind().equals(reference.kind()))
        .findFirst();
  }

  @Override
  public List<Informer<?>> informers() {
    List<Informer<?>> all = new ArrayList<>(informers.values());
    all.add(definitions);
    return all;
  }

  private static String key(ResourceType type, String namespace, String name) {
    return type.groupResource() + "|" + Keys.of(type.namespaced() ? namespace : null, name);
  }

  /** Updates the graph and enqueues the object, its dependents and its owners. */
  private void observe(ResourceType type, ObjectMeta object, boolean deleted) {
    String key = key(type, object.namespace(), object.name());
    String uid = object.uid();
    List<String> previousOwners = ownersByKey.remove(key);
    if (previousOwners != null) {
      for (String owner : previousOwners) {
        Set<String> keys = dependents.get(owner);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) {
            dependents.remove(owner, keys);
          }
        }
      }
    }
    List<String> owners = new ArrayList<>();
    for (OwnerReference reference : object.ownerReferences()) {
      owners.add(reference.uid());
    }
    if (deleted) {
      keysByUid.remove(uid, key);
    } else {
      keysByUid.put(uid, key);
      if (!owners.isEmpty()) {
        ownersByKey.put(key, owners);
        for (String owner : owners) {
          dependents.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet()).add(key);
        }
      }
      queue.add(key);
    }
    Set<String> children = dependents.get(uid);
    if (children != null) {
      children.forEach(queue::add);
    }
    for (String owner : owners) {
      String ownerKey = keysByUid.get(owner);
      if (ownerKey != null) {
        queue.add(ownerKey);
      }
    }
  }

  private record Item(ResourceType type, ObjectMeta object) {}

  private Optional<Item> cached(String key) {
    int bar = key.indexOf('|');
    ResourceType type = typesByResource.get(key.substring(0, bar));
    Informer<ObjectMeta> informer = type == null ? null : informers.get(type);
    if (informer == null) {
      return Optional.empty();
    }
    String rest = key.substring(bar + 1);
    return informer.get(Keys.namespace(rest), Keys.name(rest)).map(object -> new Item(type, object));
  }

  /** The dependents of an owner uid, as currently cached. */
  private List<Item> dependentsOf(String ownerUid) {
    List<Item> result = new ArrayList<>();
    Set<String> keys = dependents.get(ownerUid);
    if (keys == null) {
      return result;
    }
    for (String key : List.copyOf(keys)) {
      cached(key).filter(item -> ownedBy(item.object(), ownerUid)).ifPresent(result::add);
    }
    return result;
  }

  private static boolean ownedBy(ObjectMeta object, String ownerUid) {
    return object.ownerReferences().stream().anyMatch(reference -> ownerUid.equals(reference.uid()));
  }

  @Override
  public long reconcile(String key) {
    Item item = cached(key).orElse(null);
    if (item == null) {
      return 0;
    }
    ObjectMeta object = item.object();
    if (object.isDeleting() && object.hasFinalizer(Finalizers.ORPHAN)) {
      orphanDependents(item);
      return 0;
    }
    if (object.isDeleting() && object.hasFinalizer(Finalizers.FOREGROUND)) {
      return deleteDependentsInForeground(item);
    }
    collectIfOwnersGone(item);
    return 0;
  }

  /** Removes the owner's reference from every dependent, then the orphan finalizer from the owner. */
  private void orphanDependents(Item owner) {
    String ownerUid = owner.object().uid();
    for (Item dependent : dependentsOf(ownerUid)) {
      modifyIfSameUid(dependent, current -> OwnerReferences.remove(current, ownerUid) ? current : null);
    }
    removeFinalizer(owner, Finalizers.ORPHAN);
  }

  /** Deletes the dependents; removes the foregroundDeletion finalizer once none blocks the owner any more. */
  private long deleteDependentsInForeground(Item owner) {
    String ownerUid = owner.object().uid();
    boolean blocked = false;
    for (Item dependent : dependentsOf(ownerUid)) {
      ObjectMeta object = dependent.object();
      if (!object.isDeleting()) {
        String policy = dependentsOf(object.uid()).isEmpty() ? "Background" : "Foreground";
        delete(dependent, policy);
      }
      boolean blocking = object.ownerReferences().stream()
          .anyMatch(r -> ownerUid.equals(r.uid()) && Boolean.TRUE.equals(r.blockOwnerDeletion()));
      blocked |= blocking;
    }
    if (!blocked) {
      removeFinalizer(owner, Finalizers.FOREGROUND);
    }
    return 0;
  }

  private enum OwnerState { SOLID, DANGLING, WAITING, UNKNOWN }

  /** attemptToDeleteItem: deletes an object whose owners are all gone or all being deleted in foreground. */
  private void collectIfOwnersGone(Item item) {
    ObjectMeta object = item.object();
    List<OwnerReference> references = object.ownerReferences();
    if (references.isEmpty() || object.isDeleting()) {
      return;
    }
    List<String> dangling = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    boolean solid = false;
    for (OwnerReference reference : references) {
      switch (ownerState(item, reference)) {
        case SOLID, UNKNOWN -> solid = true;
        case DANGLING -> dangling.add(reference.uid());
        case WAITING -> waiting.add(reference.uid());
        default -> {
        }
      }
    }
    if (solid) {
      if (dangling.isEmpty() && waiting.isEmpty()) {
        return;
      }
      // keep the object, drop references to owners that are gone and stop blocking owners being deleted
      modifyIfSameUid(item, current -> {
        boolean changed = false;
        for (String uid : dangling) {
          changed |= OwnerReferences.remove(current, uid);
        }
        for (ObjectNode reference : OwnerReferences.of(current)) {
          if (waiting.contains(reference.path("uid").asText()) && reference.path("blockOwnerDeletion").asBoolean()) {
            reference.put("blockOwnerDeletion", false);
            changed = true;
          }
        }
        return changed ? current : null;
      });
      return;
    }
    if (!waiting.isEmpty()) {
      delete(item, dependentsOf(object.uid()).isEmpty() ? "Background" : "Foreground");
      return;
    }
    String policy = object.hasFinalizer(Finalizers.ORPHAN) ? "Orphan"
        : object.hasFinalizer(Finalizers.FOREGROUND) ? "Foreground" : "Background";
    delete(item, policy);
  }

  private OwnerState ownerState(Item dependent, OwnerReference reference) {
    Optional<ResourceType> type = ownerType(reference);
    Informer<ObjectMeta> ownerInformer = type.map(informers::get).orElse(null);
    if (ownerInformer == null) {
      return OwnerState.UNKNOWN;
    }
    ResourceType ownerType = type.get();
    if (ownerType.namespaced() && !dependent.type().namespaced()) {
      // a cluster-scoped object cannot be owned by a namespaced one
      return OwnerState.DANGLING;
    }
    String namespace = ownerType.namespaced() ? dependent.object().namespace() : null;
    String name = reference.name();
    String uid = reference.uid();
    Optional<ObjectMeta> owner = ownerInformer.get(namespace, name);
    if (owner.isEmpty() || !uid.equals(owner.get().uid())) {
      // the cache may lag behind: confirm with a live read
      owner = client.find(ownerType, namespace, name).map(ObjectMeta::of);
    }
    if (owner.isEmpty() || !uid.equals(owner.get().uid())) {
      return OwnerState.DANGLING;
    }
    if (owner.get().isDeleting() && owner.get().hasFinalizer(Finalizers.FOREGROUND)) {
      return OwnerState.WAITING;
    }
    return OwnerState.SOLID;
  }

  private void delete(Item item, String policy) {
    ObjectMeta object = item.object();
    LOG.debug("garbage collector deleting {} {} ({})", item.type().kind(), object.key(), policy);
    try {
      client.delete(item.type(), object.namespace(), object.name(),
          new DeleteOptions(null, policy, object.uid(), null, false));
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
  }

  private void removeFinalizer(Item item, String finalizer) {
    modifyIfSameUid(item, current -> Finalizers.remove(current, finalizer) ? current : null);
  }

  private void modifyIfSameUid(Item item, UnaryOperator<ObjectNode> change) {
    String uid = item.object().uid();
    try {
      client.modify(item.type(), item.object().namespace(), item.object().name(),
          current -> uid.equals(Meta.uid(current)) ? change.apply(current) : null);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}
