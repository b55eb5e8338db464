package io.minicluster.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerPort;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * A node and what the non-terminal pods bound (or assumed bound) to it add up to: how many they are, what they request
 * and which host ports they use (the scheduler's framework.NodeInfo).
 */
public final class NodeInfo {
  private final Node node;
  private final int podCount;
  private final Resources requested;
  private final Resources nonZeroRequested;
  private final List<HostPort> usedPorts;
  private final Resources allocatable;
  private final long allowedPods;

  private NodeInfo(Node node, int podCount, Resources requested, Resources nonZeroRequested,
      List<HostPort> usedPorts) {
    this.node = node;
    this.podCount = podCount;
    this.requested = requested;
    this.nonZeroRequested = nonZeroRequested;
    this.usedPorts = List.copyOf(usedPorts);
    this.allocatable = PodResources.fromList(node.status().allocatable());
    this.allowedPods = PodResources.podCount(node.status().allocatable());
  }

  /** A node with the pods on it (callers pass only non-terminal pods whose spec.nodeName is this node). */
  public static NodeInfo of(Node node, List<Pod> pods) {
    requireNonNull(node, "node is null");
    requireNonNull(pods, "pods is null");
    Resources sum = Resources.ZERO;
    Resources nonZeroSum = Resources.ZERO;
    List<HostPort> ports = new ArrayList<>();
    for (Pod pod : pods) {
      sum = sum.plus(PodResources.requests(pod));
      nonZeroSum = nonZeroSum.plus(PodResources.nonZeroRequests(pod));
      ports.addAll(hostPorts(pod));
    }
    return new NodeInfo(node, pods.size(), sum, nonZeroSum, ports);
  }

  /**
   * A node with the totals of the pods on it, kept up to date by the caller as pods come and go (the scheduler's
   * cache) instead of summed from the pods on every scheduling cycle.
   */
  public static NodeInfo of(Node node, int podCount, Resources requested, Resources nonZeroRequested,
      List<HostPort> usedPorts) {
    requireNonNull(node, "node is null");
    requireNonNull(requested, "requested is null");
    requireNonNull(nonZeroRequested, "nonZeroRequested is null");
    requireNonNull(usedPorts, "usedPorts is null");
    return new NodeInfo(node, podCount, requested, nonZeroRequested, usedPorts);
  }

  public String name() {
    return node.metadata().name();
  }

  public Node node() {
    return node;
  }

  /** How many pods are on the node. */
  public int podCount() {
    return podCount;
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
  public static List<HostPort> hostPorts(Pod pod) {
    List<Container> containers = new ArrayList<>(pod.spec().containers());
    for (Container init : pod.spec().initContainers()) {
      if (PodResources.isSidecar(init)) {
        containers.add(init);
      }
    }
    List<HostPort> result = new ArrayList<>();
    for (Container container : containers) {
      for (ContainerPort port : container.ports()) {
        if (port.hostPort() > 0) {
          result.add(new HostPort(port.hostIP(), port.protocol(), port.hostPort()));
        }
      }
    }
    return result;
  }
}
