package io.minicluster.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;

/**
 * Status conditions on JSON trees, as apimachinery's api/meta condition helpers handle them: a condition is found by
 * its type, and its lastTransitionTime is kept unless its status flips.
 */
public final class Conditions {
  private Conditions() {}

  /** The first condition of a type in a conditions array; null when there is none or {@code conditions} is no array. */
  public static JsonNode find(JsonNode conditions, String type) {
    requireNonNull(type, "type is null");
    if (conditions == null || !conditions.isArray()) {
      return null;
    }
    for (JsonNode condition : conditions) {
      if (type.equals(Json.textOrNull(condition, "type"))) {
        return condition;
      }
    }
    return null;
  }

  /** The condition of a type in an object's {@code status.conditions}, or null. */
  public static JsonNode get(JsonNode status, String type) {
    return find(Json.at(status, "conditions"), type);
  }

  /**
   * The lastTransitionTime of a condition that now has {@code status}: the previous condition's while its status is
   * the same and it has a time, else {@code now}.
   */
  public static String transitionTime(JsonNode previous, String status, String now) {
    requireNonNull(status, "status is null");
    requireNonNull(now, "now is null");
    if (previous != null && status.equals(Json.textOrNull(previous, "status"))) {
      String kept = Json.textOrNull(previous, "lastTransitionTime");
      if (kept != null && !kept.isEmpty()) {
        return kept;
      }
    }
    return now;
  }

  /**
   * Sets a condition as the controllers' SetCondition helpers do: the conditions of its type leave
   * {@code status.conditions} and {@code condition} is appended, its lastTransitionTime that of the condition it
   * replaces while the status stays the same, else the one it carries (the time of the change).
   *
   * @param condition with type, status and lastTransitionTime; its other fields are the caller's
   * @return {@code condition}
   */
  public static ObjectNode set(ObjectNode status, ObjectNode condition) {
    String type = stamp(status, condition);
    ArrayNode conditions = status.get("conditions") instanceof ArrayNode array ? array : status.putArray("conditions");
    removeType(conditions, type);
    conditions.add(condition);
    return condition;
  }

  /**
   * Puts a condition in the place of the first one of its type in {@code status.conditions}, or appends it when there
   * is none (the namespace controller's updateConditions, which keeps the order), its lastTransitionTime that of the
   * condition it replaces while the status stays the same, else the one it carries.
   *
   * @param condition with type, status and lastTransitionTime; its other fields are the caller's
   * @return {@code condition}
   */
  public static ObjectNode replace(ObjectNode status, ObjectNode condition) {
    String type = stamp(status, condition);
    ArrayNode conditions = status.get("conditions") instanceof ArrayNode array ? array : status.putArray("conditions");
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(Json.textOrNull(conditions.get(i), "type"))) {
        conditions.set(i, condition);
        return condition;
      }
    }
    conditions.add(condition);
    return condition;
  }

  /** Gives the condition the lastTransitionTime it keeps or takes in {@code status}; returns its type. */
  private static String stamp(ObjectNode status, ObjectNode condition) {
    requireNonNull(status, "status is null");
    requireNonNull(condition, "condition is null");
    String type = requireNonNull(Json.textOrNull(condition, "type"), "condition has no type");
    String conditionStatus = requireNonNull(Json.textOrNull(condition, "status"), "condition has no status");
    String now = requireNonNull(Json.textOrNull(condition, "lastTransitionTime"), "condition has no lastTransitionTime");
    condition.put("lastTransitionTime", transitionTime(get(status, type), conditionStatus, now));
    return type;
  }

  /**
   * Updates a condition where it stands, as the pods' UpdatePodCondition (and the kubelet's node condition setters):
   * {@link #replace}, and whether that changed anything but heartbeat times.
   *
   * @param condition with type, status and lastTransitionTime; its other fields are the caller's
   * @return whether the condition is new, or its status, reason, message, lastProbeTime or lastTransitionTime differ
   *     from the replaced one's (absent, null and "" are the same)
   */
  public static boolean update(ObjectNode status, ObjectNode condition) {
    requireNonNull(status, "status is null");
    requireNonNull(condition, "condition is null");
    JsonNode previous = get(status, requireNonNull(Json.textOrNull(condition, "type"), "condition has no type"));
    replace(status, condition);
    return previous == null || !(sameField(previous, condition, "status") && sameField(previous, condition, "reason")
        && sameField(previous, condition, "message") && sameField(previous, condition, "lastProbeTime")
        && sameField(previous, condition, "lastTransitionTime"));
  }

  private static boolean sameField(JsonNode a, JsonNode b, String field) {
    return Json.text(a, field).equals(Json.text(b, field));
  }

  /** Removes the conditions of a type from {@code status.conditions}, and the array when it ends up empty. */
  public static void remove(ObjectNode status, String type) {
    requireNonNull(type, "type is null");
    if (status != null && status.get("conditions") instanceof ArrayNode conditions) {
      removeType(conditions, type);
      if (conditions.isEmpty()) {
        status.remove("conditions");
      }
    }
  }

  private static void removeType(ArrayNode conditions, String type) {
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if (type.equals(Json.textOrNull(conditions.get(i), "type"))) {
        conditions.remove(i);
      }
    }
  }
}
