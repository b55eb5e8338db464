package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.SecretKeySelector: a key of a Secret in the pod's namespace. */
public record SecretKeySelector(String name, String key, Boolean optional) {

  public static SecretKeySelector from(JsonNode node) {
    return new SecretKeySelector(JsonValues.string(node, "name"), JsonValues.string(node, "key"),
        JsonValues.optionalBool(node, "optional"));
  }

  /** Whether the Secret or key may be missing ({@code optional: true}). */
  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
