package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.Kinds;

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
  public Pod bind(Pod pod, String nodeName) {
    requireNonNull(pod, "pod is null");
    requireNonNull(nodeName, "nodeName is null");
    ObjectMeta metadata = pod.metadata();
    return Kinds.PODS.decode(client.bind(metadata.namespace(), metadata.name(), nodeName, metadata.uid()));
  }
}
