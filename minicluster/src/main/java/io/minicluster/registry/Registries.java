package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registries of every served resource type, sharing one store, with the conversions the wiring chose. */
public final class Registries {
  private final Map<ResourceType, GenericRegistry> registries = new LinkedHashMap<>();
  private final Map<ResourceType, ServedVersion> served = new LinkedHashMap<>();
  private final Store store;

  public Registries(Store store, Clock clock, Function<ResourceType, Strategy> strategies, Admission admission,
      GenericRegistry.MetadataValidator metadataValidator, GenericRegistry.TypeCheck typeCheck,
      StorageConversions conversions) {
    this(store, clock, strategies, admission, metadataValidator, typeCheck, conversions, type -> Duration.ZERO);
  }

  /** With the time to live of each type's objects (zero: they never expire), as the events' {@code --event-ttl}. */
  public Registries(Store store, Clock clock, Function<ResourceType, Strategy> strategies, Admission admission,
      GenericRegistry.MetadataValidator metadataValidator, GenericRegistry.TypeCheck typeCheck,
      StorageConversions conversions, Function<ResourceType, Duration> ttls) {
    requireNonNull(ttls, "ttls is null");
    this.store = requireNonNull(store, "store is null");
    requireNonNull(conversions, "conversions is null");
    for (ResourceType type : ResourceTypes.ALL) {
      registries.put(type, new GenericRegistry(type, strategies.apply(type), store, admission, clock,
          metadataValidator, typeCheck, conversions.storage(type), ttls.apply(type)));
    }
    for (ResourceType type : ResourceTypes.SERVED) {
      StorageConversion view = conversions.olderVersion(type);
      served.put(type, view == null ? new ServedVersion(type, registries.get(type), StorageConversion.IDENTITY)
          : new ServedVersion(type, registries.get(view.storedAs(type)), view));
    }
  }

  /**
   * How a served type is served: its own registry, or for an older version of a resource, the stored version's with
   * the conversion between the two.
   *
   * @throws ApiException 404 for a type that is not served
   */
  public ServedVersion served(ResourceType type) {
    ServedVersion version = served.get(type);
    if (version == null) {
      throw ApiException.notFoundPath();
    }
    return version;
  }

  /** The registry of a type of {@link ResourceTypes#ALL}. */
  public GenericRegistry get(ResourceType type) {
    GenericRegistry registry = registries.get(type);
    if (registry == null) {
      throw ApiException.notFoundPath();
    }
    return registry;
  }

  public Store store() {
    return store;
  }
}
