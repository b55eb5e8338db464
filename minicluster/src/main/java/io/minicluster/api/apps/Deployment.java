package io.minicluster.api.apps;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** apps/v1 Deployment as consumers read it from an informer. */
public record Deployment(ObjectMeta metadata, DeploymentSpec spec, DeploymentStatus status) {

  public Deployment {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static Deployment from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Deployment(ObjectMeta.of(object), DeploymentSpec.from(JsonValues.child(object, "spec")),
        DeploymentStatus.from(JsonValues.child(object, "status")));
  }
}
