package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Taint;
import io.minicluster.api.core.helper.Tolerations;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;

/** Rejects cordoned nodes ({@code spec.unschedulable}) unless the pod tolerates node.kubernetes.io/unschedulable. */
public final class NodeUnschedulable implements FilterPlugin {
  public static final String REASON = "node(s) were unschedulable";
  public static final String TAINT_KEY = "node.kubernetes.io/unschedulable";
  private static final Taint TAINT = new Taint(TAINT_KEY, "", Tolerations.NO_SCHEDULE, null);

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    if (!node.node().spec().unschedulable()) {
      return Status.SUCCESS;
    }
    return Tolerations.anyTolerates(pod.spec().tolerations(), TAINT) ? Status.SUCCESS : Status.unresolvable(REASON);
  }
}
