package io.minicluster.api.quota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a quota counts of one resource type (quota.Evaluator of k8s.io/apiserver/pkg/quota/v1 and
 * pkg/quota/v1/evaluator/core): the quota resources it knows, an object's usage of them, the scopes an object is in,
 * and which writes can change usage. Pods, services and claims have evaluators of their own; every other type is
 * counted as objects ({@code count/<resource>[.<group>]}, and the legacy name for the core kinds that had one).
 */
public abstract class QuotaEvaluator {
  private static final Quantity ONE = Quantity.parse("1");
  /** The core kinds whose object count also has a name without "count/". */
  private static final List<String> LEGACY_COUNTED = List.of("configmaps", "secrets", "replicationcontrollers",
      "resourcequotas", "services", "persistentvolumeclaims", "pods");

  private final ResourceType type;

  QuotaEvaluator(ResourceType type) {
    this.type = requireNonNull(type, "type is null");
  }

  /** The evaluator of a resource type. */
  public static QuotaEvaluator forType(ResourceType type) {
    if (type.equals(ResourceTypes.PODS)) {
      return new PodEvaluator();
    }
    if (type.equals(ResourceTypes.SERVICES)) {
      return new ServiceEvaluator();
    }
    if (type.equals(ResourceTypes.PERSISTENT_VOLUME_CLAIMS)) {
      return new ClaimEvaluator();
    }
    return new ObjectCountEvaluator(type);
  }

  public ResourceType type() {
    return type;
  }

  /** generic.ObjectCountQuotaResourceNameFor: {@code count/<resource>} in the core group, else {@code .<group>}. */
  public static String countName(ResourceType type) {
    return "count/" + type.plural() + (type.group().isEmpty() ? "" : "." + type.group());
  }

  /** Whether a create can change usage. */
  public boolean handlesCreate() {
    return true;
  }

  /** Whether an update of the object (not of a subresource) can change usage. */
  public boolean handlesUpdate() {
    return false;
  }

  /** MatchingResources: the names among these that this evaluator counts. */
  public abstract List<String> matchingResources(Collection<String> names);

  /** Usage of the object at this time. */
  public abstract ResourceList usage(ObjectNode object, Instant now);

  /** Whether the object is in the scope (MatchesScopeFunc); only pods have scopes. */
  public boolean matchesScope(ScopeSelector selector, ObjectNode object) {
    return false;
  }

  /**
   * Constraints: what the object must say for a quota limiting these resources, as the message after
   * {@code failed quota: <name>: }, or null when it satisfies them.
   */
  public String constraints(Collection<String> required, ObjectNode object) {
    return null;
  }

  /**
   * generic.Matches: whether the quota (its {@code status.hard}) counts the object: it limits a resource of this
   * type and the object is in every scope of the quota.
   */
  public boolean matches(ObjectNode quota, ObjectNode object) {
    if (matchingResources(ResourceList.from(Json.get(quota, "status"), "hard").names()).isEmpty()) {
      return false;
    }
    for (ScopeSelector selector : ScopeSelector.of(quota)) {
      if (!matchesScope(selector, object)) {
        return false;
      }
    }
    return true;
  }

  /** The object count, under its count/ name and, for the core kinds that have one, its legacy name. */
  ResourceList count() {
    Map<String, Quantity> usage = new TreeMap<>();
    usage.put(countName(type), ONE);
    if (type.group().isEmpty() && LEGACY_COUNTED.contains(type.plural())) {
      usage.put(type.plural(), ONE);
    }
    return ResourceList.of(usage);
  }

  static List<String> intersection(Collection<String> names, Collection<String> known) {
    List<String> result = new ArrayList<>();
    for (String name : names) {
      if (known.contains(name)) {
        result.add(name);
      }
    }
    return result;
  }

  static Quantity count(long value) {
    return Quantity.parse(Long.toString(value));
  }

  /** Any other type: its objects are counted, on create only (generic.NewObjectCountEvaluator). */
  private static final class ObjectCountEvaluator extends QuotaEvaluator {
    ObjectCountEvaluator(ResourceType type) {
      super(type);
    }

    @Override
    public List<String> matchingResources(Collection<String> names) {
      return intersection(names, count().names());
    }

    @Override
    public ResourceList usage(ObjectNode object, Instant now) {
      return count();
    }
  }

  /**
   * Services (evaluator/core/services.go): the count, node ports of NodePort services and of LoadBalancer services
   * that allocate them, and load balancers; an update may change the type.
   */
  private static final class ServiceEvaluator extends QuotaEvaluator {
    private static final List<String> RESOURCES = List.of("count/services", "services", "services.nodeports",
        "services.loadbalancers");

    ServiceEvaluator() {
      super(ResourceTypes.SERVICES);
    }

    @Override
    public boolean handlesUpdate() {
      return true;
    }

    @Override
    public List<String> matchingResources(Collection<String> names) {
      return intersection(names, RESOURCES);
    }

    @Override
    public ResourceList usage(ObjectNode service, Instant now) {
      JsonNode spec = Json.get(service, "spec");
      int ports = Json.elements(spec, "ports").size();
      Map<String, Quantity> usage = new TreeMap<>(count().quantities());
      usage.put("services.nodeports", Quantity.ZERO);
      usage.put("services.loadbalancers", Quantity.ZERO);
      switch (Json.text(spec, "type")) {
        case "NodePort" -> usage.put("services.nodeports", count(ports));
        case "LoadBalancer" -> {
          JsonNode allocate = Json.get(spec, "allocateLoadBalancerNodePorts");
          if (allocate == null || allocate.isNull() || allocate.asBoolean()) {
            usage.put("services.nodeports", count(ports));
          }
          usage.put("services.loadbalancers", ONE);
        }
        default -> {
        }
      }
      return ResourceList.of(usage);
    }
  }

  /**
   * PersistentVolumeClaims (evaluator/core/persistent_volume_claims.go): the count and the storage requested, in
   * total and per storage class ({@code <class>.storageclass.storage.k8s.io/requests.storage}); an update may
   * expand the claim.
   */
  private static final class ClaimEvaluator extends QuotaEvaluator {
    private static final String CLASS_SUFFIX = ".storageclass.storage.k8s.io/";
    private static final List<String> RESOURCES = List.of("count/persistentvolumeclaims", "persistentvolumeclaims",
        "requests.storage");

    ClaimEvaluator() {
      super(ResourceTypes.PERSISTENT_VOLUME_CLAIMS);
    }

    @Override
    public boolean handlesUpdate() {
      return true;
    }

    @Override
    public List<String> matchingResources(Collection<String> names) {
      List<String> result = new ArrayList<>();
      for (String name : names) {
        if (RESOURCES.contains(name) || name.endsWith(CLASS_SUFFIX + "persistentvolumeclaims")
            || name.endsWith(CLASS_SUFFIX + "requests.storage")) {
          result.add(name);
        }
      }
      return result;
    }

    @Override
    public ResourceList usage(ObjectNode claim, Instant now) {
      Map<String, Quantity> usage = new TreeMap<>(count().quantities());
      String className = Json.textOrNull(claim, "spec", "storageClassName");
      if (className == null) {
        className = Json.textOrNull(claim, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
      }
      if (className != null && !className.isEmpty()) {
        usage.put(className + CLASS_SUFFIX + "persistentvolumeclaims", ONE);
      }
      ResourceList requests = ResourceList.from(Json.at(claim, "spec", "resources"), "requests");
      if (requests.has("storage")) {
        Quantity storage = requests.get("storage");
        usage.put("requests.storage", storage);
        if (className != null && !className.isEmpty()) {
          usage.put(className + CLASS_SUFFIX + "requests.storage", storage);
        }
      }
      return ResourceList.of(usage);
    }
  }
}
