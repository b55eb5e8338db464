package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.LoadBalancerIngress; ipMode null when unset. */
public record LoadBalancerIngress(String ip, String hostname, String ipMode, List<PortStatus> ports) {

  public LoadBalancerIngress {
    ports = List.copyOf(ports);
  }

  public static LoadBalancerIngress from(JsonNode node) {
    return new LoadBalancerIngress(JsonValues.string(node, "ip"), JsonValues.string(node, "hostname"),
        JsonValues.optionalString(node, "ipMode"), JsonValues.list(node, "ports", PortStatus::from));
  }
}
