package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ObjectFieldSelector: a field of the pod, e.g. {@code metadata.labels['app']} or {@code status.podIP}. */
public record ObjectFieldSelector(String apiVersion, String fieldPath) {

  public static ObjectFieldSelector from(JsonNode node) {
    return new ObjectFieldSelector(JsonValues.string(node, "apiVersion"), JsonValues.string(node, "fieldPath"));
  }
}
