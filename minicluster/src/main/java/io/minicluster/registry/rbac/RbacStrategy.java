package io.minicluster.registry.rbac;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.registry.Strategy;

/** What the four RBAC strategies share: their type, and names that only need to be a path segment (ValidateRBACName). */
abstract class RbacStrategy implements Strategy {
  private final ResourceType type;

  RbacStrategy(ResourceType type) {
    this.type = requireNonNull(type, "type is null");
  }

  @Override
  public final ResourceType type() {
    return type;
  }

  @Override
  public final NameValidator nameValidator() {
    return NameValidator.PATH_SEGMENT;
  }
}
