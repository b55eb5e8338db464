package io.minicluster.scheduler;

import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.scheduler.framework.HostPort;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.PodResources;
import io.minicluster.scheduler.framework.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pods on each node add up to, kept up to date from the pod informer's changes (kube-scheduler's cache), so
 * that a scheduling cycle costs as much with 10,000 pods on the node as with ten: each pod counts on its node while it
 * is bound and not terminal, from the version the informer showed last. Thread-safe: the informer's dispatch thread
 * changes it while the scheduler's worker reads it.
 */
final class NodeUsage {
  /** One node's totals. */
  private static final class Totals {
    int pods;
    Resources requested = Resources.ZERO;
    Resources nonZeroRequested = Resources.ZERO;
    /** Host ports in use, with how many pods use each. */
    final Map<HostPort, Integer> ports = new HashMap<>();

    boolean isEmpty() {
      return pods == 0;
    }
  }

  private final Map<String, Totals> byNode = new HashMap<>();
  /** The keys of the pods counted in {@link #byNode}. */
  private final Set<String> counted = new HashSet<>();

  /** Whether a pod counts on its node: bound and not terminal (pods being deleted still hold their resources). */
  static boolean counts(Pod pod) {
    return !pod.spec().nodeName().isEmpty() && !pod.isTerminal();
  }

  /** A pod changed from {@code old} (null: it is new) to {@code pod} (null: it is gone). */
  synchronized void changed(Pod old, Pod pod) {
    if (old != null && counts(old)) {
      add(old, -1);
      counted.remove(old.key());
    }
    if (pod != null && counts(pod)) {
      add(pod, 1);
      counted.add(pod.key());
    }
  }

  /**
   * Whether the totals count the pod with this key. The informer's cache shows a binding before its handler tells
   * these totals, so an assumed pod is left out of a snapshot only once this says so, never on the cache's word.
   */
  synchronized boolean counts(String key) {
    return counted.contains(key);
  }

  private void add(Pod pod, int sign) {
    String nodeName = pod.spec().nodeName();
    Totals totals = byNode.computeIfAbsent(nodeName, name -> new Totals());
    Resources requests = PodResources.requests(pod);
    Resources nonZero = PodResources.nonZeroRequests(pod);
    totals.pods += sign;
    totals.requested = sign > 0 ? totals.requested.plus(requests) : totals.requested.minus(requests);
    totals.nonZeroRequested = sign > 0 ? totals.nonZeroRequested.plus(nonZero)
        : totals.nonZeroRequested.minus(nonZero);
    for (HostPort port : NodeInfo.hostPorts(pod)) {
      totals.ports.merge(port, sign, Integer::sum);
      totals.ports.remove(port, 0);
    }
    if (totals.isEmpty()) {
      byNode.remove(nodeName);
    }
  }

  /** The node with the totals of its pods plus those of {@code assumed}, pods placed on it not shown bound yet. */
  synchronized NodeInfo nodeInfo(Node node, List<Pod> assumed) {
    Totals totals = byNode.get(node.metadata().name());
    int pods = totals == null ? 0 : totals.pods;
    Resources requested = totals == null ? Resources.ZERO : totals.requested;
    Resources nonZero = totals == null ? Resources.ZERO : totals.nonZeroRequested;
    List<HostPort> ports = new ArrayList<>();
    if (totals != null) {
      totals.ports.forEach((port, count) -> {
        for (int i = 0; i < count; i++) {
          ports.add(port);
        }
      });
    }
    for (Pod pod : assumed) {
      pods++;
      requested = requested.plus(PodResources.requests(pod));
      nonZero = nonZero.plus(PodResources.nonZeroRequests(pod));
      ports.addAll(NodeInfo.hostPorts(pod));
    }
    return NodeInfo.of(node, pods, requested, nonZero, ports);
  }
}
