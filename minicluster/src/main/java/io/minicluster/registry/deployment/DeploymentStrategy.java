package io.minicluster.registry.deployment;

import static io.minicluster.registry.workload.RollingUpdates.intOrPercent;
import static io.minicluster.registry.workload.RollingUpdates.notMoreThan100Percent;
import static io.minicluster.registry.workload.RollingUpdates.positiveIntOrPercent;
import static io.minicluster.registry.workload.RollingUpdates.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.replicaset.ReplicaSetStrategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * apps/v1 Deployments: SetDefaults_Deployment (replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10,
 * progressDeadlineSeconds 600, template defaults), status {} on create, ValidateDeployment and selector immutability.
 */
public final class DeploymentStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.DEPLOYMENTS;
  }

  @Override
  public void applyDefaults(ObjectNode deployment) {
    ObjectNode spec = Json.with(deployment, "spec");
    Json.defaultNumber(spec, "replicas", 1);
    ObjectNode strategy = Json.with(spec, "strategy");
    Json.defaultText(strategy, "type", "RollingUpdate");
    if (Json.text(strategy, "type").equals("RollingUpdate")) {
      ObjectNode rollingUpdate = Json.with(strategy, "rollingUpdate");
      if (!Json.has(rollingUpdate, "maxUnavailable")) {
        rollingUpdate.put("maxUnavailable", "25%");
      }
      if (!Json.has(rollingUpdate, "maxSurge")) {
        rollingUpdate.put("maxSurge", "25%");
      }
    }
    Json.defaultNumber(spec, "revisionHistoryLimit", 10);
    Json.defaultNumber(spec, "progressDeadlineSeconds", 600);
    PodSpecDefaults.applyToTemplate(spec);
  }

  @Override
  public void prepareForCreate(ObjectNode deployment) {
    deployment.putObject("status");
  }

  @Override
  public List<FieldError> validate(ObjectNode deployment) {
    JsonNode spec = Json.get(deployment, "spec");
    List<FieldError> errors = new ArrayList<>(
        ReplicaSetStrategy.validateSpec(spec, "empty selector is invalid for deployment"));
    errors.addAll(validateStrategy(Json.get(spec, "strategy")));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit"));
    Long deadline = Json.numberOrNull(spec, "progressDeadlineSeconds");
    if (deadline != null) {
      errors.addAll(ObjectMetaValidation.nonNegative(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds"));
      if (deadline <= Json.number(spec, "minReadySeconds", 0)) {
        errors.add(FieldError.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
      }
    }
    return errors;
  }

  private static List<FieldError> validateStrategy(JsonNode strategy) {
    List<FieldError> errors = new ArrayList<>();
    String type = Json.text(strategy, "type");
    JsonNode rollingUpdate = Json.get(strategy, "rollingUpdate");
    switch (type) {
      case "Recreate" -> {
        if (rollingUpdate != null) {
          errors.add(FieldError.forbidden("spec.strategy.rollingUpdate",
              "may not be specified when strategy `type` is 'Recreate'"));
        }
      }
      case "RollingUpdate" -> {
        if (rollingUpdate == null) {
          errors.add(FieldError.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
          break;
        }
        String path = "spec.strategy.rollingUpdate";
        JsonNode maxUnavailable = Json.get(rollingUpdate, "maxUnavailable");
        JsonNode maxSurge = Json.get(rollingUpdate, "maxSurge");
        errors.addAll(positiveIntOrPercent(maxUnavailable, path + ".maxUnavailable"));
        errors.addAll(positiveIntOrPercent(maxSurge, path + ".maxSurge"));
        if (intOrPercent(maxUnavailable) == 0 && intOrPercent(maxSurge) == 0) {
          errors.add(FieldError.invalid(path + ".maxUnavailable", render(maxUnavailable),
              "may not be 0 when `maxSurge` is 0"));
        }
        errors.addAll(notMoreThan100Percent(maxUnavailable, path + ".maxUnavailable"));
      }
      default -> errors.add(FieldError.notSupported("spec.strategy", new GoValue(strategy == null ? "null"
          : strategy.toString()), List.of("Recreate", "RollingUpdate")));
    }
    return errors;
  }




  @Override
  public List<FieldError> validateUpdate(ObjectNode deployment, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(deployment));
    errors.addAll(ReplicaSetStrategy.selectorImmutable(deployment, old));
    return errors;
  }
}
