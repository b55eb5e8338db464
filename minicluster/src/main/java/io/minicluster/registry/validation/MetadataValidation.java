package io.minicluster.registry.validation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.Strategy;
import java.util.List;
import java.util.function.Function;

/**
 * The metadata validation the daemon plugs into its registries: {@link ObjectMetaValidation} with each type's name
 * rule from its strategy. Tests that build registries "as the daemon does" use the same one.
 */
public final class MetadataValidation {
  private MetadataValidation() {}

  /** The validator (stateless) taking each type's name rule from the given strategies. */
  public static GenericRegistry.MetadataValidator validator(Function<ResourceType, Strategy> strategies) {
    requireNonNull(strategies, "strategies is null");
    return new GenericRegistry.MetadataValidator() {
      @Override
      public List<FieldError> validate(ResourceType type, ObjectNode object) {
        return ObjectMetaValidation.validate(object, type.namespaced(), strategies.apply(type).nameValidator());
      }

      @Override
      public List<FieldError> validateUpdate(ResourceType type, ObjectNode object, ObjectNode old) {
        return ObjectMetaValidation.validateUpdate(object, old);
      }
    };
  }
}
