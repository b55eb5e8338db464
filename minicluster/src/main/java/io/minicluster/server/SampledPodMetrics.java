package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.labels.Selector;
import io.minicluster.controller.podautoscaler.PodMetricsSource;
import io.minicluster.metrics.MetricsSnapshot;
import io.minicluster.metrics.PodMetrics;
import io.minicluster.metrics.Usage;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The autoscaler's view of metrics.k8s.io over the daemon's metrics sampler, as upstream's resource metrics client
 * lists PodMetrics by label selector: each pod's usage summed over its containers, CPU in millicores (rounded up, as
 * Quantity.MilliValue) and memory in millibytes.
 */
final class SampledPodMetrics implements PodMetricsSource {
  private static final long NANOS_PER_MILLI = 1_000_000;

  private final Supplier<MetricsSnapshot> snapshots;

  SampledPodMetrics(Supplier<MetricsSnapshot> snapshots) {
    this.snapshots = requireNonNull(snapshots, "snapshots is null");
  }

  @Override
  public Map<String, PodMetric> podMetrics(String namespace, Selector selector, String resource) {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(selector, "selector is null");
    requireNonNull(resource, "resource is null");
    Map<String, PodMetric> result = new HashMap<>();
    if (!resource.equals("cpu") && !resource.equals("memory")) {
      return result;
    }
    for (PodMetrics pod : snapshots.get().pods(namespace)) {
      if (!selector.matches(pod.labels())) {
        continue;
      }
      long total = 0;
      for (PodMetrics.ContainerMetrics container : pod.containers()) {
        Usage usage = container.usage();
        total += resource.equals("cpu")
            ? (usage.cpuNanoCores() + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI : usage.memoryBytes() * 1000;
      }
      result.put(pod.name(), new PodMetric(total, pod.timestamp(), pod.window()));
    }
    return result;
  }
}
