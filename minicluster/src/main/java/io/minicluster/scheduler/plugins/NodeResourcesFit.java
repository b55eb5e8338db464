package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Pod;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.PodResources;
import io.minicluster.scheduler.framework.Resources;
import io.minicluster.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rejects nodes whose allocatable resources, less what the pods already on them request, cannot hold the pod's
 * requests (noderesources.Fit): pod count, CPU, memory, ephemeral storage and extended resources, each failing
 * resource being one reason ("Insufficient cpu", "Too many pods").
 */
public final class NodeResourcesFit implements FilterPlugin {
  public static final String TOO_MANY_PODS = "Too many pods";

  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    List<String> reasons = new ArrayList<>();
    if (node.podCount() + 1 > node.allowedPods()) {
      reasons.add(TOO_MANY_PODS);
    }
    Resources wanted = PodResources.requests(pod);
    Resources allocatable = node.allocatable();
    Resources used = node.requested();
    if (wanted.milliCpu() > 0 && wanted.milliCpu() > allocatable.milliCpu() - used.milliCpu()) {
      reasons.add(insufficient("cpu"));
    }
    if (wanted.memory() > 0 && wanted.memory() > allocatable.memory() - used.memory()) {
      reasons.add(insufficient("memory"));
    }
    if (wanted.ephemeralStorage() > 0
        && wanted.ephemeralStorage() > allocatable.ephemeralStorage() - used.ephemeralStorage()) {
      reasons.add(insufficient("ephemeral-storage"));
    }
    for (Map.Entry<String, Long> entry : wanted.scalar().entrySet()) {
      String name = entry.getKey();
      if (entry.getValue() > 0 && entry.getValue() > allocatable.scalar(name) - used.scalar(name)) {
        reasons.add(insufficient(name));
      }
    }
    return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons.toArray(String[]::new));
  }

  private static String insufficient(String resource) {
    return "Insufficient " + resource;
  }
}
