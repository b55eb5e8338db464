package io.minicluster.api.quota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.ResourceQuota as consumers read it from an informer: its metadata and hard limits (spec and status). */
public record ResourceQuota(ObjectMeta metadata, ResourceList specHard, ResourceList statusHard) {
  public ResourceQuota {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(specHard, "specHard is null");
    requireNonNull(statusHard, "statusHard is null");
  }

  public static ResourceQuota from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new ResourceQuota(ObjectMeta.of(object), ResourceList.from(JsonValues.child(object, "spec"), "hard"),
        ResourceList.from(JsonValues.child(object, "status"), "hard"));
  }
}
