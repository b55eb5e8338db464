package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.Service as consumers read it from an informer. */
public record Service(ObjectMeta metadata, ServiceSpec spec, ServiceStatus status) {

  public Service {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static Service from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Service(ObjectMeta.of(object), ServiceSpec.from(JsonValues.child(object, "spec")),
        ServiceStatus.from(JsonValues.child(object, "status")));
  }
}
