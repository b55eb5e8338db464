package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.LocalObjectReference: a name in the same namespace. */
public record LocalObjectReference(String name) {

  public static LocalObjectReference from(JsonNode node) {
    return new LocalObjectReference(JsonValues.string(node, "name"));
  }
}
