package io.minicluster.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
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
  public Status filter(ObjectNode pod, NodeInfo node) {
    JsonNode spec = Json.get(pod, "spec");
    JsonNode nodeSelector = Json.get(spec, "nodeSelector");
    if (nodeSelector != null && !NodeSelectors.matchesNodeSelector(nodeSelector, node.node())) {
      return Status.unresolvable(REASON);
    }
    JsonNode required = Json.get(Json.get(Json.get(spec, "affinity"), "nodeAffinity"),
        "requiredDuringSchedulingIgnoredDuringExecution");
    if (required != null && !NodeSelectors.matchesTerms(required, node.node())) {
      return Status.unresolvable(REASON);
    }
    return Status.SUCCESS;
  }
}
