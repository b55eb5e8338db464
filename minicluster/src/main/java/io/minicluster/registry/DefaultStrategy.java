package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.apiextensions.CustomResources;
import java.util.List;

/** The strategy of a kind that needs nothing beyond the generic metadata checks. */
public final class DefaultStrategy implements Strategy {
  private final ResourceType type;

  public DefaultStrategy(ResourceType type) {
    this.type = requireNonNull(type, "type is null");
  }

  /** The default strategy of a custom resource's version. */
  static Strategy ofServed(CustomResources.Served served) {
    return new DefaultStrategy(served.type());
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public List<FieldError> validate(ObjectNode object) {
    return List.of();
  }
}
