package io.minicluster.scheduler.framework;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodSpec;
import io.minicluster.api.resource.Quantity;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resources a pod asks of a node, as k8s.io/component-helpers resource.PodRequests: the sum of the app containers
 * and of restartable init containers (sidecars), or the largest single init container (plus the sidecars started
 * before it) if that is more, plus {@code spec.overhead}. Unparsable quantities count as zero (validation rejects
 * them before they get here; the read model leaves them out).
 */
public final class PodResources {
  /** The CPU a container without a CPU request is assumed to use when scoring (schedutil.DefaultMilliCPURequest). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  /** The memory a container without a memory request is assumed to use when scoring (200 MiB). */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;
  private static final String SIDECAR_RESTART_POLICY = "Always";

  private PodResources() {}

  /** What the pod requests, for fitting. */
  public static Resources requests(Pod pod) {
    return compute(pod.spec(), false);
  }

  /**
   * What the pod requests with a default for containers that do not request CPU or memory, for scoring (so that
   * best-effort pods still spread).
   */
  public static Resources nonZeroRequests(Pod pod) {
    return compute(pod.spec(), true);
  }

  /** Whether an init container is a sidecar: it keeps running beside the app containers (restartPolicy Always). */
  static boolean isSidecar(Container init) {
    return SIDECAR_RESTART_POLICY.equals(init.restartPolicy());
  }

  private static Resources compute(PodSpec spec, boolean nonZero) {
    Resources sum = Resources.ZERO;
    for (Container container : spec.containers()) {
      sum = sum.plus(containerRequests(container, nonZero));
    }
    Resources sidecars = Resources.ZERO;
    Resources initMax = Resources.ZERO;
    for (Container container : spec.initContainers()) {
      Resources requests = containerRequests(container, nonZero);
      Resources during;
      if (isSidecar(container)) {
        sum = sum.plus(requests);
        sidecars = sidecars.plus(requests);
        during = sidecars;
      } else {
        during = requests.plus(sidecars);
      }
      initMax = initMax.max(during);
    }
    return sum.max(initMax).plus(fromList(spec.overhead()));
  }

  private static Resources containerRequests(Container container, boolean nonZero) {
    Map<String, Quantity> requests = container.resources().requests();
    Resources resources = fromList(requests);
    if (!nonZero) {
      return resources;
    }
    return new Resources(requests.containsKey("cpu") ? resources.milliCpu() : DEFAULT_MILLI_CPU_REQUEST,
        requests.containsKey("memory") ? resources.memory() : DEFAULT_MEMORY_REQUEST, resources.ephemeralStorage(),
        resources.scalar());
  }

  /**
   * A resource list ({@code {"cpu": "500m", "memory": "1Gi", ...}}) as {@link Resources}; the {@code pods} entry is
   * ignored (see {@link #podCount}).
   */
  public static Resources fromList(Map<String, Quantity> list) {
    if (list.isEmpty()) {
      return Resources.ZERO;
    }
    long milliCpu = 0;
    long memory = 0;
    long ephemeral = 0;
    Map<String, Long> scalar = new TreeMap<>();
    for (Map.Entry<String, Quantity> entry : list.entrySet()) {
      Quantity quantity = entry.getValue();
      switch (entry.getKey()) {
        case "cpu" -> milliCpu = quantity.milliValue();
        case "memory" -> memory = quantity.value();
        case "ephemeral-storage" -> ephemeral = quantity.value();
        case "pods" -> {
        }
        default -> scalar.put(entry.getKey(), quantity.value());
      }
    }
    return new Resources(milliCpu, memory, ephemeral, scalar);
  }

  /** The {@code pods} entry of a resource list, or 0. */
  public static long podCount(Map<String, Quantity> list) {
    Quantity quantity = list.get("pods");
    return quantity == null ? 0 : quantity.value();
  }
}
