package io.minicluster.registry.poddisruptionbudget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import io.minicluster.registry.workload.RollingUpdates;
import java.util.ArrayList;
import java.util.List;

/**
 * policy/v1 PodDisruptionBudgets, as pkg/registry/policy/poddisruptionbudget and pkg/apis/policy/validation: the zero
 * status on create (its four counters have no omitempty), a spec that may change (v1), ValidatePodDisruptionBudgetSpec
 * and the non-negative counters of ValidatePodDisruptionBudgetStatusUpdate. policy/v1 has no defaulting: an absent
 * unhealthyPodEvictionPolicy behaves as IfHealthyBudget.
 */
public final class PodDisruptionBudgetStrategy implements Strategy {
  /** The values of spec.unhealthyPodEvictionPolicy, sorted as the apiserver lists them. */
  static final List<String> UNHEALTHY_POD_EVICTION_POLICIES = List.of("AlwaysAllow", "IfHealthyBudget");

  @Override
  public ResourceType type() {
    return ResourceTypes.POD_DISRUPTION_BUDGETS;
  }

  @Override
  public void prepareForCreate(ObjectNode budget) {
    budget.putObject("status").put("disruptionsAllowed", 0).put("currentHealthy", 0).put("desiredHealthy", 0)
        .put("expectedPods", 0);
  }

  @Override
  public List<FieldError> validate(ObjectNode budget) {
    JsonNode spec = Json.get(budget, "spec");
    List<FieldError> errors = new ArrayList<>();
    JsonNode minAvailable = present(Json.get(spec, "minAvailable"));
    JsonNode maxUnavailable = present(Json.get(spec, "maxUnavailable"));
    if (minAvailable != null && maxUnavailable != null) {
      errors.add(FieldError.invalid("spec", goSpec(spec), "minAvailable and maxUnavailable cannot be both set"));
    }
    for (String field : List.of("minAvailable", "maxUnavailable")) {
      JsonNode value = present(Json.get(spec, field));
      errors.addAll(RollingUpdates.positiveIntOrPercent(value, "spec." + field));
      errors.addAll(RollingUpdates.notMoreThan100Percent(value, "spec." + field));
    }
    errors.addAll(ObjectMetaValidation.validateLabelSelector(Json.get(spec, "selector"), "spec.selector"));
    JsonNode policy = present(Json.get(spec, "unhealthyPodEvictionPolicy"));
    if (policy != null && !UNHEALTHY_POD_EVICTION_POLICIES.contains(policy.asText())) {
      errors.add(FieldError.notSupported("spec.unhealthyPodEvictionPolicy", policy.asText(),
          UNHEALTHY_POD_EVICTION_POLICIES));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode budget, ObjectNode old) {
    JsonNode status = Json.get(budget, "status");
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods")) {
      errors.addAll(ObjectMetaValidation.nonNegative(status, field, "status." + field));
    }
    return errors;
  }

  private static JsonNode present(JsonNode value) {
    return value == null || value.isNull() ? null : value;
  }

  /**
   * The spec as the apiserver prints it in the "both set" error: Go's {@code %#v} of the internal struct, whose
   * pointer fields print as addresses (here a fixed one, as no client can read a real one).
   */
  private static GoValue goSpec(JsonNode spec) {
    return new GoValue("policy.PodDisruptionBudgetSpec{"
        + "MinAvailable:" + pointer("intstr.IntOrString", Json.get(spec, "minAvailable"))
        + ", Selector:" + pointer("v1.LabelSelector", Json.get(spec, "selector"))
        + ", MaxUnavailable:" + pointer("intstr.IntOrString", Json.get(spec, "maxUnavailable"))
        + ", UnhealthyPodEvictionPolicy:" + pointer("policy.UnhealthyPodEvictionPolicy",
            Json.get(spec, "unhealthyPodEvictionPolicy"))
        + "}");
  }

  private static String pointer(String type, JsonNode value) {
    return "(*" + type + ")(" + (present(value) == null ? "nil" : "0xc000010000") + ")";
  }
}
