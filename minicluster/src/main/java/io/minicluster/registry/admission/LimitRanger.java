package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The LimitRanger admission plugin (plugin/pkg/admission/limitranger): a new pod's containers and init containers
 * get the Container limits' {@code default} limits and {@code defaultRequest} requests they do not state (noted in
 * the {@code kubernetes.io/limit-ranger} annotation); then every LimitRange of the namespace checks the pod's
 * containers and the pod as a whole against min, max and maxLimitRequestRatio, and a claim's storage request
 * (created or updated) against the PersistentVolumeClaim min and max. A violation is the apiserver's 403.
 */
public final class LimitRanger implements Admission {
  static final String ANNOTATION = "kubernetes.io/limit-ranger";

  private final Function<String, List<ObjectNode>> limitRanges;

  /** @param limitRanges the LimitRanges of a namespace */
  public LimitRanger(Function<String, List<ObjectNode>> limitRanges) {
    this.limitRanges = requireNonNull(limitRanges, "limitRanges is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
    if (type == ResourceTypes.PODS) {
      List<ObjectNode> ranges = limitRanges.apply(Meta.namespace(object));
      ranges.forEach(range -> applyDefaults(range, object));
      ranges.forEach(range -> check(type, object, validatePod(range, object)));
    } else if (type == ResourceTypes.PERSISTENT_VOLUME_CLAIMS) {
      checkClaim(object);
    }
  }

  @Override
  public void admitUpdate(ResourceType type, ObjectNode object, ObjectNode old, WriteOptions options) {
    // containers of a pod cannot change: pods are not checked again
    if (type == ResourceTypes.PERSISTENT_VOLUME_CLAIMS) {
      checkClaim(object);
    }
  }

  private void checkClaim(ObjectNode claim) {
    for (ObjectNode range : limitRanges.apply(Meta.namespace(claim))) {
      check(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim, validateClaim(range, claim));
    }
  }

  /** utilerrors.NewAggregate's message: the one error, or all in brackets. */
  private static void check(ResourceType type, ObjectNode object, List<String> errors) {
    if (errors.isEmpty()) {
      return;
    }
    String message = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    throw ApiException.forbidden(type, Meta.name(object), message);
  }

  /** PodMutateLimitFunc: the defaults of the Container limits, merged into each container that lacks them. */
  static void applyDefaults(JsonNode range, ObjectNode pod) {
    Map<String, JsonNode> limits = new TreeMap<>();
    Map<String, JsonNode> requests = new TreeMap<>();
    for (JsonNode limit : limits(range)) {
      if (Json.text(limit, "type").equals("Container")) {
        Json.keys(limit, "default").forEach(name -> limits.put(name, Json.get(limit, "default").get(name)));
        Json.keys(limit, "defaultRequest").forEach(
            name -> requests.put(name, Json.get(limit, "defaultRequest").get(name)));
      }
    }
    List<String> notes = new ArrayList<>();
    for (String field : List.of("containers", "initContainers")) {
      String prefix = field.equals("containers") ? "container" : "init container";
      for (ObjectNode container : Json.objects(Json.get(pod, "spec"), field)) {
        String name = Json.text(container, "name");
        List<String> setRequests = merge(container, "requests", requests);
        List<String> setLimits = merge(container, "limits", limits);
        if (!setRequests.isEmpty()) {
          notes.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
        }
        if (!setLimits.isEmpty()) {
          notes.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
        }
      }
    }
    if (!notes.isEmpty()) {
      Json.with(Meta.metadata(pod), "annotations").put(ANNOTATION,
          "LimitRanger plugin set: " + String.join("; ", notes));
    }
  }

  /** Sets the defaults a container's requests or limits lack; the names set, sorted. */
  private static List<String> merge(ObjectNode container, String field, Map<String, JsonNode> defaults) {
    List<String> set = new ArrayList<>();
    defaults.forEach((name, value) -> {
      JsonNode list = Json.at(container, "resources", field);
      if (list == null || !list.has(name)) {
        Json.with(container, "resources", field).set(name, value.deepCopy());
        set.add(name);
      }
    });
    return set;
  }

  /** PodValidateLimitFunc: each container against the Container limits, the pod's totals against the Pod limits. */
  static List<String> validatePod(JsonNode range, ObjectNode pod) {
    List<String> errors = new ArrayList<>();
    JsonNode spec = Json.get(pod, "spec");
    for (JsonNode limit : limits(range)) {
      String type = Json.text(limit, "type");
      if (type.equals("Container")) {
        for (String field : List.of("containers", "initContainers")) {
          for (JsonNode container : Json.elements(spec, field)) {
            JsonNode resources = Json.get(container, "resources");
            errors.addAll(validate(type, limit, quantities(resources, "requests"), quantities(resources, "limits")));
          }
        }
      } else if (type.equals("Pod")) {
        errors.addAll(validate(type, limit, podTotal(spec, "requests"), podTotal(spec, "limits")));
      }
    }
    return errors;
  }

  /** PersistentVolumeClaimValidateLimitFunc: the claim's requests against min, and against max as requests. */
  static List<String> validateClaim(JsonNode range, ObjectNode claim) {
    List<String> errors = new ArrayList<>();
    Map<String, Quantity> requests = quantities(Json.at(claim, "spec", "resources"), "requests");
    for (JsonNode limit : limits(range)) {
      String type = Json.text(limit, "type");
      if (!type.equals("PersistentVolumeClaim")) {
        continue;
      }
      quantities(limit, "min").forEach((name, min) -> addIfNotNull(errors, min(type, name, min, requests, Map.of())));
      // maxRequestConstraint: a claim's limits are not user input, its request is held to the maximum
      quantities(limit, "max").forEach((name, max) -> addIfNotNull(errors,
          bound("maximum", 1, type, name, max, "request", requests.get(name), "limit", null)));
    }
    return errors;
  }

  private static List<String> validate(String type, JsonNode limit, Map<String, Quantity> requests,
      Map<String, Quantity> limits) {
    List<String> errors = new ArrayList<>();
    quantities(limit, "min").forEach((name, min) -> addIfNotNull(errors, min(type, name, min, requests, limits)));
    quantities(limit, "max").forEach((name, max) -> addIfNotNull(errors, max(type, name, max, requests, limits)));
    quantities(limit, "maxLimitRequestRatio").forEach(
        (name, ratio) -> addIfNotNull(errors, ratio(type, name, ratio, requests, limits)));
    return errors;
  }

  private static void addIfNotNull(List<String> errors, String error) {
    if (error != null) {
      errors.add(error);
    }
  }

  /** minConstraint: the request must be stated and not below the minimum, nor the limit if stated. */
  private static String min(String type, String name, Quantity min, Map<String, Quantity> requests,
      Map<String, Quantity> limits) {
    return bound("minimum", -1, type, name, min, "request", requests.get(name), "limit", limits.get(name));
  }

  /** maxConstraint: the limit must be stated and not above the maximum, nor the request if stated. */
  private static String max(String type, String name, Quantity max, Map<String, Quantity> requests,
      Map<String, Quantity> limits) {
    return bound("maximum", 1, type, name, max, "limit", limits.get(name), "request", requests.get(name));
  }

  /**
   * The message of a bound ({@code direction} -1 for a minimum, 1 for a maximum) that the stated quantity
   * {@code required} must have and {@code other}, when stated, must keep too; null when both keep it.
   */
  private static String bound(String what, int direction, String type, String name, Quantity bound,
      String requiredName, Quantity required, String otherName, Quantity other) {
    String prefix = what + " " + name + " usage per " + type + " is " + bound;
    if (required == null) {
      return prefix + ".  No " + requiredName + " is specified";
    }
    if (Integer.signum(required.compareTo(bound)) == direction) {
      return prefix + ", but " + requiredName + " is " + required;
    }
    if (other != null && Integer.signum(other.compareTo(bound)) == direction) {
      return prefix + ", but " + otherName + " is " + other;
    }
    return null;
  }

  private static String ratio(String type, String name, Quantity ratio, Map<String, Quantity> requests,
      Map<String, Quantity> limits) {
    Quantity request = requests.get(name);
    Quantity limit = limits.get(name);
    String prefix = name + " max limit to request ratio per " + type + " is " + ratio;
    if (request == null || request.milliValue() == 0) {
      return prefix + ", but no request is specified or request is 0";
    }
    if (limit == null || limit.milliValue() == 0) {
      return prefix + ", but no limit is specified or limit is 0";
    }
    double observed = (double) limit.milliValue() / request.milliValue();
    if (observed * 1000 > ratio.milliValue()) {
      return prefix + ", but provided ratio is " + String.format(Locale.ROOT, "%f", observed);
    }
    return null;
  }

  /**
   * podRequests / podLimits of the plugin: the app containers summed, or the largest init container when more
   * (each resource on its own).
   */
  private static Map<String, Quantity> podTotal(JsonNode spec, String field) {
    Map<String, Quantity> total = new TreeMap<>();
    for (JsonNode container : Json.elements(spec, "containers")) {
      quantities(Json.get(container, "resources"), field).forEach((name, q) -> total.merge(name, q, Quantity::add));
    }
    for (JsonNode init : Json.elements(spec, "initContainers")) {
      quantities(Json.get(init, "resources"), field).forEach(
          (name, q) -> total.merge(name, q, (a, b) -> a.compareTo(b) >= 0 ? a : b));
    }
    return total;
  }

  private static List<JsonNode> limits(JsonNode range) {
    return Json.elements(Json.get(range, "spec"), "limits");
  }

  /** A resource list, sorted by name; unparsable entries (validation rejects them) are left out. */
  private static Map<String, Quantity> quantities(JsonNode node, String field) {
    Map<String, Quantity> result = new TreeMap<>();
    JsonNode list = Json.get(node, field);
    for (String name : Json.keys(node, field)) {
      try {
        result.put(name, Quantity.fromJson(list.get(name)));
      } catch (IllegalArgumentException e) {
        // left to validation
      }
    }
    return result;
  }
}
