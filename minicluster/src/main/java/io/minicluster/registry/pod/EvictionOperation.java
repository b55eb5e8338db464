package io.minicluster.registry.pod;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.GenericRegistry;

/**
 * Evicting a pod (pkg/registry/core/pod/storage: EvictionREST). minicluster has no PodDisruptionBudgets, so an
 * eviction is the pod's deletion with the Eviction's delete options, as upstream when no budget covers the pod.
 */
public final class EvictionOperation {
  private final GenericRegistry pods;

  public EvictionOperation(GenericRegistry pods) {
    this.pods = requireNonNull(pods, "pods is null");
  }

  /**
   * Evicts a pod.
   *
   * @param evictionName the name the Eviction carries, or null when it carries none
   * @throws ApiException 400 when the Eviction names another pod than the URL, 404 when the pod does not exist,
   *     409 when a precondition fails
   */
  public GenericRegistry.DeleteResult evict(String namespace, String name, String evictionName,
      DeleteOptions options) {
    requireNonNull(name, "name is null");
    requireNonNull(options, "options is null");
    if (evictionName != null && !evictionName.isEmpty() && !evictionName.equals(name)) {
      throw ApiException.badRequest("name in URL does not match name in Eviction object");
    }
    return pods.delete(namespace, name, options);
  }
}
