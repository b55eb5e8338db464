package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.PodTemplateSpec;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;

/** apps/v1 DaemonSetSpec; selector and revisionHistoryLimit are null when unset (the registry defaults the limit). */
public record DaemonSetSpec(LabelSelector selector, PodTemplateSpec template, DaemonSetUpdateStrategy updateStrategy,
    int minReadySeconds, Integer revisionHistoryLimit) {

  public static DaemonSetSpec from(JsonNode node) {
    return new DaemonSetSpec(LabelSelector.optional(node, "selector"),
        JsonValues.struct(node, "template", PodTemplateSpec::from),
        JsonValues.struct(node, "updateStrategy", DaemonSetUpdateStrategy::from),
        JsonValues.int32(node, "minReadySeconds"), JsonValues.optionalInt32(node, "revisionHistoryLimit"));
  }
}
