package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.PersistentVolumeClaimVolumeSource. */
public record PersistentVolumeClaimVolumeSource(String claimName, boolean readOnly) {

  public static PersistentVolumeClaimVolumeSource from(JsonNode node) {
    return new PersistentVolumeClaimVolumeSource(JsonValues.string(node, "claimName"),
        JsonValues.bool(node, "readOnly"));
  }
}
