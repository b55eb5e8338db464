package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.PersistentVolumeClaim as consumers read it from an informer (and a StatefulSet's claim templates). */
public record PersistentVolumeClaim(ObjectMeta metadata, PersistentVolumeClaimSpec spec,
    PersistentVolumeClaimStatus status) {

  public PersistentVolumeClaim {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static PersistentVolumeClaim from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return fromTree(object);
  }

  /** A claim from any node (a claim template inside a StatefulSet); null gives an empty claim. */
  public static PersistentVolumeClaim fromTree(JsonNode node) {
    return new PersistentVolumeClaim(ObjectMeta.of(node),
        PersistentVolumeClaimSpec.from(JsonValues.child(node, "spec")),
        PersistentVolumeClaimStatus.from(JsonValues.child(node, "status")));
  }
}
