package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Pod;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.PodResources;
import io.minicluster.scheduler.framework.Resources;
import io.minicluster.scheduler.framework.ScorePlugin;

/**
 * NodeResourcesFit's LeastAllocated strategy: prefers nodes with the most CPU and memory left after placing the pod,
 * equally weighted, counting containers without requests at the scheduler's defaults (100m, 200Mi).
 */
public final class LeastAllocated implements ScorePlugin {

  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public long score(Pod pod, NodeInfo node) {
    Resources requested = node.nonZeroRequested().plus(PodResources.nonZeroRequests(pod));
    Resources allocatable = node.allocatable();
    long cpu = leastRequested(requested.milliCpu(), allocatable.milliCpu());
    long memory = leastRequested(requested.memory(), allocatable.memory());
    return (cpu + memory) / 2;
  }

  static long leastRequested(long requested, long capacity) {
    if (capacity <= 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX_SCORE / capacity;
  }
}
