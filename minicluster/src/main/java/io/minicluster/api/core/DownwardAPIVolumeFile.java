package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.DownwardAPIVolumeFile: one of fieldRef and resourceFieldRef is set, the other is null. */
public record DownwardAPIVolumeFile(String path, ObjectFieldSelector fieldRef, ResourceFieldSelector resourceFieldRef,
    Integer mode) {

  public static DownwardAPIVolumeFile from(JsonNode node) {
    return new DownwardAPIVolumeFile(JsonValues.string(node, "path"),
        JsonValues.optional(node, "fieldRef", ObjectFieldSelector::from),
        JsonValues.optional(node, "resourceFieldRef", ResourceFieldSelector::from),
        JsonValues.optionalInt32(node, "mode"));
  }
}
