package io.minicluster.registry.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.api.core.helper.QosClass;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Pods: SetDefaults_Pod, the create-time admission defaults of a stock apiserver (ServiceAccount name, Priority,
 * DefaultTolerationSeconds), initial status (Pending + QoS class) and ValidatePod / ValidatePodUpdate.
 */
public final class PodStrategy implements Strategy {
  /** The message of a forbidden pod spec change (followed by a newline and a description of the difference). */
  public static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
      + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
      + "was previously negative)";
  public static final long DEFAULT_TOLERATION_SECONDS = 300;
  public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  @Override
  public ResourceType type() {
    return ResourceTypes.PODS;
  }

  @Override
  public void applyDefaults(ObjectNode pod) {
    ObjectNode spec = Json.with(pod, "spec");
    PodSpecDefaults.apply(spec);
    Json.defaultBoolean(spec, "enableServiceLinks", true);
    for (String list : List.of("initContainers", "containers")) {
      for (ObjectNode container : Json.objects(spec, list)) {
        ObjectNode resources = Json.with(container, "resources");
        ObjectNode limits = Json.object(resources, "limits");
        if (limits == null || limits.isEmpty()) {
          continue;
        }
        ObjectNode requests = Json.with(resources, "requests");
        limits.fields().forEachRemaining(entry -> {
          if (!requests.has(entry.getKey())) {
            requests.set(entry.getKey(), entry.getValue().deepCopy());
          }
        });
      }
    }
  }

  /** Initial status and the admission defaults a stock apiserver applies on create. */
  @Override
  public void prepareForCreate(ObjectNode pod) {
    ObjectNode spec = Json.with(pod, "spec");
    if (Json.text(spec, "serviceAccountName").isEmpty()) {
      spec.put("serviceAccountName", "default");
      spec.put("serviceAccount", "default");
    }
    // spec.priority and spec.preemptionPolicy come from the Priority admission plugin (registry.admission)
    addDefaultToleration(spec, NOT_READY_TAINT);
    addDefaultToleration(spec, UNREACHABLE_TAINT);
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", QosClass.of(spec));
  }

  /** DefaultTolerationSeconds: tolerate a NoExecute taint for 300s unless some toleration already covers it. */
  private static void addDefaultToleration(ObjectNode spec, String taint) {
    for (JsonNode toleration : Json.elements(spec, "tolerations")) {
      String key = Json.text(toleration, "key");
      String effect = Json.text(toleration, "effect");
      String operator = Json.text(toleration, "operator");
      boolean keyMatches = key.equals(taint) || (key.isEmpty() && operator.equals("Exists"));
      if (keyMatches && (effect.isEmpty() || effect.equals("NoExecute"))) {
        return;
      }
    }
    JsonNode existing = Json.get(spec, "tolerations");
    ArrayNode tolerations = existing instanceof ArrayNode array ? array : spec.putArray("tolerations");
    ObjectNode toleration = tolerations.addObject();
    toleration.put("effect", "NoExecute");
    toleration.put("key", taint);
    toleration.put("operator", "Exists");
    Json.putNumber(toleration, "tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
  }

  @Override
  public List<FieldError> validate(ObjectNode pod) {
    return PodSpecValidation.validate(Json.get(pod, "spec"), "spec");
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(pod));
    JsonNode spec = Json.get(pod, "spec");
    JsonNode oldSpec = Json.get(old, "spec");
    for (String list : List.of("containers", "initContainers")) {
      List<JsonNode> containers = Json.elements(spec, list);
      if (containers.size() != Json.elements(oldSpec, list).size()) {
        errors.add(FieldError.forbidden("spec." + list, "pod updates may not add or remove containers"));
        return errors;
      }
      for (int i = 0; i < containers.size(); i++) {
        String image = Json.text(containers.get(i), "image");
        if (image.isEmpty()) {
          errors.add(FieldError.required("spec." + list + "[" + i + "].image", ""));
        }
        if (!image.strip().equals(image)) {
          errors.add(FieldError.invalid("spec." + list + "[" + i + "].image", image,
              "must not have leading or trailing whitespace"));
        }
      }
    }
    Long deadline = Json.numberOrNull(spec, "activeDeadlineSeconds");
    Long oldDeadline = Json.numberOrNull(oldSpec, "activeDeadlineSeconds");
    if (deadline != null) {
      if (deadline < 0 || deadline > Integer.MAX_VALUE) {
        errors.add(FieldError.invalid("spec.activeDeadlineSeconds", deadline,
            Formats.inclusiveRangeError(0, Integer.MAX_VALUE)));
        return errors;
      }
      if (oldDeadline != null && oldDeadline < deadline) {
        errors.add(FieldError.invalid("spec.activeDeadlineSeconds", deadline,
            "must be less than or equal to previous value"));
        return errors;
      }
    } else if (oldDeadline != null) {
      errors.add(FieldError.invalid("spec.activeDeadlineSeconds", new GoValue(
          "null"), "must not update from a positive integer to nil value"));
    }
    errors.addAll(onlyAddedTolerations(Json.elements(spec, "tolerations"), Json.elements(oldSpec, "tolerations")));
    if (Objects.equals(spec, oldSpec)) {
      return errors;
    }
    ObjectNode munged = spec == null ? Json.with(pod.deepCopy(), "spec") : (ObjectNode) spec.deepCopy();
    for (String list : List.of("containers", "initContainers")) {
      List<ObjectNode> containers = Json.objects(munged, list);
      List<JsonNode> oldContainers = Json.elements(oldSpec, list);
      for (int i = 0; i < containers.size() && i < oldContainers.size(); i++) {
        containers.get(i).set("image", oldContainers.get(i).get("image"));
      }
    }
    copyField(munged, oldSpec, "activeDeadlineSeconds");
    copyField(munged, oldSpec, "tolerations");
    Long grace = Json.numberOrNull(munged, "terminationGracePeriodSeconds");
    Long oldGrace = Json.numberOrNull(oldSpec, "terminationGracePeriodSeconds");
    if (grace != null && grace == 1 && oldGrace != null && oldGrace < 0) {
      copyField(munged, oldSpec, "terminationGracePeriodSeconds");
    }
    if (!Objects.equals(munged, oldSpec)) {
      errors.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN + "\n" + describeDifference(oldSpec, munged)));
    }
    return errors;
  }

  private static void copyField(ObjectNode into, JsonNode from, String field) {
    JsonNode value = from == null ? null : from.get(field);
    if (value == null) {
      into.remove(field);
    } else {
      into.set(field, value.deepCopy());
    }
  }

  private static String describeDifference(JsonNode old, JsonNode updated) {
    TreeSet<String> fields = new TreeSet<>();
    if (old != null) {
      old.fieldNames().forEachRemaining(fields::add);
    }
    updated.fieldNames().forEachRemaining(fields::add);
    StringBuilder s = new StringBuilder("  core.PodSpec{\n");
    for (String field : fields) {
      JsonNode before = old == null ? null : old.get(field);
      JsonNode after = updated.get(field);
      if (!Objects.equals(before, after)) {
        s.append("- \t").append(field).append(": ").append(before).append(",\n");
        s.append("+ \t").append(field).append(": ").append(after).append(",\n");
      }
    }
    return s.append("  }\n").toString();
  }

  private static List<FieldError> onlyAddedTolerations(List<JsonNode> tolerations, List<JsonNode> oldTolerations) {
    for (JsonNode old : oldTolerations) {
      boolean found = false;
      for (JsonNode toleration : tolerations) {
        ObjectNode clone = old.deepCopy();
        clone.remove("tolerationSeconds");
        ObjectNode candidate = toleration.deepCopy();
        candidate.remove("tolerationSeconds");
        if (clone.equals(candidate)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return List.of(FieldError.forbidden("spec.tolerations",
            "existing toleration can not be modified except its tolerationSeconds"));
      }
    }
    return List.of();
  }
}
