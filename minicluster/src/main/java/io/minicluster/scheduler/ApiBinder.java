package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import java.time.Clock;

/**
 * Binds through the pods registry's system-update path with the same rules as the binding subresource
 * (ResourceEndpoints.binding): refuses pods being deleted, a changed uid and pods already assigned, sets
 * {@code spec.nodeName} and replaces the PodScheduled condition with True.
 *
 * <p>This duplicates the core of ResourceEndpoints.binding; both should call one shared helper (see the report).
 */
public final class ApiBinder implements Binder {
  private final Client client;
  private final Clock clock;

  public ApiBinder(Client client, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public ObjectNode bind(ObjectNode pod, String nodeName) {
    requireNonNull(pod, "pod is null");
    requireNonNull(nodeName, "nodeName is null");
    String namespace = Meta.namespace(pod);
    String name = Meta.name(pod);
    String expectedUid = Meta.uid(pod);
    String now = Meta.timestamp(clock.instant());
    return client.modifySystem(ResourceTypes.PODS, namespace, name, current -> {
      if (Meta.deleting(current)) {
        throw ApiException.conflict(ResourceTypes.PODS, name, "pod " + name
            + " is being deleted, cannot be assigned to a host");
      }
      if (expectedUid != null && !expectedUid.isEmpty() && !expectedUid.equals(Meta.uid(current))) {
        throw ApiException.conflict(ResourceTypes.PODS, name, "Precondition failed: UID in precondition: "
            + expectedUid + ", UID in object meta: " + Meta.uid(current));
      }
      String assigned = Json.text(current, "spec", "nodeName");
      if (assigned != null && !assigned.isEmpty()) {
        throw ApiException.conflict(ResourceTypes.PODS, name, "pod " + name + " is already assigned to node \""
            + assigned + "\"");
      }
      Json.with(current, "spec").put("nodeName", nodeName);
      ObjectNode status = Json.with(current, "status");
      JsonNode existing = status.get("conditions");
      ArrayNode conditions = existing instanceof ArrayNode array ? array : status.putArray("conditions");
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
          conditions.remove(i);
        }
      }
      ObjectNode condition = conditions.addObject();
      condition.put("type", "PodScheduled");
      condition.put("status", "True");
      condition.putNull("lastProbeTime");
      condition.put("lastTransitionTime", now);
      return current;
    });
  }
}
