package io.minicluster.api.autoscaling;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** autoscaling/v2 HorizontalPodAutoscaler as consumers read it from an informer. */
public record HorizontalPodAutoscaler(ObjectMeta metadata, HorizontalPodAutoscalerSpec spec,
    HorizontalPodAutoscalerStatus status) {

  public HorizontalPodAutoscaler {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(status, "status is null");
  }

  public static HorizontalPodAutoscaler from(ObjectNode object) {
    requireNonNull(object, "object is null");
    return new HorizontalPodAutoscaler(ObjectMeta.of(object),
        HorizontalPodAutoscalerSpec.from(JsonValues.child(object, "spec")),
        HorizontalPodAutoscalerStatus.from(JsonValues.child(object, "status")));
  }
}
