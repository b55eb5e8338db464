package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.registry.FieldTracking;
import io.minicluster.registry.FieldTrackers;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import java.time.Clock;

/**
 * The field tracking of the in-process client's writes, by the same field manager as a request's: the writer is
 * named by its user agent (kube-controller-manager, kube-scheduler, kubelet...), each write recorded as an Update
 * in the registry's apiVersion, with its subresource.
 */
public final class ClientFieldTrackers implements FieldTrackers {
  private final Clock clock;

  public ClientFieldTrackers(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public FieldTracking tracking(ResourceType type, String subresource, UpdateKind kind, String userAgent) {
    return FieldManager.forWrite(type, type, FieldManager.managerName(null, userAgent), subresource, kind,
        clock.instant())::update;
  }
}
