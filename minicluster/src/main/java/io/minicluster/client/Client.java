package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.registry.DeleteOptions;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.ListOptions;
import io.minicluster.registry.ObjectList;
import io.minicluster.registry.Registries;
import io.minicluster.registry.WatchSink;
import io.minicluster.registry.WriteOptions;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The in-process API client of controllers, the scheduler and the node agent. Every write goes through the same
 * registry path as an HTTP request (defaults, validation, admission, optimistic concurrency), never straight into the
 * store. Errors are {@link ApiException}s, as a remote client would see them.
 */
public final class Client {
  private final Registries registries;
  private final String fieldManager;

  public Client(Registries registries, String fieldManager) {
    this.registries = requireNonNull(registries, "registries is null");
    this.fieldManager = requireNonNull(fieldManager, "fieldManager is null");
  }

  /** The same client, writing as another field manager (e.g. "scheduler", "kubelet"). */
  public Client as(String manager) {
    return new Client(registries, manager);
  }

  private GenericRegistry registry(ResourceType type) {
    return registries.get(type);
  }

  private WriteOptions options() {
    return new WriteOptions(false, fieldManager);
  }

  public ObjectNode get(ResourceType type, String namespace, String name) {
    return registry(type).get(namespace, name);
  }

  public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
    return registry(type).find(namespace, name);
  }

  public ObjectList list(ResourceType type, String namespace, ListOptions options) {
    return registry(type).list(namespace, options);
  }

  public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
    return registry(type).create(namespace, object.deepCopy(), options());
  }

  /** Replaces an object; fails with 409 when its resourceVersion is stale. */
  public ObjectNode update(ResourceType type, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    return registry(type).update(io.minicluster.api.Meta.namespace(copy), io.minicluster.api.Meta.name(copy), copy,
        options(), UpdateKind.MAIN);
  }

  /** Replaces the status of an object; fails with 409 when its resourceVersion is stale. */
  public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    return registry(type).update(io.minicluster.api.Meta.namespace(copy), io.minicluster.api.Meta.name(copy), copy,
        options(), UpdateKind.STATUS);
  }

  /**
   * Read-modify-write of the object with retries on conflict; the function may return null to leave it unchanged.
   */
  public ObjectNode modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    return registry(type).guaranteedUpdate(namespace, name, change, options(), UpdateKind.MAIN);
  }

  /** Read-modify-write of the status with retries on conflict. */
  public ObjectNode modifyStatus(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    return registry(type).guaranteedUpdate(namespace, name, change, options(), UpdateKind.STATUS);
  }

  /** Writes through a system subresource (binding, finalize): metadata rules only. */
  public ObjectNode modifySystem(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    return registry(type).guaranteedUpdate(namespace, name, change, options(), UpdateKind.SYSTEM);
  }

  public GenericRegistry.DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    return registry(type).delete(namespace, name, options);
  }

  /** Deletes, treating "not found" as success. */
  public void deleteIfExists(ResourceType type, String namespace, String name, DeleteOptions options) {
    try {
      delete(type, namespace, name, options);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  public GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options, WatchSink sink) {
    return registry(type).watch(namespace, options, sink);
  }
}
