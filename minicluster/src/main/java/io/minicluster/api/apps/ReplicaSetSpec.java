package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.PodTemplateSpec;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;

/** apps/v1 ReplicaSetSpec; replicas and selector are null when unset. */
public record ReplicaSetSpec(Integer replicas, int minReadySeconds, LabelSelector selector,
    PodTemplateSpec template) {

  public static ReplicaSetSpec from(JsonNode node) {
    return new ReplicaSetSpec(JsonValues.optionalInt32(node, "replicas"), JsonValues.int32(node, "minReadySeconds"),
        LabelSelector.optional(node, "selector"), JsonValues.struct(node, "template", PodTemplateSpec::from));
  }
}
