package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResources;
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
  private final Clock clock;
  private final Admission admission;
  private final GenericRegistry.MetadataValidator metadataValidator;
  /** The custom resources served, and the strategy of each storage version; none until the wiring sets them. */
  private volatile CustomResources customResources = CustomResources.none();
  private volatile Function<CustomResources.Served, Strategy> customStrategies = DefaultStrategy::ofServed;
  private volatile CustomResourceConverter customConverter = CustomResourceConverter.NONE;

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
    this.clock = requireNonNull(clock, "clock is null");
    this.admission = requireNonNull(admission, "admission is null");
    this.metadataValidator = requireNonNull(metadataValidator, "metadataValidator is null");
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
   * Serves the custom resources of the established CustomResourceDefinitions (the catalog the wiring keeps), each
   * written through the strategy of its storage version.
   */
  public void serveCustomResources(CustomResources resources,
      Function<CustomResources.Served, Strategy> strategyOfStorageVersion) {
    serveCustomResources(resources, strategyOfStorageVersion, CustomResourceConverter.NONE);
  }

  /**
   * Serves the custom resources as {@link #serveCustomResources(CustomResources, Function)} does, converting those of
   * definitions with strategy Webhook between versions with {@code converter}.
   */
  public void serveCustomResources(CustomResources resources,
      Function<CustomResources.Served, Strategy> strategyOfStorageVersion, CustomResourceConverter converter) {
    this.customResources = requireNonNull(resources, "resources is null");
    this.customStrategies = requireNonNull(strategyOfStorageVersion, "strategyOfStorageVersion is null");
    this.customConverter = requireNonNull(converter, "converter is null");
  }

  /** The admission chain of every write, and of connections to pods' streams. */
  public Admission admission() {
    return admission;
  }

  /** The custom resources served. */
  public CustomResources customResources() {
    return customResources;
  }

  /**
   * How a served type is served: its own registry, or for an older version of a resource, the stored version's with
   * the conversion between the two; a custom resource's version through its storage version's registry, each object
   * converted from the version it was written in by the definition's strategy (None: the apiVersion rewritten;
   * Webhook: the conversion webhook).
   *
   * @throws ApiException 404 for a type that is not served
   */
  public ServedVersion served(ResourceType type) {
    ServedVersion version = served.get(type);
    if (version != null) {
      return version;
    }
    CustomResources.Served custom = customResources.find(type).orElseThrow(ApiException::notFoundPath);
    GenericRegistry registry = customRegistry(custom);
    return new ServedVersion(custom.type(), registry,
        new CustomResourceConversion(custom.type(), registry.type(), custom.definition(), customConverter));
  }

  /** The registry of a type of {@link ResourceTypes#ALL}, or of a custom resource's storage version. */
  public GenericRegistry get(ResourceType type) {
    GenericRegistry registry = registries.get(type);
    if (registry != null) {
      return registry;
    }
    CustomResources.Served custom = customResources.find(type).orElseThrow(ApiException::notFoundPath);
    return customRegistry(custom);
  }

  /** The registry of a custom resource's storage version: stateless beyond its wiring, built per use. */
  private GenericRegistry customRegistry(CustomResources.Served custom) {
    CustomResources.Served storage = custom.storage();
    return new GenericRegistry(custom.storageType(), customStrategies.apply(storage), store, admission, clock, metadataValidator, GenericRegistry.TypeCheck.NONE,
        StorageConversion.IDENTITY);
  }

  public Store store() {
    return store;
  }
}
