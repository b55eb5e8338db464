package io.minicluster.api.apps;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** apps/v1 DaemonSet as consumers read it from an informer. */
public record DaemonSet(ObjectMeta metadata, DaemonSetSpec spec, DaemonSetStatus status) {

  public DaemonSet {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static DaemonSet from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new DaemonSet(ObjectMeta.of(object), DaemonSetSpec.from(JsonValues.child(object, "spec")),
        DaemonSetStatus.from(JsonValues.child(object, "status")));
  }
}
