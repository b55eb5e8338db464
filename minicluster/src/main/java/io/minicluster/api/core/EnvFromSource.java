package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.EnvFromSource: a prefix and one of a ConfigMap or a Secret (the other is null). */
public record EnvFromSource(String prefix, ConfigMapEnvSource configMapRef, SecretEnvSource secretRef) {

  public static EnvFromSource from(JsonNode node) {
    return new EnvFromSource(JsonValues.string(node, "prefix"),
        JsonValues.optional(node, "configMapRef", ConfigMapEnvSource::from),
        JsonValues.optional(node, "secretRef", SecretEnvSource::from));
  }
}
