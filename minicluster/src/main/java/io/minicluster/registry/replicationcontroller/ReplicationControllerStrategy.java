package io.minicluster.registry.replicationcontroller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * v1 ReplicationControllers: SetDefaults_ReplicationController (selector and labels from the template labels,
 * replicas 1), status {replicas: 0} on create, ValidateReplicationController (map selector).
 */
public final class ReplicationControllerStrategy implements Strategy {

  @Override
  public ResourceType type() {
    return ResourceTypes.REPLICATION_CONTROLLERS;
  }

  @Override
  public void applyDefaults(ObjectNode controller) {
    ObjectNode spec = Json.with(controller, "spec");
    ObjectNode template = Json.object(spec, "template");
    JsonNode templateLabels = Json.get(Json.get(template, "metadata"), "labels");
    if (templateLabels != null && templateLabels.isObject() && !templateLabels.isEmpty()) {
      if (Json.keys(spec, "selector").isEmpty()) {
        spec.set("selector", templateLabels.deepCopy());
      }
      ObjectNode metadata = Json.with(controller, "metadata");
      if (Json.keys(metadata, "labels").isEmpty()) {
        metadata.set("labels", templateLabels.deepCopy());
      }
    }
    Json.defaultNumber(spec, "replicas", 1);
    if (template != null) {
      PodSpecDefaults.apply(Json.with(template, "spec"));
    }
  }

  @Override
  public void prepareForCreate(ObjectNode controller) {
    controller.putObject("status").put("replicas", 0);
  }

  @Override
  public List<FieldError> validate(ObjectNode controller) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(controller, "spec");
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds"));
    JsonNode selector = Json.get(spec, "selector");
    if (Json.keys(spec, "selector").isEmpty()) {
      errors.add(FieldError.required("spec.selector", ""));
    } else {
      errors.addAll(ObjectMetaValidation.validateLabels(selector, "spec.selector"));
    }
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "replicas", "spec.replicas"));
    JsonNode template = Json.get(spec, "template");
    JsonNode labels = Json.get(Json.get(template, "metadata"), "labels");
    boolean matches = true;
    for (String key : Json.keys(spec, "selector")) {
      if (!Json.has(labels, key) || !Json.text(labels, key).equals(Json.text(selector, key))) {
        matches = false;
      }
    }
    errors.addAll(PodSpecValidation.validateTemplateForReplicas(template, matches, "spec.template"));
    return errors;
  }
}
