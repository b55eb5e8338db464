package io.minicluster.controller.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import java.util.function.UnaryOperator;

/**
 * Wraps a read-modify-write function so that its result carries no resourceVersion. GenericRegistry.guaranteedUpdate
 * treats a resourceVersion in the result as a caller's precondition and then does not retry on conflict; the copy it
 * hands to the function always carries one, so without this a concurrent write fails the update instead of retrying
 * it. The store write stays conditional on the revision that was read.
 */
public final class Unpinned {
  private Unpinned() {}

  public static UnaryOperator<ObjectNode> of(UnaryOperator<ObjectNode> change) {
    return current -> {
      ObjectNode result = change.apply(current);
      if (result != null) {
        Meta.metadata(result).remove("resourceVersion");
      }
      return result;
    };
  }

  /** {@link io.minicluster.client.Client#modify}, retrying on conflict. */
  public static ObjectNode modify(io.minicluster.client.Client client, io.minicluster.api.ResourceType type,
      String namespace, String name, UnaryOperator<ObjectNode> change) {
    return client.modify(type, namespace, name, of(change));
  }

  /** {@link io.minicluster.client.Client#modifyStatus}, retrying on conflict. */
  public static ObjectNode modifyStatus(io.minicluster.client.Client client, io.minicluster.api.ResourceType type,
      String namespace, String name, UnaryOperator<ObjectNode> change) {
    return client.modifyStatus(type, namespace, name, of(change));
  }

  /** {@link io.minicluster.client.Client#modifySystem}, retrying on conflict. */
  public static ObjectNode modifySystem(io.minicluster.client.Client client, io.minicluster.api.ResourceType type,
      String namespace, String name, UnaryOperator<ObjectNode> change) {
    return client.modifySystem(type, namespace, name, of(change));
  }
}
