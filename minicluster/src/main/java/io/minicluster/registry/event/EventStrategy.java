package io.minicluster.registry.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.Strategy;
import io.minicluster.json.Json;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * Events of core/v1 and events.k8s.io/v1 (same storage, different field names): legacyValidateEvent (involved object
 * namespace; for new-style events with eventTime, reportingController, reportingInstance, action, reason, lengths)
 * and, for events.k8s.io, the extra rules of ValidateEventCreate.
 */
public final class EventStrategy implements Strategy {
  private final ResourceType type;

  /** The strategy for {@link ResourceTypes#EVENTS} or {@link ResourceTypes#EVENTS_V1}. */
  public EventStrategy(ResourceType type) {
    this.type = requireNonNull(type, "type is null");
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public List<FieldError> validate(ObjectNode event) {
    boolean eventsApi = type.group().equals("events.k8s.io");
    List<FieldError> errors = new ArrayList<>();
    String namespace = Json.text(Json.get(event, "metadata"), "namespace");
    JsonNode involved = Json.get(event, eventsApi ? "regarding" : "involvedObject");
    String involvedPath = eventsApi ? "regarding.namespace" : "involvedObject.namespace";
    String involvedNamespace = Json.text(involved, "namespace");
    String reason = Json.text(event, "reason");
    String message = Json.text(event, eventsApi ? "note" : "message");
    if (Json.text(event, "eventTime").isEmpty()) {
      if (involvedNamespace.isEmpty() ? !namespace.isEmpty() && !namespace.equals("default")
          : !namespace.equals(involvedNamespace)) {
        errors.add(FieldError.invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
      }
    } else {
      if (involvedNamespace.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
        errors.add(FieldError.invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
      }
      String controller = Json.text(event, "reportingController");
      if (controller.isEmpty()) {
        errors.add(FieldError.required("reportingController", ""));
      }
      errors.addAll(ObjectMetaValidation.validateQualifiedName(controller, "reportingController"));
      lengthChecks(event, "reportingInstance", 128, errors);
      lengthChecks(event, "action", 128, errors);
      lengthChecks(event, "reason", 128, errors);
      if (message.length() > 1024) {
        errors.add(FieldError.invalid(eventsApi ? "note" : "message", "", "can have at most 1024 characters"));
      }
    }
    if (eventsApi) {
      if (Json.text(event, "eventTime").isEmpty()) {
        errors.add(FieldError.required("eventTime", ""));
      }
      String eventType = Json.text(event, "type");
      if (!eventType.equals("Normal") && !eventType.equals("Warning")) {
        errors.add(FieldError.invalid("type", "", "has invalid value: " + eventType));
      }
      if (reason.isEmpty() && Json.text(event, "eventTime").isEmpty()) {
        errors.add(FieldError.required("reason", ""));
      }
    }
    return errors;
  }

  private static void lengthChecks(JsonNode event, String field, int max, List<FieldError> errors) {
    String value = Json.text(event, field);
    if (value.isEmpty()) {
      errors.add(FieldError.required(field, ""));
    }
    if (value.length() > max) {
      errors.add(FieldError.invalid(field, "", "can have at most " + max + " characters"));
    }
  }

  @Override
  public boolean hasGeneration() {
    return false;
  }
}
