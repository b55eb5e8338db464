package io.minicluster.scheduler.plugins;

import io.minicluster.api.core.Pod;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.HostPort;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;
import java.util.List;

/** Rejects nodes where a host port the pod wants is already used (same protocol and port, overlapping host IP). */
public final class NodePorts implements FilterPlugin {
  public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return "NodePorts";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    List<HostPort> wanted = NodeInfo.hostPorts(pod);
    for (HostPort port : wanted) {
      for (HostPort used : node.usedPorts()) {
        if (port.conflictsWith(used)) {
          return Status.unschedulable(REASON);
        }
      }
    }
    return Status.SUCCESS;
  }
}
