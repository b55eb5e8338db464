package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.ServiceStatus. */
public record ServiceStatus(LoadBalancerStatus loadBalancer, List<Condition> conditions) {

  public ServiceStatus {
    conditions = List.copyOf(conditions);
  }

  public static ServiceStatus from(JsonNode node) {
    return new ServiceStatus(JsonValues.struct(node, "loadBalancer", LoadBalancerStatus::from),
        Condition.list(node));
  }
}
