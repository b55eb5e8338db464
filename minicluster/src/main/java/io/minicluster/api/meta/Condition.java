package io.minicluster.api.meta;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A status condition: metav1.Condition and the per-kind condition types (PodCondition, NodeCondition,
 * DeploymentCondition, ReplicaSetCondition, ReplicationControllerCondition, NamespaceCondition), which share type,
 * status, reason, message and lastTransitionTime and differ in the other times; a time a kind does not have is null.
 */
public record Condition(String type, String status, long observedGeneration, Instant lastProbeTime,
    Instant lastHeartbeatTime, Instant lastUpdateTime, Instant lastTransitionTime, String reason, String message) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public static Condition from(JsonNode node) {
    return Interner.intern(new Condition(JsonValues.string(node, "type"), JsonValues.string(node, "status"),
        JsonValues.int64(node, "observedGeneration"), JsonValues.time(node, "lastProbeTime"),
        JsonValues.time(node, "lastHeartbeatTime"), JsonValues.time(node, "lastUpdateTime"),
        JsonValues.time(node, "lastTransitionTime"), JsonValues.string(node, "reason"),
        JsonValues.string(node, "message")));
  }

  /** The conditions at {@code node.conditions}. */
  public static List<Condition> list(JsonNode node) {
    return Interner.intern(JsonValues.list(node, "conditions", Condition::from));
  }

  /** The first condition of a type (meta.FindStatusCondition). */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    requireNonNull(type, "type is null");
    for (Condition condition : conditions) {
      if (type.equals(condition.type)) {
        return Optional.of(condition);
      }
    }
    return Optional.empty();
  }

  /** Whether a condition of the type is present with status "True" (meta.IsStatusConditionTrue). */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::isTrue).orElse(false);
  }

  public boolean isTrue() {
    return TRUE.equals(status);
  }

  public boolean isFalse() {
    return FALSE.equals(status);
  }
}
