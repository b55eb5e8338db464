package io.minicluster.apiextensions;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.apiextensions.CustomResourceDefinition.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The catalog of the custom resources being served, kept from the established CustomResourceDefinitions (the
 * apiserver's crdHandler reads its lister the same way): routing, the registries, discovery, OpenAPI and the table
 * printers look custom types up here. Readers see one consistent snapshot; writers replace it.
 */
public final class CustomResources {
  /** One served version of a custom resource. */
  public record Served(ResourceType type, CustomResourceDefinition definition, Version version) {
    public Served {
      requireNonNull(type, "type is null");
      requireNonNull(definition, "definition is null");
      requireNonNull(version, "version is null");
    }

    /** The type the objects are stored as (the storage version's). */
    public ResourceType storageType() {
      return definition.storageType();
    }

    /** The storage version of the same definition (this one when it is the storage version). */
    public Served storage() {
      Version storage = definition.storageVersion().orElseThrow();
      return storage.equals(version) ? this : new Served(definition.type(storage), definition, storage);
    }
  }

  private volatile Map<String, CustomResourceDefinition> definitions = Map.of();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Nothing served: for components built without the API extensions. */
  public static CustomResources none() {
    return new CustomResources();
  }

  /** Called after every change of the served definitions (caches of discovery and OpenAPI drop their documents). */
  public void addListener(Runnable listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  /**
   * Serves a definition's resources, or stops serving them when it is not established (or has no storage
   * version); replaces the definition of the same name.
   */
  public synchronized void update(CustomResourceDefinition definition) {
    requireNonNull(definition, "definition is null");
    Map<String, CustomResourceDefinition> next = new LinkedHashMap<>(definitions);
    if (definition.servedStorageType().isPresent()) {
      next.put(definition.name(), definition);
    } else {
      next.remove(definition.name());
    }
    if (!next.equals(definitions)) {
      definitions = Map.copyOf(next);
      listeners.forEach(Runnable::run);
    }
  }

  /** Stops serving the resources of a definition. */
  public synchronized void remove(String name) {
    requireNonNull(name, "name is null");
    if (definitions.containsKey(name)) {
      Map<String, CustomResourceDefinition> next = new LinkedHashMap<>(definitions);
      next.remove(name);
      definitions = Map.copyOf(next);
      listeners.forEach(Runnable::run);
    }
  }

  /** The served version at group/version/plural. */
  public Optional<Served> find(String group, String version, String plural) {
    for (CustomResourceDefinition definition : definitions.values()) {
      if (definition.group().equals(group) && definition.names().plural().equals(plural)) {
        Optional<Version> served = definition.version(version).filter(Version::served);
        if (served.isPresent()) {
          return Optional.of(new Served(definition.type(served.get()), definition, served.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** The served version of a type, if it is a custom resource's. */
  public Optional<Served> find(ResourceType type) {
    return find(type.group(), type.version(), type.plural());
  }

  /**
   * Every served custom type, grouped by group (sorted by name), each group's versions in Kubernetes' version
   * priority (the preferred first), each version's resources by plural: the order discovery lists them in.
   */
  public List<ResourceType> servedTypes() {
    List<CustomResourceDefinition> sorted = new ArrayList<>(definitions.values());
    sorted.sort(Comparator.comparing(CustomResourceDefinition::group)
        .thenComparing(d -> d.names().plural()));
    List<ResourceType> types = new ArrayList<>();
    for (CustomResourceDefinition definition : sorted) {
      types.addAll(definition.servedTypes());
    }
    types.sort(Comparator.comparing(ResourceType::group)
        .thenComparing(ResourceType::version, VersionPriority.COMPARATOR)
        .thenComparing(ResourceType::plural));
    return List.copyOf(types);
  }

  /** The served definitions, by name. */
  public List<CustomResourceDefinition> definitions() {
    return definitions.values().stream().sorted(Comparator.comparing(CustomResourceDefinition::name)).toList();
  }
}
