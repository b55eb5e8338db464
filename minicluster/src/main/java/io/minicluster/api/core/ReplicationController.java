package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.ReplicationController as consumers read it from an informer. */
public record ReplicationController(ObjectMeta metadata, ReplicationControllerSpec spec,
    ReplicationControllerStatus status) {

  public ReplicationController {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static ReplicationController from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new ReplicationController(ObjectMeta.of(object),
        ReplicationControllerSpec.from(JsonValues.child(object, "spec")),
        ReplicationControllerStatus.from(JsonValues.child(object, "status")));
  }
}
