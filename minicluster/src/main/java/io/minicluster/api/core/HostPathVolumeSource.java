package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.HostPathVolumeSource; type "" when unset (no check), else "Directory", "FileOrCreate"... */
public record HostPathVolumeSource(String path, String type) {

  public static HostPathVolumeSource from(JsonNode node) {
    return new HostPathVolumeSource(JsonValues.string(node, "path"), JsonValues.string(node, "type"));
  }
}
