package io.minicluster.controller.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and building metadata.ownerReferences. */
public final class OwnerReferences {
  private OwnerReferences() {}

  /** The owner references of an object (empty when none). */
  public static List<ObjectNode> of(JsonNode object) {
    List<ObjectNode> result = new ArrayList<>();
    JsonNode references = Json.at(object, "metadata", "ownerReferences");
    if (references != null && references.isArray()) {
      for (JsonNode reference : references) {
        if (reference instanceof ObjectNode node) {
          result.add(node);
        }
      }
    }
    return result;
  }

  /** The reference with controller=true, if any (metav1.GetControllerOf). */
  public static Optional<ObjectNode> controllerOf(JsonNode object) {
    return of(object).stream().filter(r -> r.path("controller").asBoolean(false)).findFirst();
  }

  public static boolean ownedBy(JsonNode object, String ownerUid) {
    return of(object).stream().anyMatch(r -> ownerUid.equals(r.path("uid").asText()));
  }

  /** A controller reference to an owner: controller=true, blockOwnerDeletion=true (metav1.NewControllerRef). */
  public static ObjectNode controllerReference(JsonNode owner) {
    return controllerReference(Json.textOrNull(owner, "apiVersion"), Json.textOrNull(owner, "kind"), Meta.name(owner),
        Meta.uid(owner));
  }

  /** A controller reference to an owner of a type, from its metadata (metav1.NewControllerRef). */
  public static ObjectNode controllerReference(ResourceType ownerType, ObjectMeta owner) {
    return controllerReference(ownerType.apiVersion(), ownerType.kind(), owner.name(), owner.uid());
  }

  private static ObjectNode controllerReference(String apiVersion, String kind, String name, String uid) {
    ObjectNode reference = Json.object();
    reference.put("apiVersion", apiVersion);
    reference.put("kind", kind);
    reference.put("name", name);
    reference.put("uid", uid);
    reference.put("controller", true);
    reference.put("blockOwnerDeletion", true);
    return reference;
  }

  /** Adds a reference to the object's metadata.ownerReferences. */
  public static void add(ObjectNode object, ObjectNode reference) {
    ObjectNode metadata = Meta.metadata(object);
    JsonNode existing = metadata.get("ownerReferences");
    ArrayNode references = existing instanceof ArrayNode array ? array : metadata.putArray("ownerReferences");
    references.add(reference);
  }

  /** Removes every reference with the given owner uid; returns whether one was removed. */
  public static boolean remove(ObjectNode object, String ownerUid) {
    ObjectNode metadata = Meta.metadata(object);
    JsonNode existing = metadata.get("ownerReferences");
    if (!(existing instanceof ArrayNode references)) {
      return false;
    }
    boolean removed = false;
    for (int i = references.size() - 1; i >= 0; i--) {
      if (ownerUid.equals(references.get(i).path("uid").asText())) {
        references.remove(i);
        removed = true;
      }
    }
    if (references.isEmpty()) {
      metadata.remove("ownerReferences");
    }
    return removed;
  }
}
