package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ConfigMapEnvSource: all keys of a ConfigMap as environment variables. */
public record ConfigMapEnvSource(String name, Boolean optional) {

  public static ConfigMapEnvSource from(JsonNode node) {
    return new ConfigMapEnvSource(JsonValues.string(node, "name"), JsonValues.optionalBool(node, "optional"));
  }

  /** Whether the ConfigMap may be missing ({@code optional: true}). */
  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
