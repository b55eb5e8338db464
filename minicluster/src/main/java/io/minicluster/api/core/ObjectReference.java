package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.ObjectReference. */
public record ObjectReference(String kind, String namespace, String name, String uid, String apiVersion,
    String resourceVersion, String fieldPath) {

  /** A reference to a whole object (no fieldPath) of a kind, by its metadata (as reference.GetReference). */
  public static ObjectReference to(String apiVersion, String kind, ObjectMeta metadata) {
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(metadata, "metadata is null");
    return new ObjectReference(kind, metadata.namespace(), metadata.name(), metadata.uid(), apiVersion,
        metadata.resourceVersion(), "");
  }

  public static ObjectReference from(JsonNode node) {
    return new ObjectReference(JsonValues.string(node, "kind"), JsonValues.string(node, "namespace"),
        JsonValues.string(node, "name"), JsonValues.string(node, "uid"), JsonValues.string(node, "apiVersion"),
        JsonValues.string(node, "resourceVersion"), JsonValues.string(node, "fieldPath"));
  }
}
