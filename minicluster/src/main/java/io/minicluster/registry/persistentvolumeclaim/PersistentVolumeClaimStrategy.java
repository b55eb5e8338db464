package io.minicluster.registry.persistentvolumeclaim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.persistentvolume.VolumeRules;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * core/v1 PersistentVolumeClaims, as pkg/registry/core/persistentvolumeclaim: volumeMode Filesystem, status phase
 * Pending on create, ValidatePersistentVolumeClaim (access modes and a positive storage request required), and on
 * update a spec that only changes where upstream lets it (volumeName and storageClassName set once, the requests of
 * a bound claim, volumeAttributesClassName).
 */
public final class PersistentVolumeClaimStrategy implements Strategy {
  public static final String IMMUTABLE_SPEC = "spec is immutable after creation except resources.requests and "
      + "volumeAttributesClassName for bound claims";

  @Override
  public ResourceType type() {
    return ResourceTypes.PERSISTENT_VOLUME_CLAIMS;
  }

  @Override
  public void applyDefaults(ObjectNode claim) {
    applySpecDefaults(Json.with(claim, "spec"));
  }

  /** SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem; the request quantities canonical. */
  public static void applySpecDefaults(ObjectNode spec) {
    Json.defaultText(spec, "volumeMode", "Filesystem");
    ObjectNode resources = Json.object(spec, "resources");
    if (resources != null) {
      PodSpecDefaults.canonicalizeQuantities(Json.object(resources, "requests"));
      PodSpecDefaults.canonicalizeQuantities(Json.object(resources, "limits"));
    }
  }

  /** SetDefaults_PersistentVolumeClaim of a claim or claim template: spec defaults and status phase Pending. */
  public static void applyClaimDefaults(ObjectNode claim) {
    applySpecDefaults(Json.with(claim, "spec"));
    Json.defaultText(Json.with(claim, "status"), "phase", "Pending");
  }

  @Override
  public void prepareForCreate(ObjectNode claim) {
    claim.putObject("status").put("phase", "Pending");
  }

  @Override
  public List<FieldError> validate(ObjectNode claim) {
    return validateSpec(Json.get(claim, "spec"), "spec");
  }

  /** ValidatePersistentVolumeClaimSpec. */
  public static List<FieldError> validateSpec(JsonNode spec, String path) {
    List<FieldError> errors = new ArrayList<>(
        VolumeRules.accessModes(spec, path + ".accessModes", "at least 1 access mode is required"));
    errors.addAll(ObjectMetaValidation.validateLabelSelector(Json.get(spec, "selector"), path + ".selector"));
    JsonNode storage = Json.at(spec, "resources", "requests", "storage");
    String storagePath = path + ".resources[storage]";
    if (storage == null || storage.isNull()) {
      errors.add(FieldError.required(storagePath, ""));
    } else {
      errors.addAll(VolumeRules.positiveQuantity(storage, storagePath));
    }
    String className = Json.textOrNull(spec, "storageClassName");
    if (className != null) {
      errors.addAll(VolumeRules.className(className, path + ".storageClassName"));
    }
    errors.addAll(VolumeRules.volumeMode(spec, path + ".volumeMode"));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode claim, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(claim));
    ObjectNode spec = spec(claim);
    ObjectNode oldSpec = spec(old);
    if (Json.text(oldSpec, "volumeName").isEmpty()) {
      copy(spec, oldSpec, "volumeName");
    }
    if (Json.textOrNull(oldSpec, "storageClassName") == null) {
      copy(spec, oldSpec, "storageClassName");
    }
    copy(spec, oldSpec, "volumeAttributesClassName");
    boolean bound = Json.text(Json.get(claim, "status"), "phase").equals("Bound");
    JsonNode oldStorage = Json.at(oldSpec, "resources", "requests", "storage");
    if (bound && Json.at(spec, "resources", "requests") instanceof ObjectNode requests) {
      if (oldStorage == null) {
        requests.remove("storage");
      } else {
        requests.set("storage", oldStorage.deepCopy());
      }
    }
    if (!normalized(spec).equals(normalized(oldSpec))) {
      errors.add(FieldError.forbidden("spec", IMMUTABLE_SPEC));
    }
    Quantity newSize = quantity(Json.at(claim, "spec", "resources", "requests", "storage"));
    Quantity oldSize = quantity(Json.at(old, "spec", "resources", "requests", "storage"));
    Quantity statusSize = quantity(Json.at(old, "status", "capacity", "storage"));
    if (newSize != null && oldSize != null && newSize.compareTo(oldSize) < 0
        && (statusSize == null ? Quantity.ZERO : statusSize).compareTo(newSize) >= 0) {
      errors.add(FieldError.forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
    }
    String mode = Json.textOrNull(Json.get(claim, "spec"), "volumeMode");
    String oldMode = Json.textOrNull(Json.get(old, "spec"), "volumeMode");
    if (!Objects.equals(mode, oldMode)) {
      errors.add(FieldError.invalid("volumeMode", mode == null ? new GoValue("null") : mode,
          ObjectMetaValidation.IMMUTABLE));
    }
    return errors;
  }

  private static ObjectNode spec(ObjectNode claim) {
    ObjectNode spec = Json.object(claim, "spec");
    return spec == null ? Json.object() : spec.deepCopy();
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    JsonNode value = from.get(field);
    if (value == null) {
      to.remove(field);
    } else {
      to.set(field, value.deepCopy());
    }
  }

  /** A spec with empty maps and nulls dropped, as Semantic.DeepEqual compares a nil and an empty map alike. */
  private static ObjectNode normalized(ObjectNode spec) {
    ObjectNode copy = spec.deepCopy();
    ObjectNode resources = Json.object(copy, "resources");
    if (resources != null) {
      for (String field : List.of("requests", "limits")) {
        JsonNode list = resources.get(field);
        if (list == null || list.isNull() || list.isEmpty()) {
          resources.remove(field);
        } else {
          ((ObjectNode) list).remove(Json.keys(resources, field).stream()
              .filter(k -> list.get(k) == null || list.get(k).isNull()).toList());
        }
      }
      if (resources.isEmpty()) {
        copy.remove("resources");
      }
    }
    return copy;
  }

  private static Quantity quantity(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      return Quantity.fromJson(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode claim, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode capacity = Json.get(Json.get(claim, "status"), "capacity");
    for (String name : Json.keys(Json.get(claim, "status"), "capacity")) {
      Quantity value = quantity(capacity.get(name));
      if (value != null && value.signum() < 0) {
        errors.add(FieldError.invalid("status.capacity[" + name + "]", value.toString(),
            "must be greater than or equal to 0"));
      }
    }
    return errors;
  }
}
