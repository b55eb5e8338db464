package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The RuntimeClass admission plugin (plugin/pkg/admission/runtimeclass): a new pod's runtimeClassName must name a
 * RuntimeClass; the class's overhead becomes the pod's spec.overhead (a pod overhead that differs from it, or one
 * without a class that defines one, is forbidden) and its scheduling node selector and tolerations are merged into
 * the pod's (a node selector key with another value is a conflict).
 */
public final class RuntimeClassAdmission implements Admission {
  private final Function<String, Optional<ObjectNode>> runtimeClass;

  /** @param runtimeClass finds a RuntimeClass by name */
  public RuntimeClassAdmission(Function<String, Optional<ObjectNode>> runtimeClass) {
    this.runtimeClass = requireNonNull(runtimeClass, "runtimeClass is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode pod, WriteOptions options) {
    if (type != ResourceTypes.PODS) {
      return;
    }
    ObjectNode spec = Json.with(pod, "spec");
    String className = Json.textOrNull(spec, "runtimeClassName");
    ObjectNode found = null;
    if (className != null) {
      found = runtimeClass.apply(className).orElseThrow(() -> forbidden(pod,
          "pod rejected: RuntimeClass \"" + className + "\" not found"));
    }
    JsonNode podFixed = found == null ? null : Json.at(found, "overhead", "podFixed");
    JsonNode podOverhead = Json.get(spec, "overhead");
    // an empty map is no overhead: the Java client sends "overhead":{} on every pod (its models start maps empty)
    boolean podHasOverhead = podOverhead != null && !podOverhead.isNull() && !podOverhead.isEmpty();
    if (podFixed != null && !podFixed.isNull()) {
      if (podHasOverhead && !sameQuantities(podFixed, podOverhead)) {
        throw forbidden(pod, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
      }
      spec.set("overhead", podFixed.deepCopy());
    } else if (podHasOverhead) {
      throw forbidden(pod, "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
    }
    JsonNode scheduling = found == null ? null : Json.get(found, "scheduling");
    if (scheduling != null && !scheduling.isNull()) {
      mergeNodeSelector(pod, spec, Json.get(scheduling, "nodeSelector"));
      List<JsonNode> merged = mergeTolerations(Json.elements(spec, "tolerations"),
          Json.elements(scheduling, "tolerations"));
      if (!merged.isEmpty()) {
        ArrayNode tolerations = spec.putArray("tolerations");
        merged.forEach(t -> tolerations.add(t.deepCopy()));
      }
    }
  }

  private static void mergeNodeSelector(ObjectNode pod, ObjectNode spec, JsonNode classSelector) {
    if (classSelector == null || !classSelector.isObject() || classSelector.isEmpty()) {
      return;
    }
    ObjectNode selector = Json.with(spec, "nodeSelector");
    classSelector.fields().forEachRemaining(entry -> {
      String podValue = Json.textOrNull(selector, entry.getKey());
      String classValue = entry.getValue().asText();
      if (podValue != null && !podValue.equals(classValue)) {
        throw forbidden(pod, "conflict: runtimeClass.scheduling.nodeSelector[" + entry.getKey() + "] = "
            + classValue + "; pod.spec.nodeSelector[" + entry.getKey() + "] = " + podValue);
      }
      selector.put(entry.getKey(), classValue);
    });
  }

  /** tolerations.MergeTolerations: both lists, without the tolerations another one already covers. */
  static List<JsonNode> mergeTolerations(List<JsonNode> first, List<JsonNode> second) {
    List<JsonNode> all = new ArrayList<>(first);
    all.addAll(second);
    List<JsonNode> merged = new ArrayList<>();
    next:
    for (int i = 0; i < all.size(); i++) {
      JsonNode toleration = all.get(i);
      for (JsonNode kept : merged) {
        if (isSuperset(kept, toleration)) {
          continue next;
        }
      }
      for (JsonNode later : all.subList(i + 1, all.size())) {
        if (!later.equals(toleration) && isSuperset(later, toleration)) {
          continue next;
        }
      }
      merged.add(toleration);
    }
    return merged;
  }

  /** Whether the toleration superset tolerates everything toleration does. */
  private static boolean isSuperset(JsonNode superset, JsonNode toleration) {
    if (superset.equals(toleration)) {
      return true;
    }
    String key = Json.text(superset, "key");
    if (!key.isEmpty() && !key.equals(Json.text(toleration, "key"))) {
      return false;
    }
    String effect = Json.text(superset, "effect");
    if (!effect.isEmpty() && !effect.equals(Json.text(toleration, "effect"))) {
      return false;
    }
    if (effect.equals("NoExecute") && Json.has(superset, "tolerationSeconds")) {
      if (!Json.has(toleration, "tolerationSeconds")
          || Json.get(toleration, "tolerationSeconds").asLong() > Json.get(superset, "tolerationSeconds").asLong()) {
        return false;
      }
    }
    return switch (Json.text(superset, "operator")) {
      case "Equal", "" -> !Json.text(toleration, "operator").equals("Exists")
          && Json.text(superset, "value").equals(Json.text(toleration, "value"));
      case "Exists" -> true;
      default -> false;
    };
  }

  /** apiequality.Semantic.DeepEqual of two resource lists: the same names with equal quantities. */
  private static boolean sameQuantities(JsonNode a, JsonNode b) {
    if (!a.isObject() || !b.isObject() || a.size() != b.size()) {
      return false;
    }
    List<String> names = new ArrayList<>();
    a.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode other = b.get(name);
      try {
        if (other == null || Quantity.fromJson(a.get(name)).compareTo(Quantity.fromJson(other)) != 0) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        return Objects.equals(a.get(name), other);
      }
    }
    return true;
  }

  private static ApiException forbidden(ObjectNode pod, String detail) {
    return ApiException.forbidden(ResourceTypes.PODS, Meta.name(pod), detail);
  }
}
