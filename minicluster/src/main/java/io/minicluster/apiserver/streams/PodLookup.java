package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;

/** Reads a pod for the streaming subresources. */
@FunctionalInterface
public interface PodLookup {
  /**
   * The pod in its wire form.
   *
   * @throws io.minicluster.api.ApiException 404 NotFound when it does not exist (answered to the client as is)
   */
  ObjectNode pod(String namespace, String name);

  /** A lookup through the in-process API client. */
  static PodLookup of(Client client) {
    requireNonNull(client, "client is null");
    return (namespace, name) -> client.get(ResourceTypes.PODS, namespace, name);
  }
}
