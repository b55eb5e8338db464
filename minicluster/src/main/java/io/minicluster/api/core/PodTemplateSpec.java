package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.ObjectMeta;

/** v1.PodTemplateSpec, the pod template of a workload. */
public record PodTemplateSpec(ObjectMeta metadata, PodSpec spec) {
  public static final PodTemplateSpec EMPTY = new PodTemplateSpec(ObjectMeta.EMPTY, PodSpec.EMPTY);

  /** The template object; {@link #EMPTY} for null. */
  public static PodTemplateSpec from(JsonNode node) {
    if (node == null) {
      return EMPTY;
    }
    return new PodTemplateSpec(ObjectMeta.of(node), PodSpec.from(JsonValues.child(node, "spec")));
  }
}
