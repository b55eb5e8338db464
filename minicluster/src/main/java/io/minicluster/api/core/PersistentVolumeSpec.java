package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import java.util.List;
import java.util.Map;

/**
 * v1.PersistentVolumeSpec with the sources the daemon can serve (hostPath and local, each null when unset; local's
 * path is {@code localPath}, "" when unset); claimRef, volumeMode, nodeAffinity (its required node selector) and
 * volumeAttributesClassName are null when unset.
 */
public record PersistentVolumeSpec(Map<String, Quantity> capacity, List<String> accessModes, ObjectReference claimRef,
    String persistentVolumeReclaimPolicy, String storageClassName, List<String> mountOptions, String volumeMode,
    NodeSelector nodeAffinity, HostPathVolumeSource hostPath, String localPath, String volumeAttributesClassName) {
  public static final String RETAIN = "Retain";
  public static final String DELETE = "Delete";

  public PersistentVolumeSpec {
    capacity = Map.copyOf(capacity);
    accessModes = List.copyOf(accessModes);
    mountOptions = List.copyOf(mountOptions);
  }

  public static PersistentVolumeSpec from(JsonNode node) {
    JsonNode local = JsonValues.child(node, "local");
    return new PersistentVolumeSpec(JsonValues.quantities(node, "capacity"), JsonValues.strings(node, "accessModes"),
        JsonValues.optional(node, "claimRef", ObjectReference::from),
        JsonValues.string(node, "persistentVolumeReclaimPolicy"), JsonValues.string(node, "storageClassName"),
        JsonValues.strings(node, "mountOptions"), JsonValues.optionalString(node, "volumeMode"),
        JsonValues.optional(JsonValues.child(node, "nodeAffinity"), "required", NodeSelector::from),
        JsonValues.optional(node, "hostPath", HostPathVolumeSource::from), JsonValues.string(local, "path"),
        JsonValues.optionalString(node, "volumeAttributesClassName"));
  }
}
