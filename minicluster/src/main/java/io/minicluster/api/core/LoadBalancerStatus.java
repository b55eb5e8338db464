package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.LoadBalancerStatus. */
public record LoadBalancerStatus(List<LoadBalancerIngress> ingress) {

  public LoadBalancerStatus {
    ingress = List.copyOf(ingress);
  }

  public static LoadBalancerStatus from(JsonNode node) {
    return new LoadBalancerStatus(JsonValues.list(node, "ingress", LoadBalancerIngress::from));
  }
}
