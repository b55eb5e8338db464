package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.Node as consumers read it from an informer. */
public record Node(ObjectMeta metadata, NodeSpec spec, NodeStatus status) {

  public Node {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static Node from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Node(ObjectMeta.of(object), NodeSpec.from(JsonValues.child(object, "spec")),
        NodeStatus.from(JsonValues.child(object, "status")));
  }
}
