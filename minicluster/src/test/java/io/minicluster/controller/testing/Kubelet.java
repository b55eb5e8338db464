package io.minicluster.controller.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import java.time.Instant;

/** Writes pod status as a node agent would, for tests without one. */
public final class Kubelet {
  private Kubelet() {}

  /** Running, with the Ready condition set to {@code ready} since {@code since}, and a pod IP. */
  public static ObjectNode setReady(Client client, String namespace, String name, boolean ready, Instant since,
      String podIp) {
    return client.modifyStatus(ResourceTypes.PODS, namespace, name,
        pod -> {
      ObjectNode status = pod.with("status");
      status.put("phase", "Running");
      if (podIp != null) {
        status.put("podIP", podIp);
        status.putArray("podIPs").addObject().put("ip", podIp);
      }
      var conditions = status.putArray("conditions");
      ObjectNode condition = conditions.addObject();
      condition.put("type", "Ready");
      condition.put("status", ready ? "True" : "False");
      condition.put("lastTransitionTime", Meta.timestamp(since));
      return pod;
    });
  }
}
