package io.minicluster.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * metrics.k8s.io NodeMetrics: the node's usage over {@code window}, ending at {@code timestamp}.
 *
 * @param labels the node's labels (metrics-server copies them, so that label selectors work)
 */
public record NodeMetrics(String name, Map<String, String> labels, Instant timestamp, Duration window, Usage usage) {
  public NodeMetrics {
    requireNonNull(name, "name is null");
    labels = Map.copyOf(labels);
    requireNonNull(timestamp, "timestamp is null");
    requireNonNull(window, "window is null");
    requireNonNull(usage, "usage is null");
  }
}
