package io.minicluster.controller.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;

/** metadata.finalizers helpers. */
final class Finalizers {
  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";

  private Finalizers() {}

  static boolean has(JsonNode object, String finalizer) {
    JsonNode finalizers = Json.at(object, "metadata", "finalizers");
    if (finalizers != null && finalizers.isArray()) {
      for (JsonNode value : finalizers) {
        if (finalizer.equals(value.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Removes a finalizer from the object; returns whether it was there. */
  static boolean remove(ObjectNode object, String finalizer) {
    ObjectNode metadata = Meta.metadata(object);
    if (!(metadata.get("finalizers") instanceof ArrayNode finalizers)) {
      return false;
    }
    boolean removed = false;
    for (int i = finalizers.size() - 1; i >= 0; i--) {
      if (finalizer.equals(finalizers.get(i).asText())) {
        finalizers.remove(i);
        removed = true;
      }
    }
    if (finalizers.isEmpty()) {
      metadata.remove("finalizers");
    }
    return removed;
  }
}
