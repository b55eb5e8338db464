package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.FieldTrackers;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.registry.Registries;
import io.minicluster.api.meta.WatchSink;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.pod.BindingOperation;
import io.minicluster.registry.subresource.Subresources;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The in-process {@link Client}: calls the registries and their subresource operations directly, on the same path an
 * HTTP request takes after decoding. Its writes are tracked in managedFields as a request's are, the writer named by
 * the client's user agent up to its first "/" (kube-controller-manager, kube-scheduler, kubelet). Built by the wiring
 * (and tests) only.
 */
public final class LocalClient implements Client {
  private final Registries registries;
  private final Subresources subresources;
  private final FieldTrackers trackers;
  private final String userAgent;
  private final boolean component;

  /**
   * The daemon's own client, whose {@link #as} clients are its components'.
   *
   * @param trackers the tracking of each write's managed fields
   * @param userAgent the user agent of the daemon's own writes
   */
  public LocalClient(Registries registries, Subresources subresources, FieldTrackers trackers, String userAgent) {
    this(registries, subresources, trackers, userAgent, false);
  }

  private LocalClient(Registries registries, Subresources subresources, FieldTrackers trackers, String userAgent,
      boolean component) {
    this.registries = requireNonNull(registries, "registries is null");
    this.subresources = requireNonNull(subresources, "subresources is null");
    this.trackers = requireNonNull(trackers, "trackers is null");
    this.userAgent = requireNonNull(userAgent, "userAgent is null");
    this.component = component;
  }

  /**
   * On the daemon's client, the client of a component, whose user agent is {@code name}; on a component's client,
   * the client of one of its parts (a controller of the controller manager), whose user agent is the component's with
   * "/" and the part's name appended, as client-go's AddUserAgent appends it: its writes keep the component's name.
   */
  @Override
  public Client as(String name) {
    requireNonNull(name, "name is null");
    return new LocalClient(registries, subresources, trackers, component ? userAgent + "/" + name : name, true);
  }

  private GenericRegistry registry(ResourceType type) {
    return registries.get(type);
  }

  /** The options of a write the apiserver does not track (binding, finalize). */
  private WriteOptions untracked() {
    return new WriteOptions(false, null);
  }

  /** The options of a write of the registry's resource ({@code subresource} "") or of one of its subresources. */
  private WriteOptions tracked(GenericRegistry registry, String subresource, UpdateKind kind) {
    return new WriteOptions(false, null, trackers.tracking(registry.type(), subresource, kind, userAgent));
  }

  @Override
  public ObjectNode get(ResourceType type, String namespace, String name) {
    return registry(type).get(namespace, name);
  }

  @Override
  public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
    return registry(type).find(namespace, name);
  }

  @Override
  public ObjectList list(ResourceType type, String namespace, ListOptions options) {
    return registry(type).list(namespace, options);
  }

  @Override
  public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
    GenericRegistry registry = registry(type);
    return registry.create(namespace, object.deepCopy(), tracked(registry, "", UpdateKind.MAIN));
  }

  @Override
  public ObjectNode update(ResourceType type, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    GenericRegistry registry = registry(type);
    return registry.update(Meta.namespace(copy), Meta.name(copy), copy, tracked(registry, "", UpdateKind.MAIN),
        UpdateKind.MAIN);
  }

  @Override
  public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    GenericRegistry registry = registry(type);
    return registry.update(Meta.namespace(copy), Meta.name(copy), copy, tracked(registry, "status", UpdateKind.STATUS),
        UpdateKind.STATUS);
  }

  @Override
  public ObjectNode modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    GenericRegistry registry = registry(type);
    return registry.guaranteedUpdate(namespace, name, change, tracked(registry, "", UpdateKind.MAIN), UpdateKind.MAIN);
  }

  @Override
  public ObjectNode modifyStatus(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    GenericRegistry registry = registry(type);
    return registry.guaranteedUpdate(namespace, name, change, tracked(registry, "status", UpdateKind.STATUS),
        UpdateKind.STATUS);
  }

  @Override
  public GenericRegistry.DeleteResult delete(ResourceType type, String namespace, String name,
      DeleteOptions options) {
    return registry(type).delete(namespace, name, options);
  }

  @Override
  public GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options,
      WatchSink sink) {
    return registry(type).watch(namespace, options, sink);
  }

  @Override
  public ObjectNode bind(String namespace, String podName, String nodeName, String uid) {
    requireNonNull(podName, "podName is null");
    requireNonNull(nodeName, "nodeName is null");
    // as the apiserver's binding, which writes the pod straight to storage: no managed fields of the pod change
    return subresources.binding().bind(namespace, podName, BindingOperation.binding(podName, uid, nodeName),
        untracked());
  }

  @Override
  public void evict(String namespace, String podName, DeleteOptions options) {
    subresources.eviction().evict(namespace, podName, null, options);
  }

  @Override
  public ObjectNode finalizeNamespace(String name, UnaryOperator<List<String>> change) {
    return subresources.finalizeNamespace().update(name, change, untracked());
  }

  @Override
  public ObjectNode getScale(ResourceType type, String namespace, String name) {
    return subresources.scale(type).get(namespace, name);
  }

  @Override
  public ObjectNode updateScale(ResourceType type, String namespace, String name, int replicas) {
    return subresources.scale(type).update(namespace, name, scale -> {
      Json.with(scale, "spec").put("replicas", replicas);
      Meta.metadata(scale).remove("resourceVersion");
      return scale;
    }, tracked(registry(type), "scale", UpdateKind.MAIN));
  }

  @Override
  public ObjectNode createToken(String namespace, String serviceAccountName, ObjectNode tokenRequest) {
    return subresources.token().create(namespace, serviceAccountName, tokenRequest);
  }
}
