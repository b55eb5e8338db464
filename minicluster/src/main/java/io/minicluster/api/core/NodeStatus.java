package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** v1.NodeStatus (images, volumes and config are not modelled). */
public record NodeStatus(Map<String, Quantity> capacity, Map<String, Quantity> allocatable, String phase,
    List<Condition> conditions, List<NodeAddress> addresses, NodeDaemonEndpoints daemonEndpoints,
    NodeSystemInfo nodeInfo) {

  public NodeStatus {
    capacity = Map.copyOf(capacity);
    allocatable = Map.copyOf(allocatable);
    conditions = List.copyOf(conditions);
    addresses = List.copyOf(addresses);
  }

  public static NodeStatus from(JsonNode node) {
    return new NodeStatus(JsonValues.quantities(node, "capacity"), JsonValues.quantities(node, "allocatable"),
        JsonValues.string(node, "phase"), Condition.list(node), JsonValues.list(node, "addresses", NodeAddress::from),
        JsonValues.struct(node, "daemonEndpoints", NodeDaemonEndpoints::from),
        JsonValues.struct(node, "nodeInfo", NodeSystemInfo::from));
  }

  /** The condition of a type (Ready, MemoryPressure, DiskPressure, PIDPressure...). */
  public Optional<Condition> condition(String type) {
    return Condition.find(conditions, type);
  }
}
