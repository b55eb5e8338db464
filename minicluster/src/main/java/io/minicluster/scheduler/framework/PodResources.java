package io.minicluster.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resources a pod asks of a node, as k8s.io/component-helpers resource.PodRequests: the sum of the app containers
 * and of restartable init containers (sidecars), or the largest single init container (plus the sidecars started
 * before it) if that is more, plus {@code spec.overhead}. Unparsable quantities count as zero (validation rejects
 * them before they get here).
 */
public final class PodResources {
  /** The CPU a container without a CPU request is assumed to use when scoring (schedutil.DefaultMilliCPURequest). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  /** The memory a container without a memory request is assumed to use when scoring (200 MiB). */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  private PodResources() {}

  /** What the pod requests, for fitting. */
  public static Resources requests(JsonNode pod) {
    return compute(pod, false);
  }

  /**
   * What the pod requests with a default for containers that do not request CPU or memory, for scoring (so that
   * best-effort pods still spread).
   */
  public static Resources nonZeroRequests(JsonNode pod) {
    return compute(pod, true);
  }

  private static Resources compute(JsonNode pod, boolean nonZero) {
    JsonNode spec = Json.get(pod, "spec");
    Resources sum = Resources.ZERO;
    for (JsonNode container : Json.elements(spec, "containers")) {
      sum = sum.plus(containerRequests(container, nonZero));
    }
    Resources sidecars = Resources.ZERO;
    Resources initMax = Resources.ZERO;
    for (JsonNode container : Json.elements(spec, "initContainers")) {
      Resources requests = containerRequests(container, nonZero);
      Resources during;
      if ("Always".equals(Json.text(container, "restartPolicy"))) {
        sum = sum.plus(requests);
        sidecars = sidecars.plus(requests);
        during = sidecars;
      } else {
        during = requests.plus(sidecars);
      }
      initMax = initMax.max(during);
    }
    Resources total = sum.max(initMax);
    JsonNode overhead = Json.get(spec, "overhead");
    if (overhead != null) {
      total = total.plus(fromList(overhead));
    }
    return total;
  }

  private static Resources containerRequests(JsonNode container, boolean nonZero) {
    JsonNode requests = Json.get(Json.get(container, "resources"), "requests");
    Resources resources = requests == null ? Resources.ZERO : fromList(requests);
    if (!nonZero) {
      return resources;
    }
    boolean hasCpu = requests != null && Json.has(requests, "cpu");
    boolean hasMemory = requests != null && Json.has(requests, "memory");
    return new Resources(hasCpu ? resources.milliCpu() : DEFAULT_MILLI_CPU_REQUEST,
        hasMemory ? resources.memory() : DEFAULT_MEMORY_REQUEST, resources.ephemeralStorage(), resources.scalar());
  }

  /**
   * A resource list ({@code {"cpu": "500m", "memory": "1Gi", ...}}) as {@link Resources}; the {@code pods} entry is
   * ignored (see {@link #podCount}).
   */
  public static Resources fromList(JsonNode list) {
    long milliCpu = 0;
    long memory = 0;
    long ephemeral = 0;
    Map<String, Long> scalar = new TreeMap<>();
    if (list != null && list.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      list.fields().forEachRemaining(entries::add);
      for (Map.Entry<String, JsonNode> entry : entries) {
        Quantity quantity = quantity(entry.getValue());
        if (quantity == null) {
          continue;
        }
        switch (entry.getKey()) {
          case "cpu" -> milliCpu = quantity.milliValue();
          case "memory" -> memory = quantity.value();
          case "ephemeral-storage" -> ephemeral = quantity.value();
          case "pods" -> {
          }
          default -> scalar.put(entry.getKey(), quantity.value());
        }
      }
    }
    return new Resources(milliCpu, memory, ephemeral, scalar);
  }

  /** The {@code pods} entry of a resource list, or 0. */
  public static long podCount(JsonNode list) {
    Quantity quantity = quantity(Json.get(list, "pods"));
    return quantity == null ? 0 : quantity.value();
  }

  private static Quantity quantity(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return Quantity.fromJson(node);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return null;
    }
  }
}
