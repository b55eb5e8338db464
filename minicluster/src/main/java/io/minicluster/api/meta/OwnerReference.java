package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.JsonNode;

/** metav1.OwnerReference. */
public record OwnerReference(String apiVersion, String kind, String name, String uid, Boolean controller,
    Boolean blockOwnerDeletion) {

  public static OwnerReference from(JsonNode node) {
    return new OwnerReference(JsonValues.string(node, "apiVersion"), JsonValues.string(node, "kind"),
        JsonValues.string(node, "name"), JsonValues.string(node, "uid"), JsonValues.optionalBool(node, "controller"),
        JsonValues.optionalBool(node, "blockOwnerDeletion"));
  }

  /** Whether this reference names the managing controller ({@code controller: true}). */
  public boolean isController() {
    return Boolean.TRUE.equals(controller);
  }
}
