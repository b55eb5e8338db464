package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/**
 * v1.Volume with its source inline (as in JSON): one of the sources is set, the others are null. Only the kinds of
 * source the node agent supports are modelled; a volume of another kind has all of them null.
 */
public record Volume(String name, EmptyDirVolumeSource emptyDir, HostPathVolumeSource hostPath,
    ConfigMapVolumeSource configMap, SecretVolumeSource secret, DownwardAPIVolumeSource downwardAPI,
    ProjectedVolumeSource projected, PersistentVolumeClaimVolumeSource persistentVolumeClaim) {

  public static Volume from(JsonNode node) {
    return new Volume(JsonValues.string(node, "name"),
        JsonValues.optional(node, "emptyDir", EmptyDirVolumeSource::from),
        JsonValues.optional(node, "hostPath", HostPathVolumeSource::from),
        JsonValues.optional(node, "configMap", ConfigMapVolumeSource::from),
        JsonValues.optional(node, "secret", SecretVolumeSource::from),
        JsonValues.optional(node, "downwardAPI", DownwardAPIVolumeSource::from),
        JsonValues.optional(node, "projected", ProjectedVolumeSource::from),
        JsonValues.optional(node, "persistentVolumeClaim", PersistentVolumeClaimVolumeSource::from));
  }
}
