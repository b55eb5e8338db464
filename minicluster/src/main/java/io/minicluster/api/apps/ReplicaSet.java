package io.minicluster.api.apps;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** apps/v1 ReplicaSet as consumers read it from an informer. */
public record ReplicaSet(ObjectMeta metadata, ReplicaSetSpec spec, ReplicaSetStatus status) {

  public ReplicaSet {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static ReplicaSet from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new ReplicaSet(ObjectMeta.of(object), ReplicaSetSpec.from(JsonValues.child(object, "spec")),
        ReplicaSetStatus.from(JsonValues.child(object, "status")));
  }
}
