package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.PersistentVolume as consumers read it from an informer. */
public record PersistentVolume(ObjectMeta metadata, PersistentVolumeSpec spec, PersistentVolumeStatus status) {

  public PersistentVolume {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static PersistentVolume from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new PersistentVolume(ObjectMeta.of(object), PersistentVolumeSpec.from(JsonValues.child(object, "spec")),
        PersistentVolumeStatus.from(JsonValues.child(object, "status")));
  }
}
