package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/**
 * batch/v1 CronJobSpec; timeZone, startingDeadlineSeconds, suspend and the history limits are null when unset (the
 * registry defaults suspend and the limits).
 */
public record CronJobSpec(String schedule, String timeZone, Long startingDeadlineSeconds, String concurrencyPolicy,
    Boolean suspend, JobTemplateSpec jobTemplate, Integer successfulJobsHistoryLimit,
    Integer failedJobsHistoryLimit) {

  public static CronJobSpec from(JsonNode node) {
    return new CronJobSpec(JsonValues.string(node, "schedule"), JsonValues.optionalString(node, "timeZone"),
        JsonValues.optionalInt64(node, "startingDeadlineSeconds"), JsonValues.string(node, "concurrencyPolicy"),
        JsonValues.optionalBool(node, "suspend"), JsonValues.struct(node, "jobTemplate", JobTemplateSpec::from),
        JsonValues.optionalInt32(node, "successfulJobsHistoryLimit"),
        JsonValues.optionalInt32(node, "failedJobsHistoryLimit"));
  }

  /** Whether the CronJob is suspended (suspend true). */
  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }
}
