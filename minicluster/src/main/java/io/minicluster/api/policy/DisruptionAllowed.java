package io.minicluster.api.policy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Conditions;
import io.minicluster.json.Json;

/**
 * The DisruptionAllowed condition of a budget's status, as k8s.io/component-helpers/apps/poddisruptionbudget's
 * UpdateDisruptionAllowedCondition sets it from status.disruptionsAllowed (the eviction subresource when it takes the
 * last allowed disruption, the disruption controller on every sync).
 */
public final class DisruptionAllowed {
  public static final String TYPE = "DisruptionAllowed";
  /** The budget allows disruptions. */
  public static final String SUFFICIENT_PODS = "SufficientPods";
  /** The budget allows none. */
  public static final String INSUFFICIENT_PODS = "InsufficientPods";
  /** The controller could not compute the budget. */
  public static final String SYNC_FAILED = "SyncFailed";

  private DisruptionAllowed() {}

  /**
   * Sets the condition from the status' disruptionsAllowed and observedGeneration (SetStatusCondition: in place, its
   * lastTransitionTime kept while its status stays).
   *
   * @param now the time of a change, as a metav1.Time string
   */
  public static void update(ObjectNode status, String now) {
    boolean allowed = Json.numberOrNull(status, "disruptionsAllowed") != null
        && Json.numberOrNull(status, "disruptionsAllowed") > 0;
    set(status, allowed ? "True" : "False", allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS, "", now);
  }

  /** Sets the condition with a status, reason and message of the caller's (SyncFailed). */
  public static void set(ObjectNode status, String conditionStatus, String reason, String message, String now) {
    requireNonNull(status, "status is null");
    ObjectNode condition = Json.object();
    condition.put("type", TYPE);
    condition.put("status", conditionStatus);
    Long observedGeneration = Json.numberOrNull(status, "observedGeneration");
    if (observedGeneration != null && observedGeneration != 0) {
      condition.put("observedGeneration", observedGeneration);
    }
    condition.put("lastTransitionTime", requireNonNull(now, "now is null"));
    condition.put("reason", requireNonNull(reason, "reason is null"));
    condition.put("message", requireNonNull(message, "message is null"));
    Conditions.replace(status, condition);
  }
}
