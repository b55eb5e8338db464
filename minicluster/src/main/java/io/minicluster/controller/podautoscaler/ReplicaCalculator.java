package io.minicluster.controller.podautoscaler;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.resource.Quantity;
import io.minicluster.controller.podautoscaler.PodMetricsSource.PodMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replica calculator of pkg/controller/podautoscaler (replica_calculator.go) for resource metrics: the usage ratio
 * to the target over the pods that have metrics, no change within the tolerance, pods being deleted or failed
 * ignored, pending and (for CPU) not-yet-ready pods left out, and, when pods lack metrics or unready pods would count
 * on a scale up, a second ratio where those pods count as using nothing (scale up) or their whole request / the
 * target (scale down), which may not reverse the direction.
 */
final class ReplicaCalculator {
  /** The default --horizontal-pod-autoscaler-tolerance. */
  static final double DEFAULT_TOLERANCE = 0.1;
  /** The default --horizontal-pod-autoscaler-cpu-initialization-period. */
  static final Duration DEFAULT_CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
  /** The default --horizontal-pod-autoscaler-initial-readiness-delay. */
  static final Duration DEFAULT_INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

  private final double tolerance;
  private final Duration cpuInitializationPeriod;
  private final Duration initialReadinessDelay;

  ReplicaCalculator(double tolerance, Duration cpuInitializationPeriod, Duration initialReadinessDelay) {
    this.tolerance = tolerance;
    this.cpuInitializationPeriod = requireNonNull(cpuInitializationPeriod, "cpuInitializationPeriod is null");
    this.initialReadinessDelay = requireNonNull(initialReadinessDelay, "initialReadinessDelay is null");
  }

  static ReplicaCalculator defaults() {
    return new ReplicaCalculator(DEFAULT_TOLERANCE, DEFAULT_CPU_INITIALIZATION_PERIOD, DEFAULT_INITIAL_READINESS_DELAY);
  }

  /**
   * A proposal: the replica count, the utilization in percent of the requests (null for an average value target)
   * and the average usage in milli-units.
   */
  record Proposal(int replicas, Integer utilization, long rawAverage) {}

  /** GetResourceReplicas: for an averageUtilization target (percent of the pods' requests). */
  Proposal resourceReplicas(int currentReplicas, int targetUtilization, String resource, List<Pod> pods,
      Map<String, PodMetric> podMetrics, Instant now) throws MetricsException {
    Groups groups = group(pods, podMetrics, resource, now);
    Map<String, Long> metrics = groups.metrics;
    Map<String, Long> requests = requests(pods, resource);
    Utilization first = utilization(metrics, requests, targetUtilization);
    boolean scaleUpWithUnready = !groups.unready.isEmpty() && first.ratio > 1.0;
    if (!scaleUpWithUnready && groups.missing.isEmpty()) {
      if (Math.abs(1.0 - first.ratio) <= tolerance) {
        return new Proposal(currentReplicas, first.percent, first.rawAverage);
      }
      return new Proposal((int) Math.ceil(first.ratio * groups.ready), first.percent, first.rawAverage);
    }
    if (!groups.missing.isEmpty()) {
      // scale down: missing pods use their whole request (or the target above 100%); scale up: nothing
      long fallback = Math.max(100, targetUtilization);
      for (String pod : groups.missing) {
        metrics.put(pod, first.ratio < 1.0 ? requests.getOrDefault(pod, 0L) * fallback / 100 : 0L);
      }
    }
    if (scaleUpWithUnready) {
      groups.unready.forEach(pod -> metrics.put(pod, 0L));
    }
    double ratio = utilization(metrics, requests, targetUtilization).ratio;
    int replicas = rebalanced(currentReplicas, first.ratio, ratio, metrics.size());
    return new Proposal(replicas, first.percent, first.rawAverage);
  }

  /** GetRawResourceReplicas: for an averageValue target (milli-units per pod). */
  Proposal rawResourceReplicas(int currentReplicas, long targetMilli, String resource, List<Pod> pods,
      Map<String, PodMetric> podMetrics, Instant now) throws MetricsException {
    Groups groups = group(pods, podMetrics, resource, now);
    Map<String, Long> metrics = groups.metrics;
    long usage = average(metrics);
    double firstRatio = (double) usage / targetMilli;
    boolean scaleUpWithUnready = !groups.unready.isEmpty() && firstRatio > 1.0;
    if (!scaleUpWithUnready && groups.missing.isEmpty()) {
      if (Math.abs(1.0 - firstRatio) <= tolerance) {
        return new Proposal(currentReplicas, null, usage);
      }
      return new Proposal((int) Math.ceil(firstRatio * groups.ready), null, usage);
    }
    for (String pod : groups.missing) {
      metrics.put(pod, firstRatio < 1.0 ? targetMilli : 0L);
    }
    if (scaleUpWithUnready) {
      groups.unready.forEach(pod -> metrics.put(pod, 0L));
    }
    double ratio = (double) average(metrics) / targetMilli;
    return new Proposal(rebalanced(currentReplicas, firstRatio, ratio, metrics.size()), null, usage);
  }

  /** The second pass: no change within the tolerance or when the direction would turn. */
  private int rebalanced(int currentReplicas, double firstRatio, double ratio, int counted) {
    if (Math.abs(1.0 - ratio) <= tolerance || (firstRatio < 1.0 && ratio > 1.0) || (firstRatio > 1.0 && ratio < 1.0)) {
      return currentReplicas;
    }
    int replicas = (int) Math.ceil(ratio * counted);
    if ((ratio < 1.0 && replicas > currentReplicas) || (ratio > 1.0 && replicas < currentReplicas)) {
      return currentReplicas;
    }
    return replicas;
  }

  private static long average(Map<String, Long> metrics) {
    long total = 0;
    for (long value : metrics.values()) {
      total += value;
    }
    return total / metrics.size();
  }

  private record Utilization(double ratio, int percent, long rawAverage) {}

  /** GetResourceUtilizationRatio over the pods with both a metric and a request. */
  private static Utilization utilization(Map<String, Long> metrics, Map<String, Long> requests, int target)
      throws MetricsException {
    long metricsTotal = 0;
    long requestsTotal = 0;
    int entries = 0;
    for (Map.Entry<String, Long> metric : metrics.entrySet()) {
      Long request = requests.get(metric.getKey());
      if (request == null) {
        continue;
      }
      metricsTotal += metric.getValue();
      requestsTotal += request;
      entries++;
    }
    if (requestsTotal == 0) {
      throw new MetricsException("no metrics returned matched known pods");
    }
    int percent = (int) (metricsTotal * 100 / requestsTotal);
    return new Utilization((double) percent / target, percent, metricsTotal / entries);
  }

  /** calculatePodRequests: each pod's request of the resource over its containers, in milli-units. */
  private static Map<String, Long> requests(List<Pod> pods, String resource) throws MetricsException {
    Map<String, Long> requests = new HashMap<>();
    for (Pod pod : pods) {
      long total = 0;
      for (Container container : pod.spec().containers()) {
        Quantity request = container.resources().requests().get(resource);
        if (request == null) {
          throw new MetricsException("missing request for " + resource + " in container " + container.name()
              + " of Pod " + pod.metadata().name());
        }
        total += request.milliValue();
      }
      requests.put(pod.metadata().name(), total);
    }
    return requests;
  }

  private static final class Groups {
    /** The metrics of the ready pods, by name (the others are added with their assumed usage). */
    private final Map<String, Long> metrics = new HashMap<>();
    private int ready;
    private final Set<String> unready = new HashSet<>();
    private final Set<String> missing = new HashSet<>();
  }

  /**
   * groupPods: ready pods with metrics are counted (their metrics kept); deleted and failed pods are ignored; pending
   * pods, and for CPU pods not ready or still initializing, are unready; the rest lack metrics. Fails without pods
   * or without a ready pod's metrics.
   */
  private Groups group(List<Pod> pods, Map<String, PodMetric> podMetrics, String resource, Instant now)
      throws MetricsException {
    if (pods.isEmpty()) {
      throw new MetricsException("no pods returned by selector while calculating replica count");
    }
    Groups groups = new Groups();
    for (Pod pod : pods) {
      String name = pod.metadata().name();
      if (pod.metadata().deletionTimestamp() != null || "Failed".equals(pod.status().phase())) {
        continue;
      }
      if ("Pending".equals(pod.status().phase())) {
        groups.unready.add(name);
        continue;
      }
      PodMetric metric = podMetrics.get(name);
      if (metric == null) {
        groups.missing.add(name);
        continue;
      }
      if (resource.equals("cpu") && unready(pod, metric, now)) {
        groups.unready.add(name);
        continue;
      }
      groups.metrics.put(name, metric.milliValue());
      groups.ready++;
    }
    if (groups.metrics.isEmpty()) {
      throw new MetricsException("did not receive metrics for targeted pods (pods might be unready)");
    }
    return groups;
  }

  private boolean unready(Pod pod, PodMetric metric, Instant now) {
    Condition ready = pod.status().condition("Ready").orElse(null);
    Instant started = pod.status().startTime();
    if (ready == null || started == null) {
      return true;
    }
    Instant transition = ready.lastTransitionTime() == null ? Instant.EPOCH : ready.lastTransitionTime();
    if (started.plus(cpuInitializationPeriod).isAfter(now)) {
      // within the initialization period: unready, or no full metric window since it became ready
      return !Condition.TRUE.equals(ready.status()) || metric.timestamp().isBefore(transition.plus(metric.window()));
    }
    // after it: left out only when it is unready and has never been ready
    return Condition.FALSE.equals(ready.status()) && started.plus(initialReadinessDelay).isAfter(transition);
  }
}
