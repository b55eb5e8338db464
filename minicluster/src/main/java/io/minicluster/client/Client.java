package io.minicluster.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The API client of controllers, the scheduler and the node agent. Every write follows the same rules as an HTTP
 * request (defaults, validation, admission, optimistic concurrency; subresources through the registry's operations),
 * never straight into the store. Errors are {@link ApiException}s, as a remote client would see them. The daemon's
 * implementation is {@link LocalClient}; unit tests use a fake.
 */
public interface Client {
  /**
   * The same client, as another writer: on the daemon's client a component ("kube-controller-manager", "kubelet"),
   * whose name its writes record as their field manager; on a component's client a part of the component (a
   * controller), whose writes keep the component's field manager, as the apiserver names a client by its user agent.
   */
  Client as(String name);

  /**
   * @throws ApiException 404 when the object does not exist
   */
  ObjectNode get(ResourceType type, String namespace, String name);

  Optional<ObjectNode> find(ResourceType type, String namespace, String name);

  ObjectList list(ResourceType type, String namespace, ListOptions options);

  ObjectNode create(ResourceType type, String namespace, ObjectNode object);

  /** Replaces an object; fails with 409 when its resourceVersion is stale. */
  ObjectNode update(ResourceType type, ObjectNode object);

  /** Replaces the status of an object; fails with 409 when its resourceVersion is stale. */
  ObjectNode updateStatus(ResourceType type, ObjectNode object);

  /**
   * Read-modify-write of the object with retries on conflict; the function gets a private copy and may return null
   * to leave the object unchanged.
   */
  ObjectNode modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change);

  /** Read-modify-write of the status with retries on conflict. */
  ObjectNode modifyStatus(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change);

  GenericRegistry.DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options);

  /** Deletes, treating "not found" as success. */
  default void deleteIfExists(ResourceType type, String namespace, String name, DeleteOptions options) {
    try {
      delete(type, namespace, name, options);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options, WatchSink sink);

  /**
   * Binds a pod to a node, as POST pods/{name}/binding with a Binding naming the node.
   *
   * @param uid the pod's uid as precondition, or null
   * @return the pod as stored after binding
   * @throws ApiException 409 when the pod is already assigned, being deleted or has another uid; 404 when it is gone
   */
  ObjectNode bind(String namespace, String podName, String nodeName, String uid);

  /**
   * Evicts a pod, as POST pods/{name}/eviction.
   *
   * @throws ApiException 404 when the pod does not exist, 409 when a precondition of the options fails
   */
  void evict(String namespace, String podName, DeleteOptions options);

  /**
   * Replaces a namespace's spec.finalizers through the finalize subresource with what the change makes of the
   * current ones (retried on conflict; null leaves them). A namespace being deleted whose last finalizer goes is
   * removed.
   *
   * @throws ApiException 404 when the namespace does not exist
   */
  ObjectNode finalizeNamespace(String name, UnaryOperator<List<String>> change);

  /**
   * The autoscaling/v1 Scale of an object whose type has the scale subresource, as GET {name}/scale.
   *
   * @throws ApiException 404 when the object does not exist or its type has no scale subresource
   */
  ObjectNode getScale(ResourceType type, String namespace, String name);

  /**
   * Sets an object's replicas through its scale subresource, as PUT {name}/scale.
   *
   * @return the Scale as stored afterwards
   */
  ObjectNode updateScale(ResourceType type, String namespace, String name, int replicas);

  /**
   * Requests a service-account token, as POST serviceaccounts/{name}/token with a TokenRequest.
   *
   * @return the TokenRequest with its status (token, expirationTimestamp)
   * @throws ApiException 404 when the account or the bound object is gone, 422 for an invalid request
   */
  ObjectNode createToken(String namespace, String serviceAccountName, ObjectNode tokenRequest);
}
