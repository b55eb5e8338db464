package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ConfigMapKeySelector: a key of a ConfigMap in the pod's namespace. */
public record ConfigMapKeySelector(String name, String key, Boolean optional) {

  public static ConfigMapKeySelector from(JsonNode node) {
    return new ConfigMapKeySelector(JsonValues.string(node, "name"), JsonValues.string(node, "key"),
        JsonValues.optionalBool(node, "optional"));
  }

  /** Whether the ConfigMap or key may be missing ({@code optional: true}). */
  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
