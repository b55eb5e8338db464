package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.VolumeMount; mountPropagation is "" when unset. */
public record VolumeMount(String name, boolean readOnly, String mountPath, String subPath, String mountPropagation,
    String subPathExpr) {

  public static VolumeMount from(JsonNode node) {
    return new VolumeMount(JsonValues.string(node, "name"), JsonValues.bool(node, "readOnly"),
        JsonValues.string(node, "mountPath"), JsonValues.string(node, "subPath"),
        JsonValues.string(node, "mountPropagation"), JsonValues.string(node, "subPathExpr"));
  }
}
