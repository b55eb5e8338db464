package io.minicluster.controller.podautoscaler;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.labels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the autoscaler reads of metrics.k8s.io (upstream's resource metrics client over PodMetrics): the last sample
 * of each pod of a namespace whose labels match a selector. The wiring implements it over the daemon's metrics
 * sampler; tests use a fake.
 */
public interface PodMetricsSource {
  /** No metrics at all (a daemon without a node agent or with sampling off). */
  PodMetricsSource NONE = (namespace, selector, resource) -> Map.of();

  /**
   * The usage of a resource ("cpu", "memory") by each pod with a reading of every container, by pod name: the sum of
   * its containers' usage in thousandths of the unit (millicores, millibytes), as Quantity.MilliValue.
   */
  Map<String, PodMetric> podMetrics(String namespace, Selector selector, String resource);

  /** One pod's usage over {@code window}, ending at {@code timestamp}. */
  record PodMetric(long milliValue, Instant timestamp, Duration window) {
    public PodMetric {
      requireNonNull(timestamp, "timestamp is null");
      requireNonNull(window, "window is null");
    }
  }
}
