package io.minicluster.registry.controllerrevision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * apps/v1 ControllerRevisions, the stored pod templates of DaemonSets and StatefulSets: data is mandatory and, once
 * written, immutable; revision is non-negative (ValidateControllerRevision).
 */
public final class ControllerRevisionStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.CONTROLLER_REVISIONS;
  }

  @Override
  public List<FieldError> validate(ObjectNode revision) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode data = Json.get(revision, "data");
    if (data == null || data.isNull()) {
      errors.add(FieldError.required("data", "data is mandatory"));
    }
    errors.addAll(ObjectMetaValidation.nonNegative(revision, "revision", "revision"));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode revision, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(revision));
    JsonNode data = Json.get(revision, "data");
    if (!Objects.equals(data, Json.get(old, "data"))) {
      errors.add(FieldError.invalid("data", new GoValue(data == null ? "null" : data.toString()),
          ObjectMetaValidation.IMMUTABLE));
    }
    return errors;
  }
}
