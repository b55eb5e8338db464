package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.client.Client;

/**
 * Binds through the API's binding subresource ({@link Client#bind}), with the pod's uid as precondition: the same
 * validation as a Binding posted over HTTP (a pod already assigned, being deleted or replaced is refused with 409).
 */
public final class ApiBinder implements Binder {
  private final Client client;

  public ApiBinder(Client client) {
    this.client = requireNonNull(client, "client is null");
  }

  @Override
  public ObjectNode bind(ObjectNode pod, String nodeName) {
    requireNonNull(pod, "pod is null");
    requireNonNull(nodeName, "nodeName is null");
    return client.bind(Meta.namespace(pod), Meta.name(pod), nodeName, Meta.uid(pod));
  }
}
