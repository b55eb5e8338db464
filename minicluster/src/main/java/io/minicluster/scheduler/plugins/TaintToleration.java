package io.minicluster.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
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
  public Status filter(ObjectNode pod, NodeInfo node) {
    Optional<JsonNode> untolerated = Tolerations.firstUntolerated(
        Json.elements(Json.get(node.node(), "spec"), "taints"),
        Json.elements(Json.get(pod, "spec"), "tolerations"),
        taint -> {
          String effect = Json.text(taint, "effect");
          return effect.equals("NoSchedule") || effect.equals("NoExecute");
        });
    return untolerated.isPresent() ? Status.unresolvable(REASON) : Status.SUCCESS;
  }
}
