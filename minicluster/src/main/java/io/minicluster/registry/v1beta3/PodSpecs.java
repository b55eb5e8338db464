package io.minicluster.registry.v1beta3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;

/**
 * PodSpec and PodStatus between v1beta3 and v1, as pkg/api/v1beta3's conversion.go and defaults.go did it: PodSpec
 * {@code host} is v1's nodeName and {@code serviceAccount} v1's serviceAccountName; a container's deprecated
 * {@code privileged} and {@code capabilities} go into (and come from) its securityContext, and must agree with it;
 * a volume without a source is an emptyDir; a downward API {@code fieldRef} without apiVersion is written in v1beta3's
 * field paths; ContainerState {@code termination} is v1's terminated and PodStatus {@code Condition} v1's conditions.
 * The methods change the trees they are given (callers pass copies) and return the converted node.
 */
final class PodSpecs {
  private static final Map<String, String> SPEC_TO_V1 = Map.of("host", "nodeName",
      "serviceAccount", "serviceAccountName");
  private static final Map<String, String> SPEC_FROM_V1 = Map.of("nodeName", "host",
      "serviceAccountName", "serviceAccount");
  private static final Map<String, String> STATUS_TO_V1 = Map.of("Condition", "conditions");
  private static final Map<String, String> STATUS_FROM_V1 = Map.of("conditions", "Condition");
  private static final Map<String, String> STATE_TO_V1 = Map.of("termination", "terminated");
  private static final Map<String, String> STATE_FROM_V1 = Map.of("terminated", "termination");
  /** Pod field paths of v1beta3 that v1 names differently (its field label conversion and renames). */
  private static final Map<String, String> FIELD_PATHS_TO_V1 = Map.of("spec.host", "spec.nodeName",
      "spec.serviceAccount", "spec.serviceAccountName");
  private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers");
  private static final List<String> STATUS_LISTS = List.of("initContainerStatuses", "containerStatuses",
      "ephemeralContainerStatuses");

  private PodSpecs() {}

  static ObjectNode specToV1(ObjectNode spec, String kind) {
    ObjectNode v1 = Trees.renamed(spec, SPEC_TO_V1);
    // as v1's encoding does, the deprecated serviceAccount repeats serviceAccountName
    JsonNode serviceAccountName = v1.get("serviceAccountName");
    if (serviceAccountName != null && serviceAccountName.isTextual()) {
      v1.put("serviceAccount", serviceAccountName.asText());
    }
    for (String list : CONTAINER_LISTS) {
      for (ObjectNode container : Json.objects(v1, list)) {
        containerToV1(container, kind);
      }
    }
    for (ObjectNode volume : Json.objects(v1, "volumes")) {
      if (volume.size() == 1 && volume.has("name")) {
        volume.putObject("emptyDir");
      }
    }
    return v1;
  }

  static ObjectNode specFromV1(ObjectNode spec) {
    // v1 keeps its deprecated serviceAccount in step with serviceAccountName: v1beta3 has only the one
    spec.remove("serviceAccount");
    ObjectNode v1beta3 = Trees.renamed(spec, SPEC_FROM_V1);
    for (String list : CONTAINER_LISTS) {
      for (ObjectNode container : Json.objects(v1beta3, list)) {
        containerFromV1(container);
      }
    }
    return v1beta3;
  }

  static ObjectNode statusToV1(ObjectNode status) {
    return renamedStatus(status, STATUS_TO_V1, STATE_TO_V1);
  }

  static ObjectNode statusFromV1(ObjectNode status) {
    return renamedStatus(status, STATUS_FROM_V1, STATE_FROM_V1);
  }

  /** The status with its fields renamed, and the state and lastState of each of its container statuses. */
  private static ObjectNode renamedStatus(ObjectNode status, Map<String, String> statusNames,
      Map<String, String> stateNames) {
    ObjectNode renamed = Trees.renamed(status, statusNames);
    for (String list : STATUS_LISTS) {
      for (ObjectNode containerStatus : Json.objects(renamed, list)) {
        Trees.rewrite(containerStatus, "state", state -> Trees.renamed(state, stateNames));
        Trees.rewrite(containerStatus, "lastState", state -> Trees.renamed(state, stateNames));
      }
    }
    return renamed;
  }

  /**
   * The deprecated privileged and capabilities into the securityContext (v1beta3's defaultSecurityContext, then the
   * conversion's agreement checks); a downward API field reference into v1's field paths.
   */
  private static void containerToV1(ObjectNode container, String kind) {
    JsonNode privileged = container.remove("privileged");
    JsonNode capabilities = container.remove("capabilities");
    boolean privilegedSet = privileged != null && privileged.asBoolean(false);
    boolean capabilitiesSet = capabilities instanceof ObjectNode && (!Json.elements(capabilities, "add").isEmpty()
        || !Json.elements(capabilities, "drop").isEmpty());
    if (privilegedSet || capabilitiesSet) {
      ObjectNode securityContext = Json.object(container, "securityContext");
      if (securityContext == null) {
        securityContext = container.putObject("securityContext");
      }
      if (capabilitiesSet) {
        ObjectNode contextCapabilities = Json.object(securityContext, "capabilities");
        if (contextCapabilities == null) {
          securityContext.set("capabilities", capabilities);
        } else if (disagree(capabilities, contextCapabilities, "add")
            || disagree(capabilities, contextCapabilities, "drop")) {
          throw cannotConvert(kind, "container capability settings do not match security context settings, "
              + "cannot convert");
        }
      }
      if (privilegedSet) {
        JsonNode contextPrivileged = Json.get(securityContext, "privileged");
        if (contextPrivileged == null) {
          securityContext.put("privileged", true);
        } else if (!contextPrivileged.asBoolean(false)) {
          throw cannotConvert(kind, "container privileged settings do not match security context settings, "
              + "cannot convert");
        }
      }
    }
    for (ObjectNode env : Json.objects(container, "env")) {
      ObjectNode fieldRef = Json.object(Json.object(env, "valueFrom"), "fieldRef");
      if (fieldRef != null) {
        String apiVersion = Json.text(fieldRef, "apiVersion");
        if (apiVersion.isEmpty() || apiVersion.equals("v1beta3")) {
          String path = Json.text(fieldRef, "fieldPath");
          fieldRef.put("apiVersion", "v1");
          fieldRef.put("fieldPath", FIELD_PATHS_TO_V1.getOrDefault(path, path));
        }
      }
    }
  }

  /** Whether the container's list (when set) differs from the securityContext's, as the conversion compares them. */
  private static boolean disagree(JsonNode container, JsonNode context, String list) {
    List<JsonNode> containerList = Json.elements(container, list);
    return !containerList.isEmpty() && !containerList.equals(Json.elements(context, list));
  }

  private static void containerFromV1(ObjectNode container) {
    ObjectNode securityContext = Json.object(container, "securityContext");
    if (securityContext == null) {
      return;
    }
    if (Json.bool(securityContext, "privileged")) {
      container.put("privileged", true);
    }
    ObjectNode capabilities = Json.object(securityContext, "capabilities");
    if (capabilities != null) {
      container.set("capabilities", capabilities.deepCopy());
    }
  }

  /** The apiserver's answer to a body its decoder could not convert into the stored version. */
  private static ApiException cannotConvert(String kind, String detail) {
    return ApiException.badRequest(kind + " in version \"v1beta3\" cannot be handled as a " + kind + ": " + detail);
  }
}
