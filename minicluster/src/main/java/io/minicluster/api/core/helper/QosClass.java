package io.minicluster.api.core.helper;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.PodSpec;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.ArrayList;
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

  /** The requests and limits of one container, as quantities by resource name. */
  private record Resources(Map<String, Quantity> requests, Map<String, Quantity> limits) {}

  /** The class of a pod spec (containers and init containers; zero and unparsable quantities are ignored). */
  public static String of(JsonNode spec) {
    List<Resources> containers = new ArrayList<>();
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : Json.elements(spec, list)) {
        JsonNode resources = Json.get(container, "resources");
        containers.add(new Resources(parse(Json.get(resources, "requests")), parse(Json.get(resources, "limits"))));
      }
    }
    return classify(containers);
  }

  /** The class of a pod spec record, as {@link #of(JsonNode)} gives it for the spec the record was read from. */
  public static String of(PodSpec spec) {
    List<Resources> containers = new ArrayList<>();
    for (List<Container> list : List.of(spec.containers(), spec.initContainers())) {
      for (Container container : list) {
        containers.add(new Resources(container.resources().requests(), container.resources().limits()));
      }
    }
    return classify(containers);
  }

  private static String classify(List<Resources> containers) {
    Map<String, Quantity> requests = new HashMap<>();
    Map<String, Quantity> limits = new HashMap<>();
    boolean guaranteed = true;
    for (Resources container : containers) {
      sum(container.requests(), requests);
      Set<String> limitsFound = sum(container.limits(), limits);
      if (!limitsFound.containsAll(QOS_RESOURCES)) {
        guaranteed = false;
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

  /** The cpu and memory quantities of a requests or limits object; unparsable ones are left out. */
  private static Map<String, Quantity> parse(JsonNode list) {
    Map<String, Quantity> quantities = new HashMap<>();
    if (list == null || !list.isObject()) {
      return quantities;
    }
    list.fields().forEachRemaining(entry -> {
      if (!QOS_RESOURCES.contains(entry.getKey())) {
        return;
      }
      try {
        quantities.put(entry.getKey(), Quantity.fromJson(entry.getValue()));
      } catch (IllegalArgumentException e) {
        // left out, as GetPodQOS never sees a quantity the API would not parse
      }
    });
    return quantities;
  }

  /** Adds the positive cpu and memory quantities to {@code into}; the resources it added. */
  private static Set<String> sum(Map<String, Quantity> quantities, Map<String, Quantity> into) {
    Set<String> found = new HashSet<>();
    quantities.forEach((resource, quantity) -> {
      if (QOS_RESOURCES.contains(resource) && quantity.signum() > 0) {
        into.merge(resource, quantity, Quantity::add);
        found.add(resource);
      }
    });
    return found;
  }
}
