package io.minicluster.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** metrics.k8s.io PodMetrics: each container's usage over {@code window}, ending at {@code timestamp}. */
public record PodMetrics(String namespace, String name, Map<String, String> labels, Instant timestamp,
    Duration window, List<ContainerMetrics> containers) {
  public PodMetrics {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(name, "name is null");
    labels = Map.copyOf(labels);
    requireNonNull(timestamp, "timestamp is null");
    requireNonNull(window, "window is null");
    containers = List.copyOf(containers);
  }

  /** One container's usage. */
  public record ContainerMetrics(String name, Usage usage) {
    public ContainerMetrics {
      requireNonNull(name, "name is null");
      requireNonNull(usage, "usage is null");
    }
  }
}
