package io.minicluster.api.apps;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** apps/v1 StatefulSet as consumers read it from an informer. */
public record StatefulSet(ObjectMeta metadata, StatefulSetSpec spec, StatefulSetStatus status) {

  public StatefulSet {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static StatefulSet from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new StatefulSet(ObjectMeta.of(object), StatefulSetSpec.from(JsonValues.child(object, "spec")),
        StatefulSetStatus.from(JsonValues.child(object, "status")));
  }
}
