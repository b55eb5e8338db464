package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.Namespace as consumers read it from an informer. */
public record Namespace(ObjectMeta metadata, NamespaceSpec spec, NamespaceStatus status) {

  public Namespace {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  /** Whether objects may be created in it: neither marked for deletion nor in phase Terminating. */
  public boolean active() {
    return !metadata.isDeleting() && !"Terminating".equals(status.phase());
  }

  public static Namespace from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Namespace(ObjectMeta.of(object), NamespaceSpec.from(JsonValues.child(object, "spec")),
        NamespaceStatus.from(JsonValues.child(object, "status")));
  }
}
