package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Pod;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.ScorePlugin;
import io.minicluster.scheduler.framework.Status;
import io.minicluster.scheduler.plugins.LeastAllocated;
import io.minicluster.scheduler.plugins.NodeAffinity;
import io.minicluster.scheduler.plugins.NodeName;
import io.minicluster.scheduler.plugins.NodePorts;
import io.minicluster.scheduler.plugins.NodeResourcesFit;
import io.minicluster.scheduler.plugins.NodeUnschedulable;
import io.minicluster.scheduler.plugins.TaintToleration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scheduling cycle over a snapshot of nodes, as schedule_one.go's schedulePod: run the filters on every node (a
 * node's first failing filter decides its status), score the feasible nodes and pick the best (ties: the first by
 * name, for determinism), or explain why none fits. Pure: no I/O, no state.
 */
public final class SchedulingAlgorithm {
  private final List<FilterPlugin> filters;
  private final List<ScorePlugin> scorers;

  public SchedulingAlgorithm(List<FilterPlugin> filters, List<ScorePlugin> scorers) {
    this.filters = List.copyOf(requireNonNull(filters, "filters is null"));
    this.scorers = List.copyOf(requireNonNull(scorers, "scorers is null"));
  }

  /** kube-scheduler's default filter order, and LeastAllocated scoring. */
  public static SchedulingAlgorithm defaults() {
    return new SchedulingAlgorithm(
        List.of(new NodeUnschedulable(), new NodeName(), new TaintToleration(), new NodeAffinity(), new NodePorts(),
            new NodeResourcesFit()),
        List.of(new LeastAllocated()));
  }

  public ScheduleResult schedule(Pod pod, List<NodeInfo> nodes) {
    requireNonNull(pod, "pod is null");
    requireNonNull(nodes, "nodes is null");
    List<NodeInfo> ordered = nodes.stream().sorted(Comparator.comparing(NodeInfo::name)).toList();
    Map<String, Status> failures = new LinkedHashMap<>();
    String best = null;
    long bestScore = -1;
    for (NodeInfo node : ordered) {
      Status status = filter(pod, node);
      if (!status.isSuccess()) {
        failures.put(node.name(), status);
        continue;
      }
      long score = 0;
      for (ScorePlugin scorer : scorers) {
        score += scorer.score(pod, node);
      }
      if (score > bestScore) {
        bestScore = score;
        best = node.name();
      }
    }
    if (best != null) {
      return ScheduleResult.scheduled(best);
    }
    String postFilter = nodes.isEmpty() ? null
        : FitError.preemptionMessage(pod.spec().preemptionPolicy(), nodes.size(), failures);
    return ScheduleResult.unschedulable(new FitError(nodes.size(), failures, postFilter));
  }

  /** The filters on one node: its first failing status, or success. */
  Status filter(Pod pod, NodeInfo node) {
    for (FilterPlugin filter : filters) {
      Status status = filter.filter(pod, node);
      if (!status.isSuccess()) {
        return status;
      }
    }
    return Status.SUCCESS;
  }
}
