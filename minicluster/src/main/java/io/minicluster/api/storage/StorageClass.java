package io.minicluster.api.storage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * storage.k8s.io/v1 StorageClass; reclaimPolicy, volumeBindingMode and allowVolumeExpansion are null when unset (the
 * registry defaults the first two).
 */
public record StorageClass(ObjectMeta metadata, String provisioner, Map<String, String> parameters,
    String reclaimPolicy, List<String> mountOptions, Boolean allowVolumeExpansion, String volumeBindingMode) {
  /** The annotation that marks the default class, and its beta predecessor. */
  public static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  public static final String IMMEDIATE = "Immediate";

  public StorageClass {
    requireNonNull(metadata, "metadata is null");
    parameters = Map.copyOf(parameters);
    mountOptions = List.copyOf(mountOptions);
  }

  public static StorageClass from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new StorageClass(ObjectMeta.of(object), JsonValues.string(object, "provisioner"),
        JsonValues.stringMap(object, "parameters"), JsonValues.optionalString(object, "reclaimPolicy"),
        JsonValues.strings(object, "mountOptions"), JsonValues.optionalBool(object, "allowVolumeExpansion"),
        JsonValues.optionalString(object, "volumeBindingMode"));
  }

  /** IsDefaultAnnotation: marked default by either annotation with the value "true". */
  public boolean isDefault() {
    return "true".equals(metadata.annotations().get(DEFAULT_ANNOTATION))
        || "true".equals(metadata.annotations().get(BETA_DEFAULT_ANNOTATION));
  }
}
