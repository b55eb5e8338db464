package io.minicluster.registry.subresource;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.Registries;
import io.minicluster.registry.namespace.FinalizeOperation;
import io.minicluster.registry.pod.BindingOperation;
import io.minicluster.registry.pod.EvictionOperation;
import java.time.Clock;

/**
 * The subresource operations of the registries that are more than a read or write of their object: binding,
 * eviction, namespace finalize and scale. The HTTP layer and the in-process client both call these, so a subresource
 * has one set of rules whoever calls it. (The status subresource is the registries' own {@code UpdateKind.STATUS}.)
 */
public final class Subresources {
  private final Registries registries;
  private final BindingOperation binding;
  private final EvictionOperation eviction;
  private final FinalizeOperation finalize;

  public Subresources(Registries registries, Clock clock) {
    this.registries = requireNonNull(registries, "registries is null");
    requireNonNull(clock, "clock is null");
    this.binding = new BindingOperation(registries.get(ResourceTypes.PODS), clock);
    this.eviction = new EvictionOperation(registries.get(ResourceTypes.PODS),
        registries.get(ResourceTypes.POD_DISRUPTION_BUDGETS), clock);
    this.finalize = new FinalizeOperation(registries.get(ResourceTypes.NAMESPACES));
  }

  public BindingOperation binding() {
    return binding;
  }

  public EvictionOperation eviction() {
    return eviction;
  }

  public FinalizeOperation finalizeNamespace() {
    return finalize;
  }

  /**
   * The scale subresource of a stored type.
   *
   * @throws ApiException 404 when the type has no scale subresource
   */
  public ScaleOperation scale(ResourceType type) {
    if (!type.hasSubresource("scale")) {
      throw ApiException.notFoundPath();
    }
    return new ScaleOperation(registries.get(type));
  }
}
