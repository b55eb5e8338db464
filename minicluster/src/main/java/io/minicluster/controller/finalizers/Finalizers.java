package io.minicluster.controller.finalizers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.meta.ObjectMeta;
import java.util.ArrayList;
import java.util.List;

/** Finalizers: the garbage collector's in metadata.finalizers, the namespace controller's in spec.finalizers. */
public final class Finalizers {
  public static final String FOREGROUND = "foregroundDeletion";
  public static final String ORPHAN = "orphan";

  private Finalizers() {}

  public static boolean has(JsonNode object, String finalizer) {
    return ObjectMeta.of(object).hasFinalizer(finalizer);
  }

  /** The finalizers without every occurrence of one; null when it is not among them (nothing to change). */
  public static List<String> without(List<String> finalizers, String finalizer) {
    if (!finalizers.contains(finalizer)) {
      return null;
    }
    List<String> rest = new ArrayList<>(finalizers);
    rest.removeIf(finalizer::equals);
    return rest;
  }

  /** Removes a finalizer from the object's metadata.finalizers (the field goes when empty); whether it was there. */
  public static boolean remove(ObjectNode object, String finalizer) {
    List<String> rest = without(ObjectMeta.of(object).finalizers(), finalizer);
    if (rest == null) {
      return false;
    }
    ObjectNode metadata = Meta.metadata(object);
    if (rest.isEmpty()) {
      metadata.remove("finalizers");
    } else {
      ArrayNode finalizers = metadata.putArray("finalizers");
      rest.forEach(finalizers::add);
    }
    return true;
  }
}
