package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.VolumeProjection: one source is set, the others are null. */
public record VolumeProjection(SecretProjection secret, DownwardAPIProjection downwardAPI,
    ConfigMapProjection configMap, ServiceAccountTokenProjection serviceAccountToken) {

  public static VolumeProjection from(JsonNode node) {
    return new VolumeProjection(JsonValues.optional(node, "secret", SecretProjection::from),
        JsonValues.optional(node, "downwardAPI", DownwardAPIProjection::from),
        JsonValues.optional(node, "configMap", ConfigMapProjection::from),
        JsonValues.optional(node, "serviceAccountToken", ServiceAccountTokenProjection::from));
  }
}
