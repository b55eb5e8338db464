package io.minicluster.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.Strategies;
import java.util.List;

/**
 * The metadata validation the daemon plugs into its registries: {@link ObjectMetaValidation} with each type's name
 * rule from {@link Strategies}. Tests that build registries "as the daemon does" use the same one.
 */
public final class MetadataValidation {
  private static final GenericRegistry.MetadataValidator VALIDATOR = new GenericRegistry.MetadataValidator() {
    @Override
    public List<FieldError> validate(ResourceType type, ObjectNode object) {
      return ObjectMetaValidation.validate(object, type.namespaced(), Strategies.forType(type).nameValidator());
    }

    @Override
    public List<FieldError> validateUpdate(ResourceType type, ObjectNode object, ObjectNode old) {
      return ObjectMetaValidation.validateUpdate(object, old);
    }
  };

  private MetadataValidation() {}

  /** The validator (stateless, shared). */
  public static GenericRegistry.MetadataValidator validator() {
    return VALIDATOR;
  }
}
