package io.minicluster.registry.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** apps/v1 ReplicaSets: replicas 1, template defaults, status {replicas: 0} on create, ValidateReplicaSet. */
public final class ReplicaSetStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.REPLICA_SETS;
  }

  @Override
  public void applyDefaults(ObjectNode replicaSet) {
    ObjectNode spec = Json.with(replicaSet, "spec");
    Json.defaultNumber(spec, "replicas", 1);
    PodSpecDefaults.applyToTemplate(spec);
  }

  @Override
  public void prepareForCreate(ObjectNode replicaSet) {
    replicaSet.putObject("status").put("replicas", 0);
  }

  @Override
  public List<FieldError> validate(ObjectNode replicaSet) {
    return validateSpec(Json.get(replicaSet, "spec"), "empty selector is invalid for deployment");
  }

  /**
   * ValidateReplicaSetSpec / the shared part of ValidateDeploymentSpec: replicas, selector (required, non-empty,
   * valid) and the template matching it.
   */
  public static List<FieldError> validateSpec(JsonNode spec, String emptySelectorMessage) {
    List<FieldError> errors = new ArrayList<>();
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "replicas", "spec.replicas"));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds"));
    JsonNode selector = Json.get(spec, "selector");
    if (selector == null) {
      errors.add(FieldError.required("spec.selector", ""));
    } else {
      errors.addAll(ObjectMetaValidation.validateLabelSelector(selector, "spec.selector"));
      if (ObjectMetaValidation.selectorEmpty(selector)) {
        errors.add(FieldError.invalid("spec.selector", GoValue.labelSelector(selector), emptySelectorMessage));
      }
    }
    JsonNode template = Json.get(spec, "template");
    JsonNode labels = Json.get(Json.get(template, "metadata"), "labels");
    boolean matches = selector == null || ObjectMetaValidation.selectorEmpty(selector)
        || ObjectMetaValidation.selectorMatches(selector, labels);
    errors.addAll(PodSpecValidation.validateTemplateForReplicas(template, matches, "spec.template"));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode replicaSet, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(replicaSet));
    errors.addAll(selectorImmutable(replicaSet, old));
    return errors;
  }

  /** apps/v1: spec.selector may not change. */
  public static List<FieldError> selectorImmutable(ObjectNode object, ObjectNode old) {
    JsonNode selector = Json.get(Json.get(object, "spec"), "selector");
    JsonNode oldSelector = Json.get(Json.get(old, "spec"), "selector");
    if (!Objects.equals(selector, oldSelector)) {
      return List.of(FieldError.invalid("spec.selector", GoValue.labelSelector(selector),
          ObjectMetaValidation.IMMUTABLE));
    }
    return List.of();
  }
}
