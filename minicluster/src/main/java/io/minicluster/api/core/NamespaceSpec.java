package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.NamespaceSpec: the finalizers that must be removed before the namespace is deleted ("kubernetes"). */
public record NamespaceSpec(List<String> finalizers) {

  public NamespaceSpec {
    finalizers = List.copyOf(finalizers);
  }

  public static NamespaceSpec from(JsonNode node) {
    return new NamespaceSpec(JsonValues.strings(node, "finalizers"));
  }
}
