package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.EnvVarSource: exactly one of the sources is set, the others are null. */
public record EnvVarSource(ObjectFieldSelector fieldRef, ResourceFieldSelector resourceFieldRef,
    ConfigMapKeySelector configMapKeyRef, SecretKeySelector secretKeyRef) {

  public static EnvVarSource from(JsonNode node) {
    return new EnvVarSource(JsonValues.optional(node, "fieldRef", ObjectFieldSelector::from),
        JsonValues.optional(node, "resourceFieldRef", ResourceFieldSelector::from),
        JsonValues.optional(node, "configMapKeyRef", ConfigMapKeySelector::from),
        JsonValues.optional(node, "secretKeyRef", SecretKeySelector::from));
  }
}
