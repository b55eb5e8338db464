package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Affinity;
import io.minicluster.api.core.NodeSelector;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.helper.NodeSelectors;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;

/**
 * Rejects nodes that do not match the pod's {@code spec.nodeSelector} or its
 * {@code affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution}.
 */
public final class NodeAffinity implements FilterPlugin {
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    if (!NodeSelectors.matchesNodeSelector(pod.spec().nodeSelector(), node.node())) {
      return Status.unresolvable(REASON);
    }
    NodeSelector required = required(pod.spec().affinity());
    if (required != null && !NodeSelectors.matchesTerms(required, node.node())) {
      return Status.unresolvable(REASON);
    }
    return Status.SUCCESS;
  }

  private static NodeSelector required(Affinity affinity) {
    if (affinity == null || affinity.nodeAffinity() == null) {
      return null;
    }
    return affinity.nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution();
  }
}
