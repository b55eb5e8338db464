package io.minicluster.controller.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Taint;
import io.minicluster.api.core.helper.Tolerations;
import io.minicluster.api.meta.Condition;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The taints the node lifecycle controller owns, derived from a node's conditions and spec: the NoSchedule taints of
 * TaintNodesByCondition (doNoScheduleTaintingPass) and the NoExecute taints of taint-based eviction
 * (processTaintBaseEviction). Other taints are the users' and stay as they are.
 */
final class NodeTaints {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

  /** A taint's identity: its key and effect. */
  record Managed(String key, String effect) {}

  /** Condition type to the taint its status True brings (the pressure and network conditions). */
  private static final Map<String, String> TAINT_WHEN_TRUE = Map.of(
      "MemoryPressure", MEMORY_PRESSURE,
      "DiskPressure", DISK_PRESSURE,
      "PIDPressure", PID_PRESSURE,
      "NetworkUnavailable", NETWORK_UNAVAILABLE);

  private static final Set<String> NO_SCHEDULE_KEYS = Set.of(NOT_READY, UNREACHABLE, UNSCHEDULABLE, MEMORY_PRESSURE,
      DISK_PRESSURE, PID_PRESSURE, NETWORK_UNAVAILABLE);
  private static final Set<String> NO_EXECUTE_KEYS = Set.of(NOT_READY, UNREACHABLE);

  private NodeTaints() {}

  /** Whether the controller owns a taint of this key and effect. */
  static boolean managed(String key, String effect) {
    return switch (effect) {
      case Tolerations.NO_SCHEDULE -> NO_SCHEDULE_KEYS.contains(key);
      case Tolerations.NO_EXECUTE -> NO_EXECUTE_KEYS.contains(key);
      default -> false;
    };
  }

  /**
   * The managed taints a node should carry: not-ready when Ready is False, unreachable when it is Unknown (both
   * NoSchedule and NoExecute; none while Ready is absent), a pressure taint per pressure condition that is True, and
   * unschedulable:NoSchedule when {@code spec.unschedulable}.
   */
  static Set<Managed> desired(Node node) {
    Set<Managed> desired = new LinkedHashSet<>();
    node.status().condition("Ready").ifPresent(ready -> {
      String key = switch (ready.status()) {
        case Condition.FALSE -> NOT_READY;
        case Condition.UNKNOWN -> UNREACHABLE;
        default -> null;
      };
      if (key != null) {
        desired.add(new Managed(key, Tolerations.NO_SCHEDULE));
        desired.add(new Managed(key, Tolerations.NO_EXECUTE));
      }
    });
    for (Condition condition : node.status().conditions()) {
      String key = TAINT_WHEN_TRUE.get(condition.type());
      if (key != null && condition.isTrue()) {
        desired.add(new Managed(key, Tolerations.NO_SCHEDULE));
      }
    }
    if (node.spec().unschedulable()) {
      desired.add(new Managed(UNSCHEDULABLE, Tolerations.NO_SCHEDULE));
    }
    return desired;
  }

  /** The managed taints a node carries. */
  static Set<Managed> present(Node node) {
    Set<Managed> present = new LinkedHashSet<>();
    for (Taint taint : node.spec().taints()) {
      if (managed(taint.key(), taint.effect())) {
        present.add(new Managed(taint.key(), taint.effect()));
      }
    }
    return present;
  }

  /**
   * Makes a node's {@code spec.taints} carry exactly the {@code desired} managed taints: removes the managed ones not
   * desired, adds the missing ones (NoExecute taints with {@code timeAdded}, as the taint eviction counts from it),
   * keeps every other taint and the order.
   */
  static void apply(ObjectNode spec, Set<Managed> desired, Instant now) {
    List<JsonNode> kept = new ArrayList<>();
    Set<Managed> missing = new LinkedHashSet<>(desired);
    for (JsonNode taint : Json.elements(spec, "taints")) {
      Managed identity = new Managed(Json.text(taint, "key"), Json.text(taint, "effect"));
      if (managed(identity.key(), identity.effect()) && !desired.contains(identity)) {
        continue;
      }
      missing.remove(identity);
      kept.add(taint);
    }
    for (Managed taint : missing) {
      ObjectNode added = Json.object();
      added.put("key", taint.key());
      added.put("effect", taint.effect());
      if (taint.effect().equals(Tolerations.NO_EXECUTE)) {
        added.put("timeAdded", Meta.timestamp(now));
      }
      kept.add(added);
    }
    if (kept.isEmpty()) {
      spec.remove("taints");
      return;
    }
    ArrayNode taints = spec.putArray("taints");
    kept.forEach(taints::add);
  }
}
