package io.minicluster.scheduler;

import io.minicluster.registry.pod.PodBinding;
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
    return client.modifySystem(ResourceTypes.PODS, namespace, name,
        current -> PodBinding.bind(current, nodeName, expectedUid, null, now));
  }
}
