package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import java.util.List;

/**
 * A served type and the registry that holds its objects. Most types have their own registry and are stored as served;
 * an older version of a resource (core/v1beta3 pods, services and replication controllers) is a view of the stored
 * version's registry: requests are converted to the stored version on the way in and back on the way out, as the
 * apiserver's codecs convert between a request's version and the storage version, so the stored version's
 * defaults, validation and admission apply to it unchanged.
 *
 * @param type the served type
 * @param registry the registry holding its objects, in the stored form
 * @param conversion between the served and the stored form ({@link StorageConversion#IDENTITY} for most types)
 */
public record ServedVersion(ResourceType type, GenericRegistry registry, StorageConversion conversion) {
  public ServedVersion {
    requireNonNull(type, "type is null");
    requireNonNull(registry, "registry is null");
    requireNonNull(conversion, "conversion is null");
  }

  /** Whether objects are served as the registry holds them. */
  public boolean asStored() {
    return conversion == StorageConversion.IDENTITY;
  }

  /** The stored form of an object in the served form (a request body). */
  public ObjectNode toStored(ObjectNode served) {
    return conversion.toStorage(served);
  }

  /** The served form of a stored object (a response). */
  public ObjectNode toServed(ObjectNode stored) {
    return conversion.fromStorage(stored);
  }

  /** The served form of stored objects (a list's items). */
  public List<ObjectNode> toServed(List<ObjectNode> stored) {
    return conversion.fromStorage(stored);
  }
}
