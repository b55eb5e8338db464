package io.minicluster.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * How a resource's objects are stored when another resource owns the storage, stored once as the apiserver does, so
 * an object written through either API is read through both. Two uses: events.k8s.io/v1 events are a second view of
 * the core/v1 events, with a registry of their own whose strategy works on the served form (the GenericRegistry
 * converts at the store); core/v1beta3 pods, services and replication controllers are older versions served through
 * the stored version's registry (see {@link ServedVersion}: the API converts requests and responses). Conversions
 * return a new top-level object and leave their argument unchanged; the two may share subtrees, so neither is to be
 * changed below the top level while the other is in use.
 */
public interface StorageConversion {
  /** The type whose store keys hold the objects of {@code served}. */
  default ResourceType storedAs(ResourceType served) {
    return served;
  }

  /** Objects stored as served. */
  StorageConversion IDENTITY = new StorageConversion() {
    @Override
    public ObjectNode toStorage(ObjectNode served) {
      return served;
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored) {
      return stored;
    }

    @Override
    public List<ObjectNode> fromStorage(List<ObjectNode> stored) {
      return stored;
    }
  };

  /** The stored form of an object in this resource's form. */
  ObjectNode toStorage(ObjectNode served);

  /** This resource's form of a stored object. */
  ObjectNode fromStorage(ObjectNode stored);

  /**
   * Whether tables are printed from the served form (a custom resource's version has printer columns of its own, on
   * its own fields), not from the stored form the built-in printers read.
   */
  default boolean printsServedForm() {
    return false;
  }

  /** This resource's form of stored objects (a list's items: a conversion webhook is called once for them all). */
  default List<ObjectNode> fromStorage(List<ObjectNode> stored) {
    List<ObjectNode> served = new ArrayList<>(stored.size());
    stored.forEach(object -> served.add(fromStorage(object)));
    return served;
  }
}
