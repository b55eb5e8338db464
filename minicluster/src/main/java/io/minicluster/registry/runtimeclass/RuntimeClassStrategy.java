package io.minicluster.registry.runtimeclass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * node.k8s.io/v1 RuntimeClasses, as pkg/registry/node/runtimeclass and pkg/apis/node/validation: a handler that is a
 * DNS label and may not change, an overhead validated as resource limits, scheduling's node selector as labels and
 * its tolerations as a pod's.
 */
public final class RuntimeClassStrategy implements Strategy {
  @Override
  public ResourceType type() {
    return ResourceTypes.RUNTIME_CLASSES;
  }

  @Override
  public List<FieldError> validate(ObjectNode runtimeClass) {
    List<FieldError> errors = new ArrayList<>();
    String handler = Json.text(runtimeClass, "handler");
    for (String message : Formats.dns1123Label(handler)) {
      errors.add(FieldError.invalid("handler", handler, message));
    }
    JsonNode overhead = Json.get(runtimeClass, "overhead");
    if (overhead != null) {
      ObjectNode resources = Json.object();
      JsonNode podFixed = Json.get(overhead, "podFixed");
      if (podFixed != null && podFixed.isObject()) {
        resources.set("limits", podFixed.deepCopy());
      }
      errors.addAll(PodSpecValidation.validateResources(resources, "overhead"));
    }
    JsonNode scheduling = Json.get(runtimeClass, "scheduling");
    if (scheduling != null) {
      errors.addAll(ObjectMetaValidation.validateLabels(Json.get(scheduling, "nodeSelector"),
          "scheduling.nodeSelector"));
      errors.addAll(PodSpecValidation.validateTolerations(Json.elements(scheduling, "tolerations"),
          "scheduling.tolerations"));
    }
    return errors;
  }

  /** ValidateRuntimeClassUpdate: the handler is immutable (the rest is not validated again). */
  @Override
  public List<FieldError> validateUpdate(ObjectNode runtimeClass, ObjectNode old) {
    String handler = Json.text(runtimeClass, "handler");
    if (!Objects.equals(handler, Json.text(old, "handler"))) {
      return List.of(FieldError.invalid("handler", handler, ObjectMetaValidation.IMMUTABLE));
    }
    return List.of();
  }
}
