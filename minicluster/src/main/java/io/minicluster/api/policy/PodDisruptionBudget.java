package io.minicluster.api.policy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** policy/v1 PodDisruptionBudget as consumers read it from an informer. */
public record PodDisruptionBudget(ObjectMeta metadata, PodDisruptionBudgetSpec spec,
    PodDisruptionBudgetStatus status) {

  public PodDisruptionBudget {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static PodDisruptionBudget from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new PodDisruptionBudget(ObjectMeta.of(object),
        PodDisruptionBudgetSpec.from(JsonValues.child(object, "spec")),
        PodDisruptionBudgetStatus.from(JsonValues.child(object, "status")));
  }
}
