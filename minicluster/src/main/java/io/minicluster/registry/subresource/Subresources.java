package io.minicluster.registry.subresource;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.registry.Registries;
import io.minicluster.registry.certificates.ApprovalOperation;
import io.minicluster.registry.namespace.FinalizeOperation;
import io.minicluster.registry.pod.BindingOperation;
import io.minicluster.registry.pod.EvictionOperation;
import io.minicluster.registry.serviceaccount.TokenRequestOperation;
import io.minicluster.serviceaccount.ServiceAccountTokens;
import java.time.Clock;

/**
 * The subresource operations of the registries that are more than a read or write of their object: binding,
 * eviction, namespace finalize, scale and service-account tokens. The HTTP layer and the in-process client both call these, so a subresource
 * has one set of rules whoever calls it. (The status subresource is the registries' own {@code UpdateKind.STATUS}.)
 */
public final class Subresources {
  private final Registries registries;
  private final BindingOperation binding;
  private final EvictionOperation eviction;
  private final FinalizeOperation finalize;
  private final TokenRequestOperation token;
  private final ApprovalOperation approval;

  /** Without service-account tokens: the token subresource answers 404. */
  public Subresources(Registries registries, Clock clock) {
    this(registries, clock, null);
  }

  /** @param tokens the issuer of service-account tokens, or null for none */
  public Subresources(Registries registries, Clock clock, ServiceAccountTokens tokens) {
    this.registries = requireNonNull(registries, "registries is null");
    requireNonNull(clock, "clock is null");
    this.binding = new BindingOperation(registries.get(ResourceTypes.PODS), clock);
    this.eviction = new EvictionOperation(registries.get(ResourceTypes.PODS),
        registries.get(ResourceTypes.POD_DISRUPTION_BUDGETS), clock);
    this.finalize = new FinalizeOperation(registries.get(ResourceTypes.NAMESPACES));
    this.token = tokens == null ? null : new TokenRequestOperation(registries, tokens, clock);
    this.approval = new ApprovalOperation(registries.get(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS), clock);
  }

  /**
   * The token subresource of service accounts.
   *
   * @throws ApiException 404 when the daemon issues no tokens
   */
  public TokenRequestOperation token() {
    if (token == null) {
      throw ApiException.notFoundPath();
    }
    return token;
  }

  /** The approval subresource of certificate signing requests. */
  public ApprovalOperation approval() {
    return approval;
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
    CustomResourceDefinition.ScalePaths paths = registries.customResources().find(type)
        .map(served -> served.version().scale()).orElse(null);
    return paths == null ? new ScaleOperation(registries.get(type))
        : new ScaleOperation(registries.get(type), paths);
  }
}
