package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.store.Store;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registries of every served resource type, sharing one store. */
public final class Registries {
  private final Map<ResourceType, GenericRegistry> registries = new LinkedHashMap<>();
  private final Store store;

  public Registries(Store store, Clock clock, Function<ResourceType, Strategy> strategies, Admission admission,
      GenericRegistry.MetadataValidator metadataValidator, GenericRegistry.TypeCheck typeCheck) {
    this.store = requireNonNull(store, "store is null");
    for (ResourceType type : ResourceTypes.ALL) {
      StorageConversion conversion = type.equals(ResourceTypes.EVENTS_V1)
          ? new io.minicluster.registry.event.EventConversion()
          : StorageConversion.IDENTITY;
      registries.put(type, new GenericRegistry(type, strategies.apply(type), store, admission, clock,
          metadataValidator, typeCheck, conversion));
    }
  }

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
