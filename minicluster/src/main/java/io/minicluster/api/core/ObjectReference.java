package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.ObjectReference. */
public record ObjectReference(String kind, String namespace, String name, String uid, String apiVersion,
    String resourceVersion, String fieldPath) {

  public static ObjectReference from(JsonNode node) {
    return new ObjectReference(JsonValues.string(node, "kind"), JsonValues.string(node, "namespace"),
        JsonValues.string(node, "name"), JsonValues.string(node, "uid"), JsonValues.string(node, "apiVersion"),
        JsonValues.string(node, "resourceVersion"), JsonValues.string(node, "fieldPath"));
  }
}
