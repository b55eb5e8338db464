package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;
import java.util.List;

/**
 * v1.PersistentVolumeClaimSpec; storageClassName, volumeMode and volumeAttributesClassName are null when unset
 * (a null class asks for the default class, "" for none); selector is null when unset.
 */
public record PersistentVolumeClaimSpec(List<String> accessModes, LabelSelector selector,
    ResourceRequirements resources, String volumeName, String storageClassName, String volumeMode,
    String volumeAttributesClassName) {

  public PersistentVolumeClaimSpec {
    accessModes = List.copyOf(accessModes);
  }

  public static PersistentVolumeClaimSpec from(JsonNode node) {
    return new PersistentVolumeClaimSpec(JsonValues.strings(node, "accessModes"),
        LabelSelector.optional(node, "selector"), JsonValues.struct(node, "resources", ResourceRequirements::from),
        JsonValues.string(node, "volumeName"), JsonValues.optionalString(node, "storageClassName"),
        JsonValues.optionalString(node, "volumeMode"), JsonValues.optionalString(node, "volumeAttributesClassName"));
  }
}
