package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.NodeSpec. */
public record NodeSpec(String podCIDR, List<String> podCIDRs, String providerID, boolean unschedulable,
    List<Taint> taints) {

  public NodeSpec {
    podCIDRs = List.copyOf(podCIDRs);
    taints = List.copyOf(taints);
  }

  public static NodeSpec from(JsonNode node) {
    return new NodeSpec(JsonValues.string(node, "podCIDR"), JsonValues.strings(node, "podCIDRs"),
        JsonValues.string(node, "providerID"), JsonValues.bool(node, "unschedulable"),
        JsonValues.list(node, "taints", Taint::from));
  }
}
