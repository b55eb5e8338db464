package io.minicluster.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import java.util.List;

/**
 * What a custom resource's writes go through from its version's schema: defaulting, pruning of unknown fields and
 * validation (the structural schema's), as the apiserver's customresource strategy.
 */
public interface ResourceSchema {
  /** No schema: nothing defaulted, pruned or validated. */
  ResourceSchema NONE = new ResourceSchema() {
    @Override
    public void applyDefaults(ObjectNode object) {}

    @Override
    public void prune(ObjectNode object) {}

    @Override
    public List<String> unknownFields(ObjectNode object) {
      return List.of();
    }

    @Override
    public List<FieldError> validate(JsonNode object) {
      return List.of();
    }
  };

  void applyDefaults(ObjectNode object);

  /** Drops the fields the schema does not know (unless it preserves unknown fields there). */
  void prune(ObjectNode object);

  /** The paths {@link #prune} would drop from the object ("spec.foo"), sorted; the object is left as it is. */
  List<String> unknownFields(ObjectNode object);

  List<FieldError> validate(JsonNode object);
}
