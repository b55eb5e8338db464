package io.minicluster.registry.pod;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.LabelSelector;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.policy.DisruptionAllowed;
import io.minicluster.api.policy.PodDisruptionBudgetSpec;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.registry.WriteOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evicting a pod (pkg/registry/core/pod/storage/eviction.go, EvictionREST): a pod that is pending, terminal or
 * already being deleted goes at once; otherwise the one PodDisruptionBudget selecting it must allow a disruption,
 * which the eviction takes (status.disruptionsAllowed decremented, the pod recorded in status.disruptedPods, retried
 * on conflict) before the pod gets its DisruptionTarget condition and is deleted with the Eviction's options. A pod
 * that is not ready is deleted without taking a disruption when its budget's unhealthyPodEvictionPolicy is AlwaysAllow,
 * or (IfHealthyBudget, the default) while the budget has its desired healthy pods.
 */
public final class EvictionOperation {
  static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
  static final String MORE_THAN_ONE = "This pod has more than one PodDisruptionBudget, which the eviction "
      + "subresource does not support.";
  /** The apiserver's DisruptionBudgetCause, the cause type of a 429 a budget gave. */
  static final String DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";
  /** MaxDisruptedPodSize: evictions the disruption controller has not confirmed yet, beyond which none is admitted. */
  static final int MAX_DISRUPTED_POD_SIZE = 2000;
  /** EvictionsRetry: attempts on conflicts with other writers of the pod or the budget. */
  private static final int RETRIES = 20;

  private final GenericRegistry pods;
  private final GenericRegistry budgets;
  private final Clock clock;

  public EvictionOperation(GenericRegistry pods, GenericRegistry budgets, Clock clock) {
    this.pods = requireNonNull(pods, "pods is null");
    this.budgets = requireNonNull(budgets, "budgets is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Evicts a pod.
   *
   * @param evictionName the name the Eviction carries, or null when it carries none
   * @throws ApiException 400 when the Eviction names another pod than the URL, 404 when the pod does not exist,
   *     409 when a precondition fails, 429 when the pod's budget allows no disruption now, 500 when more than one
   *     budget selects the pod
   */
  public GenericRegistry.DeleteResult evict(String namespace, String name, String evictionName,
      DeleteOptions options) {
    requireNonNull(name, "name is null");
    requireNonNull(options, "options is null");
    if (evictionName != null && !evictionName.isEmpty() && !evictionName.equals(name)) {
      throw ApiException.badRequest("name in URL does not match name in Eviction object");
    }
    ObjectNode pod = null;
    for (int attempt = 1; pod == null; attempt++) {
      ObjectNode current = pods.get(namespace, name);
      if (!canIgnoreBudgets(current)) {
        pod = current;
        break;
      }
      DeleteOptions deleteOptions = shouldEnforceResourceVersion(current) && options.preconditionResourceVersion() == null
          ? options.withPreconditionResourceVersion(Meta.resourceVersion(current)) : options;
      try {
        return deleteWithCondition(namespace, name, deleteOptions);
      } catch (ApiException e) {
        if (e.code() != 409 || options.preconditionResourceVersion() != null || attempt >= RETRIES) {
          throw e;
        }
      }
    }
    List<ObjectNode> matching = budgetsOf(pod);
    if (matching.size() > 1) {
      throw new ApiException(500, null, MORE_THAN_ONE, null, null, null, null);
    }
    boolean unhealthyGoes = false;
    String budgetName = null;
    if (matching.size() == 1) {
      ObjectNode budget = matching.get(0);
      budgetName = Meta.name(budget);
      unhealthyGoes = !isReady(pod) && unhealthyPodMayGo(budget);
      if (!unhealthyGoes) {
        takeDisruption(namespace, budgetName, name, options.dryRun());
      }
    }
    DeleteOptions deleteOptions = unhealthyGoes
        ? options.withPreconditionResourceVersion(Meta.resourceVersion(pod)) : options;
    try {
      return deleteWithCondition(namespace, name, deleteOptions);
    } catch (ApiException e) {
      if (e.code() == 409 && unhealthyGoes && options.preconditionResourceVersion() == null) {
        // the pod changed (it may have become ready) since the budget was weighed: the client tries again
        throw stillProcessing(budgetName);
      }
      throw e;
    }
  }

  /** canIgnorePDB: pending, terminal and terminating pods disrupt nothing any more. */
  private static boolean canIgnoreBudgets(JsonNode pod) {
    String phase = phase(pod);
    return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending") || Meta.deleting(pod);
  }

  /** shouldEnforceResourceVersion: a pending pod could become ready between the read and the delete. */
  private static boolean shouldEnforceResourceVersion(JsonNode pod) {
    String phase = phase(pod);
    return !(phase.equals("Succeeded") || phase.equals("Failed") || Meta.deleting(pod));
  }

  private static String phase(JsonNode pod) {
    String phase = Json.textOrNull(pod, "status", "phase");
    return phase == null ? "" : phase;
  }

  private static boolean isReady(JsonNode pod) {
    return "True".equals(Json.textOrNull(Conditions.get(Json.get(pod, "status"), "Ready"), "status"));
  }

  private static boolean unhealthyPodMayGo(JsonNode budget) {
    if (PodDisruptionBudgetSpec.ALWAYS_ALLOW.equals(Json.textOrNull(budget, "spec", "unhealthyPodEvictionPolicy"))) {
      return true;
    }
    long desired = Json.number(Json.get(budget, "status"), "desiredHealthy", 0);
    return Json.number(Json.get(budget, "status"), "currentHealthy", 0) >= desired && desired > 0;
  }

  /** The budgets of the pod's namespace whose selector selects it (an absent or invalid selector selects none). */
  private List<ObjectNode> budgetsOf(ObjectNode pod) {
    Map<String, String> labels = Selector.labelsOf(pod);
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode budget : budgets.list(Meta.namespace(pod), ListOptions.ALL).items()) {
      JsonNode selector = Json.at(budget, "spec", "selector");
      if (selector == null || !selector.isObject()) {
        continue;
      }
      try {
        if (LabelSelector.from(selector).toSelector().matches(labels)) {
          matching.add(budget);
        }
      } catch (IllegalArgumentException e) {
        // an invalid selector selects nothing
      }
    }
    return matching;
  }

  /** checkAndDecrement, retried on conflict: the 429 (or 403) comes from the budget as it stands. */
  private void takeDisruption(String namespace, String budgetName, String podName, boolean dryRun) {
    String now = Meta.timestamp(clock.instant());
    budgets.guaranteedUpdate(namespace, budgetName, budget -> {
      ObjectNode status = Json.with(budget, "status");
      long allowed = Json.number(status, "disruptionsAllowed", 0);
      if (Json.number(status, "observedGeneration", 0) < Json.number(Json.get(budget, "metadata"), "generation", 0)) {
        throw stillProcessing(budgetName);
      }
      if (allowed < 0) {
        throw ApiException.forbidden(ResourceTypes.POD_DISRUPTION_BUDGETS, budgetName,
            "pdb disruptions allowed is negative");
      }
      JsonNode disrupted = Json.get(status, "disruptedPods");
      if (disrupted != null && disrupted.size() > MAX_DISRUPTED_POD_SIZE) {
        throw ApiException.forbidden(ResourceTypes.POD_DISRUPTION_BUDGETS, budgetName,
            "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
      }
      if (allowed == 0) {
        throw new ApiException(429, "TooManyRequests", VIOLATION, null, null, null, List.of(new ApiException.Cause(
            DISRUPTION_BUDGET_CAUSE, "The disruption budget " + budgetName + " needs "
                + Json.number(status, "desiredHealthy", 0) + " healthy pods and has "
                + Json.number(status, "currentHealthy", 0) + " currently", null)));
      }
      status.put("disruptionsAllowed", allowed - 1);
      if (allowed - 1 == 0) {
        DisruptionAllowed.update(status, now);
      }
      Json.with(status, "disruptedPods").put(podName, now);
      return budget;
    }, new WriteOptions(dryRun, null), UpdateKind.STATUS);
  }

  /** createTooManyRequestsError: the budget's status is behind its spec, or the pod changed under the eviction. */
  private static ApiException stillProcessing(String budgetName) {
    return new ApiException(429, "TooManyRequests", VIOLATION, null, null, null, List.of(new ApiException.Cause(
        DISRUPTION_BUDGET_CAUSE, "The disruption budget " + budgetName + " is still being processed by the server.",
        null)), 10);
  }

  /**
   * addConditionAndDeletePod: the pod gets DisruptionTarget=True (EvictionByEvictionAPI), then is deleted; a
   * resourceVersion precondition follows the condition's write.
   */
  private GenericRegistry.DeleteResult deleteWithCondition(String namespace, String name, DeleteOptions options) {
    if (options.dryRun()) {
      return pods.delete(namespace, name, options);
    }
    String now = Meta.timestamp(clock.instant());
    ObjectNode updated = pods.guaranteedUpdate(namespace, name, pod -> {
      if (options.preconditionUid() != null && !options.preconditionUid().equals(Meta.uid(pod))) {
        throw podConflict(name, "the UID in the precondition (" + options.preconditionUid()
            + ") does not match the UID in record (" + Meta.uid(pod) + "). The object might have been deleted and "
            + "then recreated");
      }
      if (options.preconditionResourceVersion() != null
          && !options.preconditionResourceVersion().equals(Meta.resourceVersion(pod))) {
        throw podConflict(name, "the ResourceVersion in the precondition (" + options.preconditionResourceVersion()
            + ") does not match the ResourceVersion in record (" + Meta.resourceVersion(pod) + "). The object might "
            + "have been modified");
      }
      ObjectNode condition = Json.object();
      condition.put("type", "DisruptionTarget");
      condition.put("status", "True");
      condition.put("lastProbeTime", (String) null);
      condition.put("lastTransitionTime", now);
      condition.put("reason", "EvictionByEvictionAPI");
      condition.put("message", "Eviction API: evicting");
      Conditions.update(Json.with(pod, "status"), condition);
      return pod;
    }, WriteOptions.DEFAULT, UpdateKind.STATUS);
    DeleteOptions deleteOptions = options.preconditionResourceVersion() == null ? options
        : options.withPreconditionResourceVersion(Meta.resourceVersion(updated));
    return pods.delete(namespace, name, deleteOptions);
  }

  /** The conflict addConditionAndDeletePod reports, on the resource "Pod" as upstream names it there. */
  private static ApiException podConflict(String name, String detail) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on Pod \"" + name + "\": " + detail, name,
        "", "Pod", null);
  }
}
