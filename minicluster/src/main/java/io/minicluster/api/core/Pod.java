package io.minicluster.api.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.Pod as consumers read it from an informer. */
public record Pod(ObjectMeta metadata, PodSpec spec, PodStatus status) {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  public Pod {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static Pod from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new Pod(ObjectMeta.of(object), PodSpec.from(JsonValues.child(object, "spec")),
        PodStatus.from(JsonValues.child(object, "status")));
  }

  /** Whether the pod has finished for good: phase Succeeded or Failed. */
  public boolean isTerminal() {
    return SUCCEEDED.equals(status.phase()) || FAILED.equals(status.phase());
  }

  /** Whether the pod's Ready condition is True (podutil.IsPodReady). */
  public boolean isReady() {
    return Condition.isTrue(status.conditions(), "Ready");
  }

  /** "namespace/name". */
  public String key() {
    return metadata.key();
  }
}
