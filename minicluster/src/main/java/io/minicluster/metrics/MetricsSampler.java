package io.minicluster.metrics;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the node and the running pods' containers, one reading each per round, and keeps the last two readings of
 * each to tell a CPU rate, as metrics-server does from the kubelet's summaries: a pod is reported only when it runs and
 * every one of its containers has a usage. Rounds run one at a time (the caller's timer); the engine calls of a round
 * run on {@code executor}, whose size bounds how many are in flight. A round with no running pods makes no engine call.
 */
public final class MetricsSampler {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);

  private final String nodeName;
  private final Supplier<Optional<Node>> node;
  private final Supplier<List<Pod>> pods;
  private final StatsSource source;
  private final Executor executor;
  private Readings nodeReadings;
  /** By engine container id; only the sampling round touches it. */
  private Map<String, Readings> containerReadings = new HashMap<>();
  private volatile MetricsSnapshot snapshot = MetricsSnapshot.EMPTY;

  /**
   * @param node the node object (its labels are reported), empty before it is registered
   * @param pods the pods bound to this node
   */
  public MetricsSampler(String nodeName, Supplier<Optional<Node>> node, Supplier<List<Pod>> pods, StatsSource source,
      Executor executor) {
    this.nodeName = requireNonNull(nodeName, "nodeName is null");
    this.node = requireNonNull(node, "node is null");
    this.pods = requireNonNull(pods, "pods is null");
    this.source = requireNonNull(source, "source is null");
    this.executor = requireNonNull(executor, "executor is null");
  }

  /** What the last round could tell. */
  public MetricsSnapshot snapshot() {
    return snapshot;
  }

  /**
   * One round for a timer: {@link #sample()}, and a failure logged rather than thrown (a periodic task that throws is
   * never run again).
   */
  public void sampleLogged() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.warn("sampling resource usage failed", e);
    }
  }

  /** One sampling round; never throws for a failed reading (that container or the node is left out). */
  public synchronized void sample() {
    NodeMetrics nodeMetrics = sampleNode();
    Map<Pod, Map<String, String>> running = new LinkedHashMap<>();
    for (Pod pod : pods.get()) {
      containerIds(pod).ifPresent(ids -> running.put(pod, ids));
    }
    Map<String, CompletableFuture<Optional<Sample>>> readings = new LinkedHashMap<>();
    for (Map<String, String> ids : running.values()) {
      for (String id : ids.values()) {
        readings.put(id, CompletableFuture.supplyAsync(() -> readContainer(id), executor));
      }
    }
    Map<String, Readings> next = new HashMap<>();
    readings.forEach((id, reading) -> reading.join()
        .ifPresent(sample -> next.put(id, Readings.next(containerReadings.get(id), sample))));
    containerReadings = next;
    List<PodMetrics> podMetrics = new ArrayList<>();
    running.forEach((pod, ids) -> podMetrics(pod, ids).ifPresent(podMetrics::add));
    snapshot = new MetricsSnapshot(nodeMetrics, podMetrics);
  }

  private NodeMetrics sampleNode() {
    Optional<Sample> reading;
    try {
      reading = source.node();
    } catch (RuntimeException e) {
      LOG.debug("reading the node's usage failed: {}", e.toString());
      reading = Optional.empty();
    }
    if (reading.isEmpty()) {
      nodeReadings = null;
      return null;
    }
    nodeReadings = Readings.next(nodeReadings, reading.get());
    Optional<Usage> usage = nodeReadings.usage();
    Optional<Node> registered = node.get();
    if (usage.isEmpty() || registered.isEmpty()) {
      return null;
    }
    return new NodeMetrics(nodeName, registered.get().metadata().labels(), nodeReadings.latest.time(),
        nodeReadings.window(), usage.get());
  }

  private Optional<Sample> readContainer(String id) {
    try {
      return source.container(id);
    } catch (RuntimeException e) {
      LOG.debug("reading the usage of container {} failed: {}", id, e.toString());
      return Optional.empty();
    }
  }

  /**
   * The engine id of each of a running pod's containers by name; empty unless the pod runs and every container of its
   * spec runs (as metrics-server, which drops a pod missing any container's metrics).
   */
  static Optional<Map<String, String>> containerIds(Pod pod) {
    if (!Pod.RUNNING.equals(pod.status().phase()) || pod.metadata().isDeleting()) {
      return Optional.empty();
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (Container container : pod.spec().containers()) {
      Optional<ContainerStatus> status = pod.status().containerStatuses().stream()
          .filter(s -> s.name().equals(container.name())).findFirst();
      if (status.isEmpty() || status.get().state().running() == null || status.get().containerID().isEmpty()) {
        return Optional.empty();
      }
      String containerId = status.get().containerID();
      ids.put(container.name(), containerId.substring(containerId.indexOf("://") + 3));
    }
    return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
  }

  private Optional<PodMetrics> podMetrics(Pod pod, Map<String, String> ids) {
    List<PodMetrics.ContainerMetrics> containers = new ArrayList<>();
    Instant timestamp = Instant.EPOCH;
    Duration window = Duration.ZERO;
    for (Map.Entry<String, String> container : ids.entrySet()) {
      Readings readings = containerReadings.get(container.getValue());
      Optional<Usage> usage = readings == null ? Optional.empty() : readings.usage();
      if (usage.isEmpty()) {
        return Optional.empty();
      }
      containers.add(new PodMetrics.ContainerMetrics(container.getKey(), usage.get()));
      if (readings.latest.time().isAfter(timestamp)) {
        timestamp = readings.latest.time();
      }
      if (readings.window().compareTo(window) > 0) {
        window = readings.window();
      }
    }
    return Optional.of(new PodMetrics(pod.metadata().namespace(), pod.metadata().name(), pod.metadata().labels(),
        timestamp, window, containers));
  }

  /** The last two readings of one container or of the node; {@code previous} is null after the first. */
  private record Readings(Sample previous, Sample latest) {
    static Readings next(Readings readings, Sample sample) {
      return new Readings(readings == null ? null : readings.latest, sample);
    }

    Optional<Usage> usage() {
      return previous == null ? Optional.empty() : latest.usageSince(previous);
    }

    Duration window() {
      return previous == null ? Duration.ZERO : Duration.between(previous.time(), latest.time());
    }
  }
}
