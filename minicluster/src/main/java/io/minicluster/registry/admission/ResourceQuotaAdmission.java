package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.quota.QuotaEvaluator;
import io.minicluster.api.quota.ResourceList;
import io.minicluster.json.Json;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.registry.Admission;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.WriteOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The ResourceQuota admission plugin (k8s.io/apiserver/pkg/admission/plugin/resourcequota): a create (or an update
 * that can change usage: services, claims) is checked against every quota of its namespace that counts it, with
 * the quota's {@code status.hard} and {@code status.used} as the quota controller last wrote them plus what
 * admission added since. It is refused with the apiserver's 403 when it would take a quota above its hard limit
 * ("exceeded quota"), when the pod does not state a compute resource the quota limits ("failed quota: ... must
 * specify"), or while the quota has no usage yet ("status unknown for quota"). Otherwise the new usage is written
 * to each quota's status before the object is stored, with the quota's resourceVersion as precondition: a
 * concurrent write makes the check run again on the new status, so two creates never both take the last unit.
 * When the object is then not stored (invalid, already exists), the usage it took is given back.
 */
public final class ResourceQuotaAdmission implements Admission {
  /** Conflicts on the quotas' status tolerated before the write is refused. */
  static final int MAX_ATTEMPTS = 16;

  /** The quotas of a namespace, read from the store, and their status writes. */
  public interface Quotas {
    List<ObjectNode> list(String namespace);

    /**
     * Replaces the quota's status if its resourceVersion is still the stored one.
     *
     * @return false on a conflict (the quota changed or is gone)
     */
    boolean updateStatus(ObjectNode quota);

    /** The quotas of a registry (given late: admission is built before the registries). */
    static Quotas of(Supplier<GenericRegistry> registry) {
      requireNonNull(registry, "registry is null");
      return new Quotas() {
        @Override
        public List<ObjectNode> list(String namespace) {
          return registry.get().list(namespace, ListOptions.ALL).items();
        }

        @Override
        public boolean updateStatus(ObjectNode quota) {
          try {
            registry.get().update(Meta.namespace(quota), Meta.name(quota), quota, WriteOptions.DEFAULT,
                GenericRegistry.UpdateKind.STATUS);
            return true;
          } catch (ApiException e) {
            if (e.code() == 409 || e.code() == 404) {
              return false;
            }
            throw e;
          }
        }
      };
    }
  }

  /** Usage taken by a write in flight: given back if the object is not stored. */
  private record Charge(String namespace, String oldVersion, Map<String, ResourceList> byQuota) {}

  private final Quotas quotas;
  private final Clock clock;
  private final Map<ObjectNode, Charge> inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
  private final Map<String, Object> namespaceLocks = new ConcurrentHashMap<>();

  public ResourceQuotaAdmission(Quotas quotas, Clock clock) {
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Validating admission, as the apiserver's ResourceQuota plugin: after mutation (webhooks included) and the kind's
   * validation, so an invalid object gets its 422 and the usage charged is that of the object stored; subresource
   * writes are not counted (the quota controller's recalculation sees them).
   */
  @Override
  public void validate(AdmissionRequest request) {
    if (request.operation() == AdmissionRequest.Operation.DELETE || !request.subresource().isEmpty()) {
      return;
    }
    QuotaEvaluator evaluator = evaluator(request.type(), request.object());
    boolean create = request.operation() == AdmissionRequest.Operation.CREATE;
    if (evaluator != null && (create ? evaluator.handlesCreate() : evaluator.handlesUpdate())) {
      admit(evaluator, request.object(), create ? null : request.oldObject(), request.dryRun());
    }
  }

  /** The evaluator of a namespaced type that quota counts (events are not: ignoredResources). */
  private static QuotaEvaluator evaluator(ResourceType type, ObjectNode object) {
    String namespace = Meta.namespace(object);
    if (!type.namespaced() || namespace == null || namespace.isEmpty() || type.equals(ResourceTypes.EVENTS)
        || type.equals(ResourceTypes.EVENTS_V1) || type.equals(ResourceTypes.BINDINGS)) {
      return null;
    }
    return QuotaEvaluator.forType(type);
  }

  @Override
  public void writeFinished(ResourceType type, ObjectNode object) {
    Charge charge = inFlight.remove(object);
    if (charge == null) {
      return;
    }
    String version = Meta.resourceVersion(object);
    boolean stored = version != null && !version.isEmpty() && !version.equals(charge.oldVersion());
    if (!stored) {
      giveBack(charge);
    }
  }

  private void admit(QuotaEvaluator evaluator, ObjectNode object, ObjectNode old, boolean dryRun) {
    String namespace = Meta.namespace(object);
    if (quotas.list(namespace).isEmpty()) {
      // no quota: nothing to check, and creates in the namespace need not wait for each other
      return;
    }
    Object lock = namespaceLocks.computeIfAbsent(namespace, n -> new Object());
    synchronized (lock) {
      List<ObjectNode> current = quotas.list(namespace);
      Map<String, ResourceList> charged = new LinkedHashMap<>();
      for (int attempt = 1; !current.isEmpty(); attempt++) {
        Map<ObjectNode, ResourceList> deltas = check(evaluator, current, object, old);
        if (dryRun || deltas.isEmpty()) {
          break;
        }
        Set<String> conflicted = new TreeSet<>();
        for (Map.Entry<ObjectNode, ResourceList> entry : deltas.entrySet()) {
          ObjectNode quota = entry.getKey().deepCopy();
          ResourceList used = ResourceList.from(Json.get(quota, "status"), "used").add(entry.getValue());
          Json.with(quota, "status").set("used", used.toJson());
          if (quotas.updateStatus(quota)) {
            charged.put(Meta.name(quota), entry.getValue());
          } else {
            conflicted.add(Meta.name(quota));
          }
        }
        if (conflicted.isEmpty()) {
          break;
        }
        if (attempt >= MAX_ATTEMPTS) {
          giveBack(new Charge(namespace, null, charged));
          throw ApiException.conflict(ResourceTypes.RESOURCE_QUOTAS, conflicted.iterator().next(),
              "the object has been modified; please apply your changes to the latest version and try again");
        }
        // check again against the quotas whose write lost the race, as they are now
        current = quotas.list(namespace).stream().filter(q -> conflicted.contains(Meta.name(q))).toList();
      }
      if (!charged.isEmpty()) {
        inFlight.put(object, new Charge(namespace, old == null ? null : Meta.resourceVersion(old), charged));
      }
    }
  }

  /**
   * CheckRequest: the usage this write adds to each quota that counts the object (the difference to the old object
   * for an update it also counted), or the 403 that refuses it.
   */
  private Map<ObjectNode, ResourceList> check(QuotaEvaluator evaluator, List<ObjectNode> quotaList, ObjectNode object,
      ObjectNode old) {
    ResourceType type = evaluator.type();
    List<ObjectNode> counting = new ArrayList<>();
    for (ObjectNode quota : quotaList) {
      if (!evaluator.matches(quota, object)) {
        continue;
      }
      ResourceList hard = ResourceList.from(Json.get(quota, "status"), "hard");
      List<String> restricted = evaluator.matchingResources(hard.names());
      String constraint = evaluator.constraints(restricted, object);
      if (constraint != null) {
        throw forbidden(type, object, "failed quota: " + Meta.name(quota) + ": " + constraint);
      }
      ResourceList used = ResourceList.from(Json.get(quota, "status"), "used");
      if (!restricted.stream().allMatch(used::has)) {
        throw forbidden(type, object, "status unknown for quota: " + Meta.name(quota) + ", resources: "
            + String.join(",", new TreeSet<>(restricted)));
      }
      counting.add(quota);
    }
    Map<ObjectNode, ResourceList> deltas = new LinkedHashMap<>();
    if (counting.isEmpty()) {
      return deltas;
    }
    ResourceList usage = evaluator.usage(object, clock.instant());
    if (!usage.negative().isEmpty()) {
      throw forbidden(type, object, "quota usage is negative for resource(s): "
          + String.join(",", usage.negative()));
    }
    boolean update = old != null && Meta.resourceVersion(old) != null && !Meta.resourceVersion(old).isEmpty();
    ResourceList difference = update ? usage.subtractNonNegative(evaluator.usage(old, clock.instant())) : usage;
    for (ObjectNode quota : counting) {
      ResourceList delta = (update && evaluator.matches(quota, old) ? difference : usage).removeZeros();
      if (delta.isEmpty()) {
        continue;
      }
      ResourceList hard = ResourceList.from(Json.get(quota, "status"), "hard");
      ResourceList used = ResourceList.from(Json.get(quota, "status"), "used");
      ResourceList requested = delta.mask(hard.names());
      List<String> exceeded = used.add(requested).mask(requested.names()).exceeding(hard);
      if (!exceeded.isEmpty()) {
        throw forbidden(type, object, "exceeded quota: " + Meta.name(quota) + ", requested: "
            + requested.mask(exceeded) + ", used: " + used.mask(exceeded) + ", limited: " + hard.mask(exceeded));
      }
      if (!requested.isEmpty()) {
        deltas.put(quota, requested);
      }
    }
    return deltas;
  }

  private static ApiException forbidden(ResourceType type, ObjectNode object, String message) {
    return ApiException.forbidden(type, Meta.name(object), message);
  }

  /** Takes the usage of a write that was not stored off its quotas again (never below zero). */
  private void giveBack(Charge charge) {
    for (Map.Entry<String, ResourceList> entry : charge.byQuota().entrySet()) {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        ObjectNode quota = quotas.list(charge.namespace()).stream()
            .filter(q -> entry.getKey().equals(Meta.name(q))).findFirst().map(ObjectNode::deepCopy).orElse(null);
        if (quota == null) {
          break;
        }
        ResourceList used = ResourceList.from(Json.get(quota, "status"), "used");
        ResourceList released = used.subtractNonNegative(entry.getValue());
        Json.with(quota, "status").set("used", released.toJson());
        if (quotas.updateStatus(quota)) {
          break;
        }
      }
    }
  }
}
