package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.ConfigMapVolumeSource; defaultMode null when unset (the registry defaults 0644). */
public record ConfigMapVolumeSource(String name, List<KeyToPath> items, Integer defaultMode, Boolean optional) {

  public ConfigMapVolumeSource {
    items = List.copyOf(items);
  }

  public static ConfigMapVolumeSource from(JsonNode node) {
    return new ConfigMapVolumeSource(JsonValues.string(node, "name"), JsonValues.list(node, "items", KeyToPath::from),
        JsonValues.optionalInt32(node, "defaultMode"), JsonValues.optionalBool(node, "optional"));
  }

  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
