package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;

/**
 * The conversion of a custom resource's versions under conversion strategy None: the object is the same in every
 * version, only its apiVersion is rewritten (the apiserver's nopConverter).
 */
final class ApiVersionConversion implements StorageConversion {
  private final ResourceType served;
  private final ResourceType stored;

  ApiVersionConversion(ResourceType served, ResourceType stored) {
    this.served = requireNonNull(served, "served is null");
    this.stored = requireNonNull(stored, "stored is null");
  }

  @Override
  public ResourceType storedAs(ResourceType type) {
    return stored;
  }

  @Override
  public ObjectNode toStorage(ObjectNode object) {
    return withApiVersion(object, stored.apiVersion());
  }

  @Override
  public ObjectNode fromStorage(ObjectNode object) {
    return withApiVersion(object, served.apiVersion());
  }

  private static ObjectNode withApiVersion(ObjectNode object, String apiVersion) {
    ObjectNode copy = object.objectNode();
    copy.setAll(object);
    if (copy.has("apiVersion")) {
      copy.put("apiVersion", apiVersion);
    }
    return copy;
  }
}
