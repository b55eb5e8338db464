package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.DeleteOptions;
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
 * HTTP request takes after decoding. Built by the wiring (and tests) only.
 */
public final class LocalClient implements Client {
  private final Registries registries;
  private final Subresources subresources;
  private final String fieldManager;

  public LocalClient(Registries registries, Subresources subresources, String fieldManager) {
    this.registries = requireNonNull(registries, "registries is null");
    this.subresources = requireNonNull(subresources, "subresources is null");
    this.fieldManager = requireNonNull(fieldManager, "fieldManager is null");
  }

  @Override
  public Client as(String manager) {
    return new LocalClient(registries, subresources, manager);
  }

  private GenericRegistry registry(ResourceType type) {
    return registries.get(type);
  }

  private WriteOptions options() {
    return new WriteOptions(false, fieldManager);
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
    return registry(type).create(namespace, object.deepCopy(), options());
  }

  @Override
  public ObjectNode update(ResourceType type, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    return registry(type).update(Meta.namespace(copy), Meta.name(copy), copy, options(), UpdateKind.MAIN);
  }

  @Override
  public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    return registry(type).update(Meta.namespace(copy), Meta.name(copy), copy, options(), UpdateKind.STATUS);
  }

  @Override
  public ObjectNode modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    return registry(type).guaranteedUpdate(namespace, name, change, options(), UpdateKind.MAIN);
  }

  @Override
  public ObjectNode modifyStatus(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    return registry(type).guaranteedUpdate(namespace, name, change, options(), UpdateKind.STATUS);
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
    return subresources.binding().bind(namespace, podName, BindingOperation.binding(podName, uid, nodeName),
        options());
  }

  @Override
  public void evict(String namespace, String podName, DeleteOptions options) {
    subresources.eviction().evict(namespace, podName, null, options);
  }

  @Override
  public ObjectNode finalizeNamespace(String name, UnaryOperator<List<String>> change) {
    return subresources.finalizeNamespace().update(name, change, options());
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
    }, options());
  }

  @Override
  public ObjectNode createToken(String namespace, String serviceAccountName, ObjectNode tokenRequest) {
    return subresources.token().create(namespace, serviceAccountName, tokenRequest);
  }
}
