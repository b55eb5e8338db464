package io.minicluster.registry.storageclass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * storage.k8s.io/v1 StorageClasses, as pkg/registry/storage/storageclass: reclaimPolicy Delete, volumeBindingMode
 * Immediate; ValidateStorageClass (provisioner a qualified name, parameters bounded, policies supported) and, on
 * update, provisioner, parameters, reclaimPolicy and volumeBindingMode fixed.
 */
public final class StorageClassStrategy implements Strategy {
  /** The annotation that marks the cluster's default class (and its beta predecessor). */
  public static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
  private static final List<String> RECLAIM_POLICIES = List.of("Delete", "Retain");
  private static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");
  private static final int MAX_PARAMETERS = 512;
  private static final int MAX_PARAMETERS_SIZE = 256 * 1024;

  @Override
  public ResourceType type() {
    return ResourceTypes.STORAGE_CLASSES;
  }

  @Override
  public void applyDefaults(ObjectNode storageClass) {
    Json.defaultText(storageClass, "reclaimPolicy", "Delete");
    Json.defaultText(storageClass, "volumeBindingMode", "Immediate");
  }

  /** IsDefaultAnnotation: whether a class is marked default ("true", by either annotation). */
  public static boolean isDefault(JsonNode storageClass) {
    JsonNode annotations = Json.at(storageClass, "metadata", "annotations");
    return Json.text(annotations, DEFAULT_ANNOTATION).equals("true")
        || Json.text(annotations, BETA_DEFAULT_ANNOTATION).equals("true");
  }

  @Override
  public List<FieldError> validate(ObjectNode storageClass) {
    List<FieldError> errors = new ArrayList<>();
    String provisioner = Json.text(storageClass, "provisioner");
    if (provisioner.isEmpty()) {
      errors.add(FieldError.required("provisioner", ""));
    } else {
      errors.addAll(ObjectMetaValidation.validateQualifiedName(provisioner.toLowerCase(Locale.ROOT), "provisioner"));
    }
    List<String> keys = Json.keys(storageClass, "parameters");
    if (keys.size() > MAX_PARAMETERS) {
      errors.add(FieldError.tooLong("parameters", "Provisioner Parameters exceeded max allowed", MAX_PARAMETERS));
    } else {
      long size = 0;
      for (String key : keys) {
        if (key.isEmpty()) {
          errors.add(FieldError.invalid("parameters", key, "field can not be empty."));
        }
        size += key.getBytes(StandardCharsets.UTF_8).length
            + Json.text(Json.get(storageClass, "parameters"), key).getBytes(StandardCharsets.UTF_8).length;
      }
      if (size > MAX_PARAMETERS_SIZE) {
        errors.add(FieldError.tooLong("parameters", "", MAX_PARAMETERS_SIZE));
      }
    }
    String policy = Json.text(storageClass, "reclaimPolicy");
    if (!policy.isEmpty() && !RECLAIM_POLICIES.contains(policy)) {
      errors.add(FieldError.notSupported("reclaimPolicy", policy, RECLAIM_POLICIES));
    }
    String mode = Json.textOrNull(storageClass, "volumeBindingMode");
    if (mode == null) {
      errors.add(FieldError.required("volumeBindingMode", ""));
    } else if (!BINDING_MODES.contains(mode)) {
      errors.add(FieldError.notSupported("volumeBindingMode", mode, BINDING_MODES));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode storageClass, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(storageClass));
    if (!parameters(storageClass).equals(parameters(old))) {
      errors.add(FieldError.forbidden("parameters", "updates to parameters are forbidden."));
    }
    if (!Json.text(storageClass, "provisioner").equals(Json.text(old, "provisioner"))) {
      errors.add(FieldError.forbidden("provisioner", "updates to provisioner are forbidden."));
    }
    if (!Json.text(storageClass, "reclaimPolicy").equals(Json.text(old, "reclaimPolicy"))) {
      errors.add(FieldError.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    }
    String mode = Json.textOrNull(storageClass, "volumeBindingMode");
    if (!Objects.equals(mode, Json.textOrNull(old, "volumeBindingMode"))) {
      errors.add(FieldError.invalid("volumeBindingMode", mode, ObjectMetaValidation.IMMUTABLE));
    }
    return errors;
  }

  /** The parameters, a missing map and an empty one alike (reflect.DeepEqual of nil and {} differ, but both decode as nil). */
  private static JsonNode parameters(ObjectNode storageClass) {
    JsonNode parameters = Json.get(storageClass, "parameters");
    return parameters == null || parameters.isNull() || parameters.isEmpty() ? Json.object() : parameters;
  }
}
