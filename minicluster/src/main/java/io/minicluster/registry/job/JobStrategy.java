package io.minicluster.registry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * batch/v1 Jobs, as pkg/registry/batch/job and SetDefaults_Job: completions and parallelism 1 when both are unset,
 * parallelism 1, backoffLimit 6 (MaxInt32 with a per-index limit), completionMode NonIndexed, suspend false,
 * manualSelector false, podReplacementPolicy; on create the generated selector and pod labels (unless
 * manualSelector) and an empty status; ValidateJob, and on update the immutable selector, template, completions,
 * completionMode and the policies.
 */
public final class JobStrategy implements Strategy {
  public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
  public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  public static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
  public static final String LEGACY_JOB_NAME_LABEL = "job-name";
  private static final int MAX_PARALLELISM_INDEXED = 100_000;
  private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
  private static final List<String> REPLACEMENT_POLICIES = List.of("Failed", "TerminatingOrFailed");

  @Override
  public ResourceType type() {
    return ResourceTypes.JOBS;
  }

  @Override
  public void applyDefaults(ObjectNode job) {
    ObjectNode spec = Json.with(job, "spec");
    applySpecDefaults(spec);
    copyTemplateLabels(job);
  }

  /** SetDefaults_Job's part on the spec (a CronJob's job template gets none of it, as upstream). */
  private static void applySpecDefaults(ObjectNode spec) {
    if (!Json.has(spec, "completions") && !Json.has(spec, "parallelism")) {
      spec.put("completions", 1);
    }
    Json.defaultNumber(spec, "parallelism", 1);
    if (!Json.has(spec, "backoffLimit")) {
      spec.put("backoffLimit", Json.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    }
    Json.defaultText(spec, "completionMode", "NonIndexed");
    Json.defaultBoolean(spec, "suspend", false);
    ObjectNode failurePolicy = Json.object(spec, "podFailurePolicy");
    for (ObjectNode rule : Json.objects(failurePolicy, "rules")) {
      for (ObjectNode pattern : Json.objects(rule, "onPodConditions")) {
        Json.defaultText(pattern, "status", "True");
      }
    }
    Json.defaultText(spec, "podReplacementPolicy", failurePolicy != null ? "Failed" : "TerminatingOrFailed");
    Json.defaultBoolean(spec, "manualSelector", false);
    PodSpecDefaults.applyToTemplate(spec);
  }

  /** A Job without labels takes its template's (SetDefaults_Job; run again after the generated labels). */
  private static void copyTemplateLabels(ObjectNode job) {
    JsonNode templateLabels = Json.at(job, "spec", "template", "metadata", "labels");
    if (templateLabels != null && templateLabels.isObject() && Json.keys(Json.get(job, "metadata"), "labels").isEmpty()) {
      Json.with(job, "metadata").set("labels", templateLabels.deepCopy());
    }
  }

  /**
   * Status empty; the generated selector and labels. A Job whose labels the defaults took from its template (one
   * shared map upstream, which generateSelector then fills) gets the generated labels too.
   */
  @Override
  public void prepareForCreate(ObjectNode job) {
    job.putObject("status");
    JsonNode labels = Json.at(job, "metadata", "labels");
    boolean sharedWithTemplate = labels != null && !labels.isEmpty()
        && labels.equals(Json.at(job, "spec", "template", "metadata", "labels"));
    if (!Json.bool(Json.get(job, "spec"), "manualSelector")) {
      generateSelector(job);
    }
    if (sharedWithTemplate) {
      Meta.metadata(job).remove("labels");
    }
    copyTemplateLabels(job);
  }

  /**
   * generateSelector: the pod template gets the job-name and controller-uid labels (both prefixed and legacy) unless
   * the user set them, and the selector the prefixed controller-uid.
   */
  private static void generateSelector(ObjectNode job) {
    String name = Meta.name(job);
    String uid = Json.text(Json.get(job, "metadata"), "uid");
    ObjectNode labels = Json.with(Json.with(Json.with(Json.with(job, "spec"), "template"), "metadata"), "labels");
    for (String label : List.of(LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL)) {
      if (!labels.has(label)) {
        labels.put(label, name);
      }
    }
    for (String label : List.of(LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL)) {
      if (!labels.has(label)) {
        labels.put(label, uid);
      }
    }
    ObjectNode matchLabels = Json.with(Json.with(Json.with(job, "spec"), "selector"), "matchLabels");
    if (!matchLabels.has(CONTROLLER_UID_LABEL)) {
      matchLabels.put(CONTROLLER_UID_LABEL, uid);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode job) {
    List<FieldError> errors = new ArrayList<>(validateGeneratedSelector(job));
    JsonNode spec = Json.get(job, "spec");
    errors.addAll(validateSpec(spec, "spec"));
    JsonNode selector = Json.get(spec, "selector");
    if (selector == null) {
      errors.add(FieldError.required("spec.selector", ""));
    } else {
      errors.addAll(ObjectMetaValidation.validateLabelSelector(selector, "spec.selector"));
    }
    JsonNode labels = Json.at(spec, "template", "metadata", "labels");
    if (selector != null && ObjectMetaValidation.validateLabelSelector(selector, "").isEmpty()
        && !ObjectMetaValidation.selectorMatches(selector, labels)) {
      errors.add(FieldError.invalid("spec.template.metadata.labels", GoValue.stringMap(labels),
          "`selector` does not match template `labels`"));
    }
    Long completions = Json.numberOrNull(spec, "completions");
    if (Json.text(spec, "completionMode").equals("Indexed") && completions != null && completions > 0) {
      String hostname = Meta.name(job) + "-" + (completions - 1);
      if (!Formats.dns1123Label(hostname).isEmpty()) {
        errors.add(FieldError.invalid("metadata.name", Meta.name(job),
            "will not able to create pod with invalid DNS label: " + hostname));
      }
    }
    return errors;
  }

  /** validateGeneratedSelector (with the prefixed labels required, as for new Jobs). */
  private static List<FieldError> validateGeneratedSelector(ObjectNode job) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(job, "spec");
    JsonNode selector = Json.get(spec, "selector");
    if (Json.bool(spec, "manualSelector") || selector == null) {
      return errors;
    }
    String uid = Json.text(Json.get(job, "metadata"), "uid");
    String name = Meta.name(job);
    if (uid.isEmpty()) {
      errors.add(FieldError.required("metadata.uid", ""));
    }
    JsonNode labels = Json.at(spec, "template", "metadata", "labels");
    errors.addAll(hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid));
    errors.addAll(hasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
    errors.addAll(hasLabel(labels, CONTROLLER_UID_LABEL, uid));
    errors.addAll(hasLabel(labels, JOB_NAME_LABEL, name));
    ObjectNode expected = Json.object();
    expected.put(CONTROLLER_UID_LABEL, uid).put(JOB_NAME_LABEL, name).put(LEGACY_CONTROLLER_UID_LABEL, uid)
        .put(LEGACY_JOB_NAME_LABEL, name);
    if (ObjectMetaValidation.validateLabelSelector(selector, "").isEmpty()
        && !ObjectMetaValidation.selectorMatches(selector, expected)) {
      errors.add(FieldError.invalid("spec.selector", GoValue.labelSelector(selector), "`selector` not auto-generated"));
    }
    return errors;
  }

  /** ValidateHasLabel. */
  private static List<FieldError> hasLabel(JsonNode labels, String key, String expected) {
    String path = "spec.template.metadata.labels[" + key + "]";
    if (!Json.has(labels, key)) {
      return List.of(FieldError.required(path, "must be '" + expected + "'"));
    }
    String actual = Json.text(labels, key);
    if (!actual.equals(expected)) {
      return List.of(FieldError.invalid(path, actual, "must be '" + expected + "'"));
    }
    return List.of();
  }

  /** validateJobSpec of a CronJob's job template, at its path ("spec.jobTemplate.spec"). */
  public static List<FieldError> validateTemplateSpec(JsonNode spec, String path) {
    return validateSpec(spec, path);
  }

  /** validateJobSpec: what a Job and a CronJob's job template share, at a path ("spec", "spec.jobTemplate.spec"). */
  private static List<FieldError> validateSpec(JsonNode spec, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
        "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes")) {
      errors.addAll(ObjectMetaValidation.nonNegative(spec, field, path + "." + field));
    }
    Long parallelism = Json.numberOrNull(spec, "parallelism");
    Long completions = Json.numberOrNull(spec, "completions");
    Long perIndex = Json.numberOrNull(spec, "backoffLimitPerIndex");
    Long maxFailed = Json.numberOrNull(spec, "maxFailedIndexes");
    if (maxFailed != null && perIndex == null) {
      errors.add(FieldError.required(path + ".backoffLimitPerIndex", "when maxFailedIndexes is specified"));
    }
    String mode = Json.textOrNull(spec, "completionMode");
    if (mode != null) {
      if (!COMPLETION_MODES.contains(mode)) {
        errors.add(FieldError.notSupported(path + ".completionMode", mode, COMPLETION_MODES));
      }
      if (mode.equals("Indexed")) {
        if (completions == null) {
          errors.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
        }
        if (parallelism != null && parallelism > MAX_PARALLELISM_INDEXED) {
          errors.add(FieldError.invalid(path + ".parallelism", parallelism,
              "must be less than or equal to " + MAX_PARALLELISM_INDEXED + " when completion mode is Indexed"));
        }
        if (completions != null && maxFailed != null && maxFailed > completions) {
          errors.add(FieldError.invalid(path + ".maxFailedIndexes", maxFailed,
              "must be less than or equal to completions"));
        }
      }
    }
    if (mode == null || mode.equals("NonIndexed")) {
      if (perIndex != null) {
        errors.add(FieldError.invalid(path + ".backoffLimitPerIndex", perIndex, "requires indexed completion mode"));
      }
      if (maxFailed != null) {
        errors.add(FieldError.invalid(path + ".maxFailedIndexes", maxFailed, "requires indexed completion mode"));
      }
    }
    if (Json.has(spec, "successPolicy") && !"Indexed".equals(mode)) {
      errors.add(FieldError.invalid(path + ".successPolicy", new GoValue(Json.get(spec, "successPolicy").toString()),
          "requires indexed completion mode"));
    }
    String replacement = Json.textOrNull(spec, "podReplacementPolicy");
    if (replacement != null) {
      if (!REPLACEMENT_POLICIES.contains(replacement)) {
        errors.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement, REPLACEMENT_POLICIES));
      } else if (Json.has(spec, "podFailurePolicy") && !replacement.equals("Failed")) {
        errors.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement, List.of("Failed")));
      }
    }
    JsonNode template = Json.get(spec, "template");
    errors.addAll(PodSpecValidation.validateTemplate(template, path + ".template"));
    String restartPolicy = Json.text(Json.get(template, "spec"), "restartPolicy");
    String restartPath = path + ".template.spec.restartPolicy";
    if (restartPolicy.isEmpty() || restartPolicy.equals("Always")) {
      errors.add(FieldError.required(restartPath, "valid values: \"OnFailure\", \"Never\""));
    } else if (!restartPolicy.equals("OnFailure") && !restartPolicy.equals("Never")) {
      errors.add(FieldError.notSupported(restartPath, restartPolicy, List.of("OnFailure", "Never")));
    } else if (Json.has(spec, "podFailurePolicy") && !restartPolicy.equals("Never")) {
      errors.add(FieldError.invalid(restartPath, restartPolicy,
          "only \"Never\" is supported when podFailurePolicy is specified"));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode job, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(job));
    JsonNode spec = Json.get(job, "spec");
    JsonNode oldSpec = Json.get(old, "spec");
    errors.addAll(completionsUpdate(spec, oldSpec));
    errors.addAll(immutable(spec, oldSpec, "selector"));
    errors.addAll(templateUpdate(spec, oldSpec));
    for (String field : List.of("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
        "successPolicy")) {
      errors.addAll(immutable(spec, oldSpec, field));
    }
    return errors;
  }

  /** Completions are fixed, except for Indexed Jobs changing completions and parallelism together. */
  private static List<FieldError> completionsUpdate(JsonNode spec, JsonNode oldSpec) {
    Long completions = Json.numberOrNull(spec, "completions");
    if (Objects.equals(completions, Json.numberOrNull(oldSpec, "completions"))) {
      return List.of();
    }
    if (!Json.text(spec, "completionMode").equals("Indexed")) {
      return immutable(spec, oldSpec, "completions");
    }
    if (completions != null && !completions.equals(Json.numberOrNull(spec, "parallelism"))) {
      return List.of(FieldError.invalid("spec.completions", completions,
          "can only be modified in tandem with spec.parallelism"));
    }
    return List.of();
  }

  /**
   * The template is fixed, except the scheduling directives of a suspended Job that never started
   * (AllowMutableSchedulingDirectives): node affinity, node selector, tolerations, labels, annotations and
   * scheduling gates.
   */
  private static List<FieldError> templateUpdate(JsonNode spec, JsonNode oldSpec) {
    JsonNode template = Json.get(spec, "template");
    JsonNode oldTemplate = Json.get(oldSpec, "template");
    if (Objects.equals(template, oldTemplate)) {
      return List.of();
    }
    if (Json.bool(spec, "suspend") && template != null && oldTemplate != null) {
      ObjectNode a = template.deepCopy();
      ObjectNode b = oldTemplate.deepCopy();
      for (ObjectNode t : List.of(a, b)) {
        ObjectNode metadata = Json.with(t, "metadata");
        metadata.remove(List.of("labels", "annotations"));
        ObjectNode podSpec = Json.with(t, "spec");
        podSpec.remove(List.of("nodeSelector", "tolerations", "schedulingGates"));
        ObjectNode affinity = Json.object(podSpec, "affinity");
        if (affinity != null) {
          affinity.remove("nodeAffinity");
          if (affinity.isEmpty()) {
            podSpec.remove("affinity");
          }
        }
      }
      if (a.equals(b)) {
        return List.of();
      }
    }
    return List.of(FieldError.invalid("spec.template", new GoValue("core.PodTemplateSpec{...}"),
        ObjectMetaValidation.IMMUTABLE));
  }

  private static List<FieldError> immutable(JsonNode spec, JsonNode oldSpec, String field) {
    JsonNode value = Json.get(spec, field);
    if (Objects.equals(value, Json.get(oldSpec, field))) {
      return List.of();
    }
    Object shown;
    if (value == null || value.isNull()) {
      shown = new GoValue("null");
    } else if (field.equals("selector")) {
      shown = GoValue.labelSelector(value);
    } else if (value.isTextual()) {
      shown = value.asText();
    } else if (value.isNumber()) {
      shown = value.asLong();
    } else {
      shown = new GoValue(value.toString());
    }
    return List.of(FieldError.invalid("spec." + field, shown, ObjectMetaValidation.IMMUTABLE));
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode job, ObjectNode old) {
    JsonNode status = Json.get(job, "status");
    JsonNode oldStatus = Json.get(old, "status");
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("active", "succeeded", "failed", "ready", "terminating")) {
      errors.addAll(ObjectMetaValidation.nonNegative(status, field, "status." + field));
    }
    for (String type : List.of("Failed", "Complete", "FailureTarget")) {
      if (conditionTrue(oldStatus, type) && !conditionTrue(status, type)) {
        // field.OmitValueType: the message shows no value
        errors.add(FieldError.invalid("status.conditions", null,
            "cannot disable the terminal " + type + "=True condition"));
      }
    }
    long failed = Json.number(status, "failed", 0);
    if (failed < Json.number(oldStatus, "failed", 0)) {
      errors.add(FieldError.invalid("status.failed", failed, "cannot decrease the failed counter"));
    }
    long succeeded = Json.number(status, "succeeded", 0);
    if (succeeded < Json.number(oldStatus, "succeeded", 0)) {
      errors.add(FieldError.invalid("status.succeeded", succeeded, "cannot decrease the succeeded counter"));
    }
    return errors;
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode condition : Json.elements(status, "conditions")) {
      if (Json.text(condition, "type").equals(type) && Json.text(condition, "status").equals("True")) {
        return true;
      }
    }
    return false;
  }
}
