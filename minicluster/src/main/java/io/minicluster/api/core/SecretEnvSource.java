package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.SecretEnvSource: all keys of a Secret as environment variables. */
public record SecretEnvSource(String name, Boolean optional) {

  public static SecretEnvSource from(JsonNode node) {
    return new SecretEnvSource(JsonValues.string(node, "name"), JsonValues.optionalBool(node, "optional"));
  }

  /** Whether the Secret may be missing ({@code optional: true}). */
  public boolean isOptional() {
    return Boolean.TRUE.equals(optional);
  }
}
