package io.minicluster.registry.customresource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.apiextensions.ResourceSchema;
import io.minicluster.registry.Strategy;
import java.util.List;

/**
 * The custom resources of one CustomResourceDefinition, as apiextensions-apiserver's registry/customresource: objects
 * always have a generation; with the status subresource, status is reset on create and kept by the main resource's
 * updates, and only changes outside metadata and status bump the generation; without it, any change outside
 * metadata does. Objects are defaulted, pruned and validated by the storage version's schema.
 */
public final class CustomResourceStrategy implements Strategy {
  private final ResourceType type;
  private final ResourceSchema schema;

  /** @param type the storage version's type (its subresources say whether status is one) */
  public CustomResourceStrategy(ResourceType type, ResourceSchema schema) {
    this.type = requireNonNull(type, "type is null");
    this.schema = requireNonNull(schema, "schema is null");
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public void applyDefaults(ObjectNode object) {
    schema.prune(object);
    schema.applyDefaults(object);
  }

  @Override
  public List<String> unknownFields(ObjectNode object) {
    return schema.unknownFields(object);
  }

  @Override
  public boolean hasGeneration() {
    return true;
  }

  @Override
  public boolean specChanged(ObjectNode object, ObjectNode old) {
    if (type.hasStatus()) {
      return Strategy.super.specChanged(object, old);
    }
    ObjectNode a = object.deepCopy();
    ObjectNode b = old.deepCopy();
    a.remove(List.of("metadata", "apiVersion", "kind"));
    b.remove(List.of("metadata", "apiVersion", "kind"));
    return !a.equals(b);
  }

  @Override
  public List<FieldError> validate(ObjectNode object) {
    return schema.validate(object);
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode object, ObjectNode old) {
    schema.prune(object);
    return schema.validate(object);
  }
}
