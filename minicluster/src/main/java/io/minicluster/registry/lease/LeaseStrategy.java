package io.minicluster.registry.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.Strategy;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/** coordination.k8s.io/v1 Leases: ValidateLeaseSpec (positive duration, non-negative transitions). */
public final class LeaseStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.LEASES;
  }

  @Override
  public List<FieldError> validate(ObjectNode lease) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(lease, "spec");
    Long duration = Json.numberOrNull(spec, "leaseDurationSeconds");
    if (duration != null && duration <= 0) {
      errors.add(FieldError.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
    }
    Long transitions = Json.numberOrNull(spec, "leaseTransitions");
    if (transitions != null && transitions < 0) {
      errors.add(FieldError.invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0"));
    }
    return errors;
  }

  @Override
  public boolean hasGeneration() {
    return false;
  }
}
