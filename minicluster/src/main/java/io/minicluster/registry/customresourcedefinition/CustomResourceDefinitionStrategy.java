package io.minicluster.registry.customresourcedefinition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Conditions;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.apiextensions.CustomResourceDefinitionValidation;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions, as apiextensions-apiserver's registry/customresourcedefinition:
 * the v1 defaults (singular, listKind, conversion None), status reset on create with the storage version in
 * status.storedVersions (and each new storage version added on update), ValidateCustomResourceDefinition, and its
 * REST storage's delete: the first delete adds the {@value CustomResourceDefinition#CLEANUP_FINALIZER} finalizer and
 * the Terminating condition, so the definition waits until its custom resources are deleted.
 */
public final class CustomResourceDefinitionStrategy implements Strategy {
  private final CustomResourceDefinitionValidation validation;
  private final Clock clock;

  public CustomResourceDefinitionStrategy(CustomResourceDefinitionValidation validation, Clock clock) {
    this.validation = requireNonNull(validation, "validation is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Without schema checks beyond presence, on the system clock. */
  public CustomResourceDefinitionStrategy() {
    this(new CustomResourceDefinitionValidation(CustomResourceDefinitionValidation.SchemaCheck.NONE),
        Clock.systemUTC());
  }

  @Override
  public ResourceType type() {
    return ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS;
  }

  @Override
  public void applyDefaults(ObjectNode crd) {
    if (!(crd.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if (spec.get("names") instanceof ObjectNode names) {
      String kind = Json.text(names, "kind");
      if (Json.text(names, "singular").isEmpty() && !kind.isEmpty()) {
        names.put("singular", kind.toLowerCase(Locale.ROOT));
      }
      if (Json.text(names, "listKind").isEmpty() && !kind.isEmpty()) {
        names.put("listKind", kind + "List");
      }
    }
    if (!(spec.get("conversion") instanceof ObjectNode)) {
      spec.putObject("conversion");
    }
    Json.defaultText((ObjectNode) spec.get("conversion"), "strategy", "None");
  }

  @Override
  public void prepareForCreate(ObjectNode crd) {
    ObjectNode status = crd.putObject("status");
    addStoredVersion(crd, status);
  }

  @Override
  public void prepareForUpdate(ObjectNode crd, ObjectNode old) {
    ObjectNode status = old.get("status") instanceof ObjectNode oldStatus ? oldStatus.deepCopy() : Json.object();
    crd.set("status", status);
    addStoredVersion(crd, status);
  }

  private static void addStoredVersion(ObjectNode crd, ObjectNode status) {
    ArrayNode stored = status.get("storedVersions") instanceof ArrayNode array ? array
        : status.putArray("storedVersions");
    for (JsonNode version : Json.elements(crd.path("spec"), "versions")) {
      if (Json.bool(version, "storage")) {
        String name = Json.text(version, "name");
        if (!Json.strings(status, "storedVersions").contains(name)) {
          stored.add(name);
        }
        return;
      }
    }
  }

  @Override
  public ObjectNode prepareForDelete(ObjectNode crd) {
    ObjectNode copy = crd.deepCopy();
    ObjectNode metadata = Meta.metadata(copy);
    if (!Json.strings(metadata, "finalizers").contains(CustomResourceDefinition.CLEANUP_FINALIZER)) {
      ArrayNode finalizers = metadata.get("finalizers") instanceof ArrayNode array ? array
          : metadata.putArray("finalizers");
      finalizers.add(CustomResourceDefinition.CLEANUP_FINALIZER);
    }
    Conditions.set(Json.with(copy, "status"), condition("Terminating", "True", "InstanceDeletionPending",
        "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon"));
    return copy;
  }

  private ObjectNode condition(String type, String status, String reason, String message) {
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("lastTransitionTime", Meta.timestamp(clock.instant()));
    condition.put("reason", reason);
    condition.put("message", message);
    return condition;
  }

  @Override
  public List<FieldError> validate(ObjectNode crd) {
    return validation.validate(crd);
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
    return validation.validateUpdate(crd, old);
  }
}
