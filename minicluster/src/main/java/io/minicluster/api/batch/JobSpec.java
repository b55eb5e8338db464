package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.core.PodTemplateSpec;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.meta.LabelSelector;

/**
 * batch/v1 JobSpec; the pointer fields are null when unset (the registry defaults parallelism, completions when
 * parallelism is unset too, backoffLimit, completionMode, suspend, manualSelector and podReplacementPolicy).
 */
public record JobSpec(Integer parallelism, Integer completions, Long activeDeadlineSeconds, Integer backoffLimit,
    Integer backoffLimitPerIndex, Integer maxFailedIndexes, LabelSelector selector, Boolean manualSelector,
    PodTemplateSpec template, Integer ttlSecondsAfterFinished, String completionMode, Boolean suspend,
    String podReplacementPolicy, String managedBy, PodFailurePolicy podFailurePolicy, SuccessPolicy successPolicy) {
  public static final String INDEXED = "Indexed";
  public static final String NON_INDEXED = "NonIndexed";

  public static JobSpec from(JsonNode node) {
    return new JobSpec(JsonValues.optionalInt32(node, "parallelism"), JsonValues.optionalInt32(node, "completions"),
        JsonValues.optionalInt64(node, "activeDeadlineSeconds"), JsonValues.optionalInt32(node, "backoffLimit"),
        JsonValues.optionalInt32(node, "backoffLimitPerIndex"), JsonValues.optionalInt32(node, "maxFailedIndexes"),
        LabelSelector.optional(node, "selector"), JsonValues.optionalBool(node, "manualSelector"),
        JsonValues.struct(node, "template", PodTemplateSpec::from),
        JsonValues.optionalInt32(node, "ttlSecondsAfterFinished"), JsonValues.optionalString(node, "completionMode"),
        JsonValues.optionalBool(node, "suspend"), JsonValues.optionalString(node, "podReplacementPolicy"),
        JsonValues.optionalString(node, "managedBy"),
        JsonValues.optional(node, "podFailurePolicy", PodFailurePolicy::from),
        JsonValues.optional(node, "successPolicy", SuccessPolicy::from));
  }

  /** Whether the Job is suspended (suspend true). */
  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  /** Whether pods get completion indexes (completionMode Indexed). */
  public boolean indexed() {
    return INDEXED.equals(completionMode);
  }
}
