package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.PodTemplateSpec;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;

/**
 * apps/v1 DeploymentSpec; replicas, selector, revisionHistoryLimit and progressDeadlineSeconds are null when unset
 * (the registry defaults them).
 */
public record DeploymentSpec(Integer replicas, LabelSelector selector, PodTemplateSpec template,
    DeploymentStrategy strategy, int minReadySeconds, Integer revisionHistoryLimit, boolean paused,
    Integer progressDeadlineSeconds) {

  public static DeploymentSpec from(JsonNode node) {
    return new DeploymentSpec(JsonValues.optionalInt32(node, "replicas"), LabelSelector.optional(node, "selector"),
        JsonValues.struct(node, "template", PodTemplateSpec::from),
        JsonValues.struct(node, "strategy", DeploymentStrategy::from), JsonValues.int32(node, "minReadySeconds"),
        JsonValues.optionalInt32(node, "revisionHistoryLimit"), JsonValues.bool(node, "paused"),
        JsonValues.optionalInt32(node, "progressDeadlineSeconds"));
  }
}
