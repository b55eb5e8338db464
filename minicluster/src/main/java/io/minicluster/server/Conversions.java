package io.minicluster.server;

import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.StorageConversion;
import io.minicluster.registry.StorageConversions;
import io.minicluster.registry.event.EventConversion;
import io.minicluster.registry.horizontalpodautoscaler.AutoscalingV1Conversion;
import io.minicluster.registry.v1beta3.PodConversion;
import io.minicluster.registry.v1beta3.ReplicationControllerConversion;
import io.minicluster.registry.v1beta3.ServiceConversion;
import java.util.Map;

/**
 * The storage conversions of the served resources: events.k8s.io/v1 Events are stored as core/v1 Events, and the
 * v1beta3 versions of pods, services and replication controllers are views of the v1 registries. Like the list of
 * strategies this is wiring: it names registry sub-packages, so it lives with the daemon's assembly.
 */
public final class Conversions implements StorageConversions {
  /** The daemon's conversions. */
  public static final Conversions ALL = new Conversions();

  private static final Map<ResourceType, StorageConversion> STORED = Map.of(
      ResourceTypes.EVENTS_V1, new EventConversion());
  private static final Map<ResourceType, StorageConversion> OLDER_VERSIONS = Map.of(
      ResourceTypes.PODS_V1BETA3, new PodConversion(),
      ResourceTypes.SERVICES_V1BETA3, new ServiceConversion(),
      ResourceTypes.REPLICATION_CONTROLLERS_V1BETA3, new ReplicationControllerConversion(),
      ResourceTypes.HORIZONTAL_POD_AUTOSCALERS_V1, new AutoscalingV1Conversion());

  private Conversions() {}

  @Override
  public StorageConversion storage(ResourceType type) {
    return STORED.getOrDefault(type, StorageConversion.IDENTITY);
  }

  @Override
  public StorageConversion olderVersion(ResourceType type) {
    return OLDER_VERSIONS.get(type);
  }
}
