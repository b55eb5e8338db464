package io.minicluster.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerPort;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * A node and the non-terminal pods bound (or assumed bound) to it, with what they request and which host ports they
 * use: the scheduler's framework.NodeInfo, computed once per scheduling cycle.
 */
public final class NodeInfo {
  private final Node node;
  private final List<Pod> pods;
  private final Resources requested;
  private final Resources nonZeroRequested;
  private final List<HostPort> usedPorts;
  private final Resources allocatable;
  private final long allowedPods;

  private NodeInfo(Node node, List<Pod> pods) {
    this.node = node;
    this.pods = List.copyOf(pods);
    Resources sum = Resources.ZERO;
    Resources nonZeroSum = Resources.ZERO;
    List<HostPort> ports = new ArrayList<>();
    for (Pod pod : pods) {
      sum = sum.plus(PodResources.requests(pod));
      nonZeroSum = nonZeroSum.plus(PodResources.nonZeroRequests(pod));
      ports.addAll(hostPorts(pod));
    }
    this.requested = sum;
    this.nonZeroRequested = nonZeroSum;
    this.usedPorts = List.copyOf(ports);
    this.allocatable = PodResources.fromList(node.status().allocatable());
    this.allowedPods = PodResources.podCount(node.status().allocatable());
  }

  /** A node with the pods on it (callers pass only non-terminal pods whose spec.nodeName is this node). */
  public static NodeInfo of(Node node, List<Pod> pods) {
    requireNonNull(node, "node is null");
    requireNonNull(pods, "pods is null");
    return new NodeInfo(node, pods);
  }

  public String name() {
    return node.metadata().name();
  }

  public Node node() {
    return node;
  }

  public List<Pod> pods() {
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
