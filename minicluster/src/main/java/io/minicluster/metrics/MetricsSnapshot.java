package io.minicluster.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The usage the last sampling round could tell: the node's, and each running pod's whose containers all had two readings. */
public final class MetricsSnapshot {
  public static final MetricsSnapshot EMPTY = new MetricsSnapshot(null, List.of());

  private final NodeMetrics node;
  /** By "namespace/name", sorted as the apiserver lists. */
  private final Map<String, PodMetrics> pods;

  public MetricsSnapshot(NodeMetrics node, List<PodMetrics> pods) {
    this.node = node;
    Map<String, PodMetrics> byKey = new TreeMap<>();
    for (PodMetrics pod : pods) {
      byKey.put(pod.namespace() + "/" + pod.name(), pod);
    }
    this.pods = byKey;
  }

  public List<NodeMetrics> nodes() {
    return node == null ? List.of() : List.of(node);
  }

  public Optional<NodeMetrics> node(String name) {
    return node != null && node.name().equals(name) ? Optional.of(node) : Optional.empty();
  }

  /** The pods of {@code namespace}, or of every namespace when it is null. */
  public List<PodMetrics> pods(String namespace) {
    return pods.values().stream().filter(pod -> namespace == null || pod.namespace().equals(namespace)).toList();
  }

  public Optional<PodMetrics> pod(String namespace, String name) {
    return Optional.ofNullable(pods.get(namespace + "/" + name));
  }
}
