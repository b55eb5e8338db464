package io.minicluster.api.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodSpec;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Pods (evaluator/core/pods.go): counted on create only; the object count always, and while the pod lives (not
 * terminal, not past its deletion grace period) {@code pods} and the compute resources its containers request and
 * are limited to (resourcehelper.PodRequests and PodLimits: app containers and sidecars summed, or the largest init
 * container if more, plus the overhead). Scopes: Terminating, NotTerminating, BestEffort, NotBestEffort,
 * PriorityClass and CrossNamespacePodAffinity.
 */
final class PodEvaluator extends QuotaEvaluator {
  private static final List<String> RESOURCES = List.of("count/pods", "cpu", "memory", "ephemeral-storage",
      "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
      "limits.ephemeral-storage", "pods");
  /** The resources a container must state when a quota limits them (validationSet, a backward compatibility). */
  private static final List<String> MUST_SPECIFY = List.of("cpu", "memory", "requests.cpu", "requests.memory",
      "limits.cpu", "limits.memory");
  private static final String SIDECAR_RESTART_POLICY = "Always";

  PodEvaluator() {
    super(ResourceTypes.PODS);
  }

  @Override
  public List<String> matchingResources(Collection<String> names) {
    List<String> result = intersection(names, RESOURCES);
    for (String name : names) {
      boolean hugePages = name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
      boolean extended = name.startsWith("requests.") && name.contains("/")
          && !name.substring("requests.".length()).contains("kubernetes.io/");
      if (hugePages || extended) {
        result.add(name);
      }
    }
    return result;
  }

  @Override
  public ResourceList usage(ObjectNode object, Instant now) {
    Pod pod = Pod.from(object);
    ResourceList count = count().mask(List.of("count/pods"));
    if (!charged(pod, now)) {
      return count;
    }
    return count.add(compute(requests(pod.spec(), c -> c.resources().requests()),
        limits(pod.spec())));
  }

  /** QuotaV1Pod: terminal pods, and pods past their deletion grace period, are not charged compute resources. */
  static boolean charged(Pod pod, Instant now) {
    if (pod.isTerminal()) {
      return false;
    }
    ObjectMeta meta = pod.metadata();
    if (meta.deletionTimestamp() != null && meta.deletionGracePeriodSeconds() != null) {
      Instant end = meta.deletionTimestamp().plusSeconds(meta.deletionGracePeriodSeconds());
      return !now.isAfter(end);
    }
    return true;
  }

  /** podComputeUsageHelper: pods=1 and the request and limit names of the requests and limits given. */
  private static ResourceList compute(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    Map<String, Quantity> usage = new TreeMap<>();
    usage.put("pods", count(1));
    for (String resource : List.of("cpu", "memory", "ephemeral-storage")) {
      Quantity request = requests.get(resource);
      if (request != null) {
        usage.put(resource, request);
        usage.put("requests." + resource, request);
      }
      Quantity limit = limits.get(resource);
      if (limit != null) {
        usage.put("limits." + resource, limit);
      }
    }
    requests.forEach((resource, request) -> {
      if (resource.startsWith("hugepages-")) {
        usage.put(resource, request);
        usage.put("requests." + resource, request);
      } else if (resource.contains("/") && !resource.contains("kubernetes.io/")
          && !resource.startsWith("requests.")) {
        usage.put("requests." + resource, request);
      }
    });
    return ResourceList.of(usage);
  }

  /** PodRequests (or the limits' equivalent with {@code of}): the pod's total for each resource. */
  private static Map<String, Quantity> requests(PodSpec spec, Function<Container, Map<String, Quantity>> of) {
    ResourceList sum = ResourceList.EMPTY;
    for (Container container : spec.containers()) {
      sum = sum.add(ResourceList.of(of.apply(container)));
    }
    ResourceList sidecars = ResourceList.EMPTY;
    ResourceList initMax = ResourceList.EMPTY;
    for (Container init : spec.initContainers()) {
      ResourceList own = ResourceList.of(of.apply(init));
      ResourceList during;
      if (SIDECAR_RESTART_POLICY.equals(init.restartPolicy())) {
        sum = sum.add(own);
        sidecars = sidecars.add(own);
        during = sidecars;
      } else {
        during = own.add(sidecars);
      }
      initMax = max(initMax, during);
    }
    return max(sum, initMax).quantities();
  }

  /** PodLimits: as the requests, the overhead added to the resources that have a limit. */
  private static Map<String, Quantity> limits(PodSpec spec) {
    Map<String, Quantity> limits = new TreeMap<>(requests(spec, c -> c.resources().limits()));
    spec.overhead().forEach((resource, overhead) -> limits.computeIfPresent(resource, (r, q) -> q.add(overhead)));
    return limits;
  }

  private static ResourceList max(ResourceList a, ResourceList b) {
    Map<String, Quantity> result = new TreeMap<>(a.quantities());
    b.quantities().forEach((name, q) -> result.merge(name, q, (x, y) -> x.compareTo(y) >= 0 ? x : y));
    return ResourceList.of(result);
  }

  @Override
  public String constraints(Collection<String> required, ObjectNode object) {
    Pod pod = Pod.from(object);
    List<String> requiredSet = intersection(required, MUST_SPECIFY);
    Map<String, TreeSet<String>> missing = new TreeMap<>();
    List<Container> containers = new ArrayList<>(pod.spec().containers());
    containers.addAll(pod.spec().initContainers());
    for (Container container : containers) {
      ResourceList stated = compute(container.resources().requests(), container.resources().limits());
      for (String resource : requiredSet) {
        if (!stated.has(resource)) {
          missing.computeIfAbsent(resource, r -> new TreeSet<>()).add(container.name());
        }
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    List<String> messages = new ArrayList<>();
    missing.forEach((resource, names) -> messages.add(resource + " for: " + String.join(",", names)));
    return "must specify " + String.join("; ", messages);
  }

  @Override
  public boolean matchesScope(ScopeSelector selector, ObjectNode object) {
    Pod pod = Pod.from(object);
    return switch (selector.scopeName()) {
      case "Terminating" -> terminating(pod);
      case "NotTerminating" -> !terminating(pod);
      case "BestEffort" -> bestEffort(pod);
      case "NotBestEffort" -> !bestEffort(pod);
      case "PriorityClass" -> priorityClass(selector, pod.spec().priorityClassName());
      case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(Json.at(object, "spec", "affinity"));
      default -> false;
    };
  }

  private static boolean terminating(Pod pod) {
    Long deadline = pod.spec().activeDeadlineSeconds();
    return deadline != null && deadline >= 0;
  }

  /** qos.GetPodQOS is BestEffort: no container requests or is limited in cpu or memory. */
  private static boolean bestEffort(Pod pod) {
    List<Container> containers = new ArrayList<>(pod.spec().containers());
    containers.addAll(pod.spec().initContainers());
    for (Container container : containers) {
      for (String resource : List.of("cpu", "memory")) {
        if (container.resources().requests().containsKey(resource)
            || container.resources().limits().containsKey(resource)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The PriorityClass scope: the class name as the value of a "PriorityClass" label, under the operator. */
  private static boolean priorityClass(ScopeSelector selector, String className) {
    boolean set = className != null && !className.isEmpty();
    return switch (selector.operator()) {
      case "Exists" -> set;
      case "DoesNotExist" -> !set;
      case "In" -> set && selector.values().contains(className);
      case "NotIn" -> !set || !selector.values().contains(className);
      default -> false;
    };
  }

  private static boolean crossNamespaceAffinity(JsonNode affinity) {
    for (String kind : List.of("podAffinity", "podAntiAffinity")) {
      JsonNode terms = Json.get(affinity, kind);
      for (JsonNode term : Json.elements(terms, "requiredDuringSchedulingIgnoredDuringExecution")) {
        if (crossNamespace(term)) {
          return true;
        }
      }
      for (JsonNode weighted : Json.elements(terms, "preferredDuringSchedulingIgnoredDuringExecution")) {
        if (crossNamespace(Json.get(weighted, "podAffinityTerm"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean crossNamespace(JsonNode term) {
    JsonNode selector = Json.get(term, "namespaceSelector");
    return !Json.elements(term, "namespaces").isEmpty() || selector != null && !selector.isNull();
  }
}
