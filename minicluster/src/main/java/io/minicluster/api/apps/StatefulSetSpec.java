package io.minicluster.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.core.PodTemplateSpec;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;
import java.util.List;

/**
 * apps/v1 StatefulSetSpec; replicas, selector, revisionHistoryLimit and ordinalsStart are null when unset; the
 * update strategy's partition and maxUnavailable likewise (the registry defaults them for RollingUpdate), and the
 * retention policy's fields are "" when unset (the registry defaults both to Retain).
 */
public record StatefulSetSpec(Integer replicas, LabelSelector selector, PodTemplateSpec template,
    List<PersistentVolumeClaim> volumeClaimTemplates, String serviceName, String podManagementPolicy,
    String updateStrategyType, Integer partition, IntOrString maxUnavailable, Integer revisionHistoryLimit,
    int minReadySeconds, String whenDeleted, String whenScaled, Integer ordinalsStart) {
  public static final String ORDERED_READY = "OrderedReady";
  public static final String PARALLEL = "Parallel";
  public static final String ROLLING_UPDATE = "RollingUpdate";
  public static final String ON_DELETE = "OnDelete";

  public StatefulSetSpec {
    volumeClaimTemplates = List.copyOf(volumeClaimTemplates);
  }

  public static StatefulSetSpec from(JsonNode node) {
    JsonNode strategy = JsonValues.child(node, "updateStrategy");
    JsonNode rollingUpdate = JsonValues.child(strategy, "rollingUpdate");
    JsonNode retention = JsonValues.child(node, "persistentVolumeClaimRetentionPolicy");
    return new StatefulSetSpec(JsonValues.optionalInt32(node, "replicas"), LabelSelector.optional(node, "selector"),
        JsonValues.struct(node, "template", PodTemplateSpec::from),
        JsonValues.list(node, "volumeClaimTemplates", PersistentVolumeClaim::fromTree),
        JsonValues.string(node, "serviceName"), JsonValues.string(node, "podManagementPolicy"),
        JsonValues.string(strategy, "type"), JsonValues.optionalInt32(rollingUpdate, "partition"),
        IntOrString.optional(rollingUpdate, "maxUnavailable"),
        JsonValues.optionalInt32(node, "revisionHistoryLimit"), JsonValues.int32(node, "minReadySeconds"),
        JsonValues.string(retention, "whenDeleted"), JsonValues.string(retention, "whenScaled"),
        JsonValues.optionalInt32(JsonValues.child(node, "ordinals"), "start"));
  }
}
