package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Taint;
import io.minicluster.api.core.helper.Tolerations;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;
import java.util.Optional;

/**
 * Rejects nodes with a NoSchedule or NoExecute taint the pod does not tolerate (PreferNoSchedule is only a
 * preference). This is also how not-ready nodes are avoided: the node lifecycle adds
 * {@code node.kubernetes.io/not-ready:NoSchedule}.
 */
public final class TaintToleration implements FilterPlugin {
  public static final String REASON = "node(s) had untolerated taint(s)";

  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    Optional<Taint> untolerated = Tolerations.firstUntolerated(node.node().spec().taints(),
        pod.spec().tolerations(), taint -> taint.effect().equals(Tolerations.NO_SCHEDULE)
            || taint.effect().equals(Tolerations.NO_EXECUTE));
    return untolerated.isPresent() ? Status.unresolvable(REASON) : Status.SUCCESS;
  }
}
