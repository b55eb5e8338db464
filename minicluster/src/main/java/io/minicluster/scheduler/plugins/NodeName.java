package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Pod;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;

/**
 * A pod naming a node in {@code spec.nodeName} fits only that node. The scheduler never picks up such pods (they are
 * bound already); the filter keeps the plugin set complete for callers that evaluate arbitrary pods.
 */
public final class NodeName implements FilterPlugin {
  public static final String REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return "NodeName";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    String wanted = pod.spec().nodeName();
    return wanted.isEmpty() || wanted.equals(node.name()) ? Status.SUCCESS : Status.unresolvable(REASON);
  }
}
