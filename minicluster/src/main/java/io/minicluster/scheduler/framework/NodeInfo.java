package io.minicluster.scheduler.framework;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A node and the non-terminal pods bound (or assumed bound) to it, with what they request and which host ports they
 * use: the scheduler's framework.NodeInfo, computed once per scheduling cycle.
 */
public final class NodeInfo {
  private final ObjectNode node;
  private final List<ObjectNode> pods;
  private final Resources requested;
  private final Resources nonZeroRequested;
  private final List<HostPort> usedPorts;
  private final Resources allocatable;
  private final long allowedPods;

  private NodeInfo(ObjectNode node, List<ObjectNode> pods) {
    this.node = node;
    this.pods = List.copyOf(pods);
    Resources sum = Resources.ZERO;
    Resources nonZeroSum = Resources.ZERO;
    List<HostPort> ports = new ArrayList<>();
    for (ObjectNode pod : pods) {
      sum = sum.plus(PodResources.requests(pod));
      nonZeroSum = nonZeroSum.plus(PodResources.nonZeroRequests(pod));
      ports.addAll(hostPorts(pod));
    }
    this.requested = sum;
    this.nonZeroRequested = nonZeroSum;
    this.usedPorts = List.copyOf(ports);
    JsonNode allocatableList = Json.get(Json.get(node, "status"), "allocatable");
    this.allocatable = PodResources.fromList(allocatableList);
    this.allowedPods = PodResources.podCount(allocatableList);
  }

  /** A node with the pods on it (callers pass only non-terminal pods whose spec.nodeName is this node). */
  public static NodeInfo of(ObjectNode node, List<ObjectNode> pods) {
    requireNonNull(node, "node is null");
    requireNonNull(pods, "pods is null");
    return new NodeInfo(node, pods);
  }

  public String name() {
    return Meta.name(node);
  }

  public ObjectNode node() {
    return node;
  }

  public List<ObjectNode> pods() {
    return pods;
  }

  public Resources requested() {
    return requested;
  }

  public Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  public Resources allocatable() {
    return allocatable;
  }

  public long allowedPods() {
    return allowedPods;
  }

  public List<HostPort> usedPorts() {
    return usedPorts;
  }

  /** The host ports a pod wants: of its containers and of its restartable init containers (sidecars). */
  public static List<HostPort> hostPorts(JsonNode pod) {
    JsonNode spec = Json.get(pod, "spec");
    List<JsonNode> containers = new ArrayList<>(Json.elements(spec, "containers"));
    for (JsonNode init : Json.elements(spec, "initContainers")) {
      if ("Always".equals(Json.text(init, "restartPolicy"))) {
        containers.add(init);
      }
    }
    List<HostPort> result = new ArrayList<>();
    for (JsonNode container : containers) {
      for (JsonNode port : Json.elements(container, "ports")) {
        long hostPort = Json.number(port, "hostPort", 0);
        if (hostPort > 0) {
          result.add(new HostPort(Json.text(port, "hostIP"), Json.text(port, "protocol"), (int) hostPort));
        }
      }
    }
    return result;
  }
}
