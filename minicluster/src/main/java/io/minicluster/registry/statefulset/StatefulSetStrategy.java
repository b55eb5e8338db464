package io.minicluster.registry.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.persistentvolumeclaim.PersistentVolumeClaimStrategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import io.minicluster.registry.workload.RollingUpdates;
import java.util.ArrayList;
import java.util.List;

/**
 * apps/v1 StatefulSets, as pkg/registry/apps/statefulset and SetDefaults_StatefulSet: replicas 1, podManagementPolicy
 * OrderedReady, RollingUpdate (partition 0, maxUnavailable 1), revisionHistoryLimit 10, PVC retention Retain/Retain,
 * template and claim template defaults (the claims' status
 * phase Pending included, as upstream's defaulting writes it); status {replicas: 0, availableReplicas: 0} on create; ValidateStatefulSet,
 * and on update only the fields upstream lets change.
 */
public final class StatefulSetStrategy implements Strategy {
  /** ValidateStatefulSetUpdate's message for a change of any other spec field. */
  public static final String FORBIDDEN_UPDATE = "updates to statefulset spec for fields other than 'replicas', "
      + "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
      + "and 'minReadySeconds' are forbidden";
  private static final List<String> MUTABLE = List.of("replicas", "ordinals", "template", "updateStrategy",
      "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds");
  private static final List<String> RETENTION = List.of("Retain", "Delete");

  @Override
  public ResourceType type() {
    return ResourceTypes.STATEFUL_SETS;
  }

  @Override
  public void applyDefaults(ObjectNode statefulSet) {
    ObjectNode spec = Json.with(statefulSet, "spec");
    Json.defaultText(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = Json.with(spec, "updateStrategy");
    Json.defaultText(strategy, "type", "RollingUpdate");
    if (Json.text(strategy, "type").equals("RollingUpdate")) {
      ObjectNode rollingUpdate = Json.with(strategy, "rollingUpdate");
      Json.defaultNumber(rollingUpdate, "partition", 0);
      if (!Json.has(rollingUpdate, "maxUnavailable")) {
        rollingUpdate.put("maxUnavailable", 1);
      }
    }
    ObjectNode retention = Json.with(spec, "persistentVolumeClaimRetentionPolicy");
    Json.defaultText(retention, "whenDeleted", "Retain");
    Json.defaultText(retention, "whenScaled", "Retain");
    Json.defaultNumber(spec, "replicas", 1);
    Json.defaultNumber(spec, "revisionHistoryLimit", 10);
    PodSpecDefaults.applyToTemplate(spec);
    // SetObjectDefaults_StatefulSet defaults the claim templates as claims, status included
    for (ObjectNode claim : Json.objects(spec, "volumeClaimTemplates")) {
      PersistentVolumeClaimStrategy.applyClaimDefaults(claim);
    }
  }

  @Override
  public void prepareForCreate(ObjectNode statefulSet) {
    statefulSet.putObject("status").put("replicas", 0).put("availableReplicas", 0);
  }

  @Override
  public List<FieldError> validate(ObjectNode statefulSet) {
    JsonNode spec = Json.get(statefulSet, "spec");
    List<FieldError> errors = new ArrayList<>();
    String policy = Json.text(spec, "podManagementPolicy");
    if (policy.isEmpty()) {
      errors.add(FieldError.required("spec.podManagementPolicy", ""));
    } else if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
      errors.add(FieldError.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"));
    }
    errors.addAll(validateUpdateStrategy(Json.get(spec, "updateStrategy")));
    JsonNode retention = Json.get(spec, "persistentVolumeClaimRetentionPolicy");
    for (String field : List.of("whenDeleted", "whenScaled")) {
      String value = Json.text(retention, field);
      if (!RETENTION.contains(value)) {
        errors.add(FieldError.notSupported("spec.persistentVolumeClaimRetentionPolicy." + field, value, RETENTION));
      }
    }
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "replicas", "spec.replicas"));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds"));
    errors.addAll(ObjectMetaValidation.nonNegative(Json.get(spec, "ordinals"), "start", "spec.ordinals.start"));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit"));
    errors.addAll(validateSelectorAndTemplate(withClaimVolumes(spec), "statefulset", "StatefulSet"));
    return errors;
  }

  /**
   * The spec with the template's pods as the controller makes them: a claim volume per volumeClaimTemplate the
   * template does not name itself, so that volumeMounts of the claims validate (upstream leaves the template's pod
   * spec unvalidated for this reason; its TODO asks for the union of volumes and claims, which this is).
   */
  private static JsonNode withClaimVolumes(JsonNode spec) {
    List<ObjectNode> claims = Json.objects(spec, "volumeClaimTemplates");
    JsonNode template = Json.get(spec, "template");
    if (claims.isEmpty() || !(Json.get(template, "spec") instanceof ObjectNode)) {
      return spec;
    }
    ObjectNode copy = ((ObjectNode) spec).deepCopy();
    ObjectNode podSpec = (ObjectNode) copy.path("template").path("spec");
    JsonNode existing = podSpec.path("volumes");
    if (!existing.isMissingNode() && !existing.isArray()) {
      return spec; // the shape error is the template validation's to report
    }
    ArrayNode volumes = existing.isArray() ? (ArrayNode) existing : podSpec.putArray("volumes");
    for (ObjectNode claim : claims) {
      String name = Json.text(Json.get(claim, "metadata"), "name");
      boolean named = false;
      for (JsonNode volume : volumes) {
        named |= name.equals(volume.path("name").asText());
      }
      if (!name.isEmpty() && !named) {
        volumes.addObject().put("name", name).putObject("persistentVolumeClaim").put("claimName", name);
      }
    }
    return copy;
  }

  /**
   * The selector (required, valid, non-empty) and the pod template matching it, with the rules of the pods of
   * replicas (restartPolicy Always, no activeDeadlineSeconds): shared by StatefulSets and DaemonSets.
   *
   * @param resource the resource in the empty-selector message, e.g. "statefulset"
   * @param kind the kind in the activeDeadlineSeconds message, e.g. "StatefulSet"
   */
  public static List<FieldError> validateSelectorAndTemplate(JsonNode spec, String resource, String kind) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode selector = Json.get(spec, "selector");
    if (selector == null) {
      errors.add(FieldError.required("spec.selector", ""));
    } else {
      errors.addAll(ObjectMetaValidation.validateLabelSelector(selector, "spec.selector"));
      if (ObjectMetaValidation.selectorEmpty(selector)) {
        errors.add(FieldError.invalid("spec.selector", GoValue.labelSelector(selector),
            "empty selector is invalid for " + resource));
      }
    }
    JsonNode template = Json.get(spec, "template");
    JsonNode labels = Json.get(Json.get(template, "metadata"), "labels");
    boolean matches = selector == null || ObjectMetaValidation.selectorEmpty(selector)
        || ObjectMetaValidation.selectorMatches(selector, labels);
    errors.addAll(PodSpecValidation.validateTemplateForReplicas(template, matches, "spec.template", kind));
    return errors;
  }

  private static List<FieldError> validateUpdateStrategy(JsonNode strategy) {
    List<FieldError> errors = new ArrayList<>();
    String type = Json.text(strategy, "type");
    JsonNode rollingUpdate = Json.get(strategy, "rollingUpdate");
    switch (type) {
      case "" -> errors.add(FieldError.required("spec.updateStrategy", ""));
      case "OnDelete" -> {
        if (rollingUpdate != null) {
          errors.add(FieldError.invalid("spec.updateStrategy.rollingUpdate", new GoValue(rollingUpdate.toString()),
              "only allowed for updateStrategy 'RollingUpdate'"));
        }
      }
      case "RollingUpdate" -> {
        String path = "spec.updateStrategy.rollingUpdate";
        errors.addAll(ObjectMetaValidation.nonNegative(rollingUpdate, "partition", path + ".partition"));
        JsonNode maxUnavailable = Json.get(rollingUpdate, "maxUnavailable");
        if (maxUnavailable != null) {
          errors.addAll(RollingUpdates.positiveIntOrPercent(maxUnavailable, path + ".maxUnavailable"));
          if (RollingUpdates.intOrPercent(maxUnavailable) == 0) {
            errors.add(FieldError.invalid(path + ".maxUnavailable", RollingUpdates.render(maxUnavailable),
                "must be greater than 0"));
          }
          errors.addAll(RollingUpdates.notMoreThan100Percent(maxUnavailable, path + ".maxUnavailable"));
        }
      }
      default -> errors.add(FieldError.invalid("spec.updateStrategy", type,
          "must be 'RollingUpdate' or 'OnDelete'"));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode statefulSet, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(statefulSet));
    ObjectNode spec = Json.object(statefulSet, "spec") == null ? Json.object() : Json.object(statefulSet, "spec")
        .deepCopy();
    ObjectNode oldSpec = Json.object(old, "spec") == null ? Json.object() : Json.object(old, "spec").deepCopy();
    spec.remove(MUTABLE);
    oldSpec.remove(MUTABLE);
    if (!spec.equals(oldSpec)) {
      errors.add(FieldError.forbidden("spec", FORBIDDEN_UPDATE));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode statefulSet, ObjectNode old) {
    JsonNode status = Json.get(statefulSet, "status");
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
        "availableReplicas", "collisionCount")) {
      errors.addAll(ObjectMetaValidation.nonNegative(status, field, "status." + field));
    }
    errors.addAll(ObjectMetaValidation.nonNegative(status, "observedGeneration", "status.observedGeneration"));
    long replicas = Json.number(status, "replicas", 0);
    for (String field : List.of("readyReplicas", "currentReplicas", "updatedReplicas")) {
      long value = Json.number(status, field, 0);
      if (value > replicas) {
        errors.add(FieldError.invalid("status." + field, value, "cannot be greater than status.replicas"));
      }
    }
    long available = Json.number(status, "availableReplicas", 0);
    if (available > Json.number(status, "readyReplicas", 0)) {
      errors.add(FieldError.invalid("status.availableReplicas", available,
          "cannot be greater than status.readyReplicas"));
    }
    return errors;
  }
}
