package io.minicluster.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.minicluster.scheduler.framework.FilterPlugin;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;

/** Rejects cordoned nodes ({@code spec.unschedulable}) unless the pod tolerates node.kubernetes.io/unschedulable. */
public final class NodeUnschedulable implements FilterPlugin {
  public static final String REASON = "node(s) were unschedulable";
  public static final String TAINT_KEY = "node.kubernetes.io/unschedulable";

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public Status filter(ObjectNode pod, NodeInfo node) {
    if (!Json.bool(Json.get(node.node(), "spec"), "unschedulable")) {
      return Status.SUCCESS;
    }
    ObjectNode taint = Json.object();
    taint.put("key", TAINT_KEY);
    taint.put("effect", "NoSchedule");
    JsonNode spec = Json.get(pod, "spec");
    return Tolerations.anyTolerates(Json.elements(spec, "tolerations"), taint)
        ? Status.SUCCESS : Status.unresolvable(REASON);
  }
}
