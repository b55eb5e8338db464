package io.minicluster.api.core.helper;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The QoS class of a pod, as pkg/apis/core/helper/qos.GetPodQOS: Guaranteed, Burstable or BestEffort. */
public final class QosClass {
  public static final String GUARANTEED = "Guaranteed";
  public static final String BURSTABLE = "Burstable";
  public static final String BEST_EFFORT = "BestEffort";
  private static final Set<String> QOS_RESOURCES = Set.of("cpu", "memory");

  private QosClass() {}

  /** The class of a pod spec (containers and init containers; zero and unparsable quantities are ignored). */
  public static String of(JsonNode spec) {
    Map<String, Quantity> requests = new HashMap<>();
    Map<String, Quantity> limits = new HashMap<>();
    boolean guaranteed = true;
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : Json.elements(spec, list)) {
        JsonNode resources = Json.get(container, "resources");
        sum(Json.get(resources, "requests"), requests);
        Set<String> limitsFound = sum(Json.get(resources, "limits"), limits);
        if (!limitsFound.containsAll(QOS_RESOURCES)) {
          guaranteed = false;
        }
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return BEST_EFFORT;
    }
    if (guaranteed) {
      for (Map.Entry<String, Quantity> request : requests.entrySet()) {
        Quantity limit = limits.get(request.getKey());
        if (limit == null || limit.compareTo(request.getValue()) != 0) {
          guaranteed = false;
          break;
        }
      }
    }
    return guaranteed && requests.size() == limits.size() ? GUARANTEED : BURSTABLE;
  }

  private static Set<String> sum(JsonNode list, Map<String, Quantity> into) {
    Set<String> found = new HashSet<>();
    if (list == null || !list.isObject()) {
      return found;
    }
    list.fields().forEachRemaining(entry -> {
      if (!QOS_RESOURCES.contains(entry.getKey())) {
        return;
      }
      Quantity quantity;
      try {
        quantity = Quantity.fromJson(entry.getValue());
      } catch (IllegalArgumentException e) {
        return;
      }
      if (quantity.signum() > 0) {
        into.merge(entry.getKey(), quantity, Quantity::add);
        found.add(entry.getKey());
      }
    });
    return found;
  }
}
