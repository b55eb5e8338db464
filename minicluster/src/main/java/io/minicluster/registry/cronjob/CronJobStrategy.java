package io.minicluster.registry.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.batch.CronSchedule;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.job.JobStrategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * batch/v1 CronJobs, as pkg/registry/batch/cronjob and SetDefaults_CronJob: concurrencyPolicy Allow, suspend false,
 * successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1, the job template's pod defaults; an empty status on create;
 * ValidateCronJobCreate/Update: the schedule (robfig/cron's messages), timeZone, concurrencyPolicy, history limits,
 * the job template (its selector generated per job), and names of at most 52 characters on create.
 */
public final class CronJobStrategy implements Strategy {
  private static final List<String> CONCURRENCY_POLICIES = List.of("Allow", "Forbid", "Replace");
  private static final Pattern TIME_ZONE_PART = Pattern.compile("^[A-Za-z.\\-_0-9+]{1,14}$");
  /** DNS1035LabelMaxLength minus the 11 characters of "-<timestamp>" the controller appends. */
  private static final int MAX_NAME_LENGTH = 52;

  @Override
  public ResourceType type() {
    return ResourceTypes.CRON_JOBS;
  }

  @Override
  public void applyDefaults(ObjectNode cronJob) {
    ObjectNode spec = Json.with(cronJob, "spec");
    Json.defaultText(spec, "concurrencyPolicy", "Allow");
    Json.defaultBoolean(spec, "suspend", false);
    Json.defaultNumber(spec, "successfulJobsHistoryLimit", 3);
    Json.defaultNumber(spec, "failedJobsHistoryLimit", 1);
    JsonNode podTemplate = Json.at(spec, "jobTemplate", "spec", "template");
    if (podTemplate instanceof ObjectNode template) {
      PodSpecDefaults.apply(Json.with(template, "spec"));
    }
  }

  @Override
  public void prepareForCreate(ObjectNode cronJob) {
    cronJob.putObject("status");
  }

  @Override
  public List<FieldError> validate(ObjectNode cronJob) {
    List<FieldError> errors = new ArrayList<>(validateSpec(Json.get(cronJob, "spec"), null));
    String name = Meta.name(cronJob);
    if (name.length() > MAX_NAME_LENGTH) {
      errors.add(FieldError.invalid("metadata.name", name, "must be no more than 52 characters"));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode cronJob, ObjectNode old) {
    return validateSpec(Json.get(cronJob, "spec"), Json.get(old, "spec"));
  }

  private static List<FieldError> validateSpec(JsonNode spec, JsonNode oldSpec) {
    List<FieldError> errors = new ArrayList<>();
    String schedule = Json.text(spec, "schedule");
    String timeZone = Json.textOrNull(spec, "timeZone");
    if (schedule.isEmpty()) {
      errors.add(FieldError.required("spec.schedule", ""));
    } else {
      String error = CronSchedule.error(schedule);
      if (error != null) {
        errors.add(FieldError.invalid("spec.schedule", schedule, error));
      }
      boolean allowTz = oldSpec != null && Json.text(oldSpec, "schedule").contains("TZ");
      if (allowTz && schedule.contains("TZ") && timeZone != null) {
        errors.add(FieldError.invalid("spec.schedule", schedule,
            "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
      } else if (!allowTz && schedule.contains("TZ")) {
        errors.add(FieldError.invalid("spec.schedule", schedule,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
      }
    }
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "startingDeadlineSeconds", "spec.startingDeadlineSeconds"));
    if (oldSpec == null || !Objects.equals(timeZone, Json.textOrNull(oldSpec, "timeZone"))) {
      errors.addAll(validateTimeZone(timeZone));
    }
    String policy = Json.text(spec, "concurrencyPolicy");
    if (policy.isEmpty()) {
      errors.add(FieldError.required("spec.concurrencyPolicy", ""));
    } else if (!CONCURRENCY_POLICIES.contains(policy)) {
      errors.add(FieldError.notSupported("spec.concurrencyPolicy", policy, CONCURRENCY_POLICIES));
    }
    errors.addAll(validateJobTemplate(Json.get(Json.get(spec, "jobTemplate"), "spec")));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "successfulJobsHistoryLimit",
        "spec.successfulJobsHistoryLimit"));
    errors.addAll(ObjectMetaValidation.nonNegative(spec, "failedJobsHistoryLimit", "spec.failedJobsHistoryLimit"));
    return errors;
  }

  /** ValidateJobTemplateSpec: a job spec whose selector the API server generates. */
  private static List<FieldError> validateJobTemplate(JsonNode jobSpec) {
    String path = "spec.jobTemplate.spec";
    List<FieldError> errors = new ArrayList<>(JobStrategy.validateTemplateSpec(jobSpec, path));
    JsonNode selector = Json.get(jobSpec, "selector");
    if (selector != null && !selector.isNull()) {
      errors.add(FieldError.invalid(path + ".selector", GoValue.labelSelector(selector),
          "`selector` will be auto-generated"));
    }
    if (Json.bool(jobSpec, "manualSelector")) {
      errors.add(FieldError.notSupported(path + ".manualSelector", true, List.of("nil", "false")));
    }
    return errors;
  }

  private static List<FieldError> validateTimeZone(String timeZone) {
    if (timeZone == null) {
      return List.of();
    }
    if (timeZone.isEmpty()) {
      return List.of(FieldError.invalid("spec.timeZone", "", "timeZone must be nil or non-empty string"));
    }
    for (String part : timeZone.split("/", -1)) {
      if (part.equals(".") || part.equals("..") || part.startsWith("-") || !TIME_ZONE_PART.matcher(part).matches()) {
        return List.of(FieldError.invalid("spec.timeZone", timeZone, "unknown time zone " + timeZone));
      }
    }
    if (timeZone.equalsIgnoreCase("Local")) {
      return List.of(FieldError.invalid("spec.timeZone", timeZone,
          "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
    }
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      return List.of(FieldError.invalid("spec.timeZone", timeZone, "unknown time zone " + timeZone));
    }
    return List.of();
  }
}
