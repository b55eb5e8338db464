package io.minicluster.registry.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.replicaset.ReplicaSetStrategy;
import io.minicluster.registry.statefulset.StatefulSetStrategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import io.minicluster.registry.workload.RollingUpdates;
import java.util.ArrayList;
import java.util.List;

/**
 * apps/v1 DaemonSets, as pkg/registry/apps/daemonset and SetDefaults_DaemonSet: RollingUpdate (maxUnavailable 1,
 * maxSurge 0), revisionHistoryLimit 10, template defaults; the zero status on create; ValidateDaemonSet and selector
 * immutability.
 */
public final class DaemonSetStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.DAEMON_SETS;
  }

  @Override
  public void applyDefaults(ObjectNode daemonSet) {
    ObjectNode spec = Json.with(daemonSet, "spec");
    ObjectNode strategy = Json.with(spec, "updateStrategy");
    Json.defaultText(strategy, "type", "RollingUpdate");
    if (Json.text(strategy, "type").equals("RollingUpdate")) {
      ObjectNode rollingUpdate = Json.with(strategy, "rollingUpdate");
      if (!Json.has(rollingUpdate, "maxUnavailable")) {
        rollingUpdate.put("maxUnavailable", 1);
      }
      if (!Json.has(rollingUpdate, "maxSurge")) {
        rollingUpdate.put("maxSurge", 0);
      }
    }
    Json.defaultNumber(spec, "revisionHistoryLimit", 10);
    PodSpecDefaults.applyToTemplate(spec);
  }

  /** DaemonSetStatus{}: its four counters have no omitempty. */
  @Override
  public void prepareForCreate(ObjectNode daemonSet) {
    daemonSet.putObject("status").put("currentNumberScheduled", 0).put("numberMisscheduled", 0)
        .put("desiredNumberScheduled", 0).put("numberReady", 0);
  }

  @Override
  public List<FieldError> validate(ObjectNode daemonSet) {
    JsonNode spec = Json.get(daemonSet, "spec");
    List<FieldError> errors = new ArrayList<>(
        StatefulSetStrategy.validateSelectorAndTemplate(spec, "daemonset", "DaemonSet"));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds"));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "templateGeneration", "spec.templateGeneration"));
    errors.addAll(validateUpdateStrategy(Json.get(spec, "updateStrategy")));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit"));
    return errors;
  }

  private static List<FieldError> validateUpdateStrategy(JsonNode strategy) {
    List<FieldError> errors = new ArrayList<>();
    String path = "spec.updateStrategy";
    switch (Json.text(strategy, "type")) {
      case "OnDelete" -> { }
      case "RollingUpdate" -> {
        JsonNode rollingUpdate = Json.get(strategy, "rollingUpdate");
        if (rollingUpdate == null) {
          errors.add(FieldError.required(path + ".rollingUpdate", ""));
          break;
        }
        String at = path + ".rollingUpdate";
        JsonNode maxUnavailable = Json.get(rollingUpdate, "maxUnavailable");
        JsonNode maxSurge = Json.get(rollingUpdate, "maxSurge");
        errors.addAll(RollingUpdates.positiveIntOrPercent(maxUnavailable, at + ".maxUnavailable"));
        errors.addAll(RollingUpdates.positiveIntOrPercent(maxSurge, at + ".maxSurge"));
        if (RollingUpdates.intOrPercent(maxUnavailable) == 0 && RollingUpdates.intOrPercent(maxSurge) == 0) {
          errors.add(FieldError.invalid(at + ".maxUnavailable", RollingUpdates.render(maxUnavailable),
              "may not be 0 when `maxSurge` is 0"));
        }
        errors.addAll(RollingUpdates.notMoreThan100Percent(maxUnavailable, at + ".maxUnavailable"));
        errors.addAll(RollingUpdates.notMoreThan100Percent(maxSurge, at + ".maxSurge"));
      }
      default -> errors.add(FieldError.notSupported(path, new GoValue(strategy == null ? "null"
          : strategy.toString()), List.of("RollingUpdate", "OnDelete")));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode daemonSet, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(daemonSet));
    errors.addAll(ReplicaSetStrategy.selectorImmutable(daemonSet, old));
    return errors;
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode daemonSet, ObjectNode old) {
    JsonNode status = Json.get(daemonSet, "status");
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("numberMisscheduled", "currentNumberScheduled", "desiredNumberScheduled",
        "numberReady", "observedGeneration", "updatedNumberScheduled", "numberAvailable", "numberUnavailable",
        "collisionCount")) {
      errors.addAll(ObjectMetaValidation.nonNegative(status, field, "status." + field));
    }
    return errors;
  }
}
