package io.minicluster.registry.horizontalpodautoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * autoscaling/v2 HorizontalPodAutoscalers, as pkg/registry/autoscaling/horizontalpodautoscaler and the v2 defaults:
 * minReplicas 1, a CPU utilization target of 80% when no metric is given, and a given behavior completed with the
 * default scaling rules (scale up: no stabilization, the larger of 4 pods and 100% per 15 s; scale down: 300 s of
 * stabilization, 100% per 15 s); an empty status on create; ValidateHorizontalPodAutoscaler with the apiserver's
 * messages (the minimum of minReplicas is 1: scale to zero is behind a feature gate that is off by default).
 */
public final class HorizontalPodAutoscalerStrategy implements Strategy {
  /** autoscaling.DefaultCPUUtilization. */
  public static final int DEFAULT_CPU_UTILIZATION = 80;
  static final int MAX_PERIOD_SECONDS = 1800;
  static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;
  private static final List<String> METRIC_SOURCE_TYPES =
      List.of("Object", "Pods", "Resource", "External", "ContainerResource");
  private static final Map<String, String> SOURCE_FIELDS = Map.of("Object", "object", "Pods", "pods",
      "Resource", "resource", "External", "external", "ContainerResource", "containerResource");
  private static final List<String> SELECT_POLICIES = List.of("Disabled", "Max", "Min");
  private static final List<String> POLICY_TYPES = List.of("Percent", "Pods");
  private static final List<String> TARGET_TYPES = List.of("Utilization", "Value", "AverageValue");

  @Override
  public ResourceType type() {
    return ResourceTypes.HORIZONTAL_POD_AUTOSCALERS;
  }

  @Override
  public void applyDefaults(ObjectNode autoscaler) {
    ObjectNode spec = Json.with(autoscaler, "spec");
    Json.defaultNumber(spec, "minReplicas", 1);
    if (Json.elements(spec, "metrics").isEmpty()) {
      ObjectNode metric = spec.putArray("metrics").addObject();
      metric.put("type", "Resource");
      ObjectNode resource = metric.putObject("resource");
      resource.put("name", "cpu");
      resource.putObject("target").put("type", "Utilization").put("averageUtilization", DEFAULT_CPU_UTILIZATION);
    }
    if (spec.get("behavior") instanceof ObjectNode behavior) {
      defaultRules(behavior, "scaleUp", 0, List.of(policy("Pods", 4), policy("Percent", 100)));
      defaultRules(behavior, "scaleDown", 300, List.of(policy("Percent", 100)));
    }
  }

  /** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: each unset part of the rules from the defaults. */
  private static void defaultRules(ObjectNode behavior, String field, int window, List<ObjectNode> policies) {
    ObjectNode rules = Json.with(behavior, field);
    Json.defaultNumber(rules, "stabilizationWindowSeconds", window);
    Json.defaultText(rules, "selectPolicy", "Max");
    if (!(rules.get("policies") instanceof ArrayNode given) || given.isEmpty()) {
      rules.putArray("policies").addAll(policies);
    }
  }

  private static ObjectNode policy(String type, int value) {
    ObjectNode policy = Json.object();
    policy.put("type", type).put("value", value).put("periodSeconds", 15);
    return policy;
  }

  @Override
  public void prepareForCreate(ObjectNode autoscaler) {
    autoscaler.putObject("status").put("desiredReplicas", 0);
  }

  @Override
  public List<FieldError> validate(ObjectNode autoscaler) {
    return validateSpec(Json.get(autoscaler, "spec"));
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode autoscaler, ObjectNode old) {
    JsonNode status = Json.get(autoscaler, "status");
    List<FieldError> errors = new ArrayList<>();
    errors.addAll(ObjectMetaValidation.nonNegative(status, "currentReplicas", "status.currentReplicas"));
    errors.addAll(ObjectMetaValidation.nonNegative(status, "desiredReplicas", "status.desiredReplicas"));
    return errors;
  }

  /** validateHorizontalPodAutoscalerSpec with a lower bound of 1 for minReplicas. */
  static List<FieldError> validateSpec(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    Long minReplicas = Json.numberOrNull(spec, "minReplicas");
    long maxReplicas = Json.number(spec, "maxReplicas", 0);
    if (minReplicas != null && minReplicas < 1) {
      errors.add(FieldError.invalid("spec.minReplicas", minReplicas, "must be greater than or equal to 1"));
    }
    if (maxReplicas < 1) {
      errors.add(FieldError.invalid("spec.maxReplicas", maxReplicas, "must be greater than 0"));
    }
    if (minReplicas != null && maxReplicas < minReplicas) {
      errors.add(FieldError.invalid("spec.maxReplicas", maxReplicas, "must be greater than or equal to `minReplicas`"));
    }
    List<FieldError> reference = validateReference(Json.get(spec, "scaleTargetRef"), "spec.scaleTargetRef");
    errors.addAll(reference);
    if (reference.isEmpty()) {
      List<JsonNode> metrics = Json.elements(spec, "metrics");
      for (int i = 0; i < metrics.size(); i++) {
        errors.addAll(validateMetric(metrics.get(i), "spec.metrics[" + i + "]"));
      }
    }
    JsonNode behavior = Json.get(spec, "behavior");
    if (behavior != null && behavior.isObject()) {
      errors.addAll(validateRules(Json.get(behavior, "scaleUp"), "spec.behavior.scaleUp"));
      errors.addAll(validateRules(Json.get(behavior, "scaleDown"), "spec.behavior.scaleDown"));
    }
    return errors;
  }

  /** ValidateCrossVersionObjectReference. */
  private static List<FieldError> validateReference(JsonNode reference, String path) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("kind", "name")) {
      String value = Json.text(reference, field);
      if (value.isEmpty()) {
        errors.add(FieldError.required(path + "." + field, ""));
      } else {
        for (String message : Formats.pathSegmentName(value, false)) {
          errors.add(FieldError.invalid(path + "." + field, value, message));
        }
      }
    }
    return errors;
  }

  /** validateMetricSpec: a known type with its source, and no other source. */
  private static List<FieldError> validateMetric(JsonNode metric, String path) {
    List<FieldError> errors = new ArrayList<>();
    String type = Json.text(metric, "type");
    if (type.isEmpty()) {
      errors.add(FieldError.required(path + ".type", "must specify a metric source type"));
    }
    if (!METRIC_SOURCE_TYPES.contains(type)) {
      errors.add(FieldError.notSupported(path + ".type", type, METRIC_SOURCE_TYPES));
    }
    Set<String> present = new LinkedHashSet<>();
    for (String source : METRIC_SOURCE_TYPES) {
      JsonNode value = Json.get(metric, SOURCE_FIELDS.get(source));
      if (value != null && !value.isNull()) {
        present.add(SOURCE_FIELDS.get(source));
        if (source.equals(type)) {
          errors.addAll(validateSource(source, value, path + "." + SOURCE_FIELDS.get(source)));
        }
      }
    }
    String expected = SOURCE_FIELDS.getOrDefault(type, "");
    if (!present.contains(expected)) {
      errors.add(FieldError.required(path + "." + expected, "must populate information for the given metric source"));
    }
    if (present.size() != 1) {
      present.remove(expected);
      for (String other : present) {
        errors.add(FieldError.forbidden(path + "." + other, "must populate the given metric source only"));
      }
    }
    return errors;
  }

  private static List<FieldError> validateSource(String type, JsonNode source, String path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode target = Json.get(source, "target");
    switch (type) {
      case "Resource", "ContainerResource" -> {
        String name = Json.text(source, "name");
        if (name.isEmpty()) {
          errors.add(FieldError.required(path + ".name", "must specify a resource name"));
        } else {
          errors.addAll(PodSpecValidation.validateResourceName(name, path + ".name"));
        }
        if (type.equals("ContainerResource") && Json.text(source, "container").isEmpty()) {
          errors.add(FieldError.required(path + ".container", "must specify a container"));
        }
        errors.addAll(validateTarget(target, path + ".target"));
        boolean utilization = Json.has(target, "averageUtilization");
        boolean averageValue = Json.has(target, "averageValue");
        if (!utilization && !averageValue) {
          errors.add(FieldError.required(path + ".target.averageUtilization",
              "must set either a target raw value or a target utilization"));
        }
        if (utilization && averageValue) {
          errors.add(FieldError.forbidden(path + ".target.averageValue",
              "may not set both a target raw value and a target utilization"));
        }
      }
      default -> {
        // the other sources are stored as given: the autoscaler here reports them as unsupported
        errors.addAll(validateTarget(target, path + ".target"));
      }
    }
    return errors;
  }

  /** validateMetricTarget. */
  private static List<FieldError> validateTarget(JsonNode target, String path) {
    List<FieldError> errors = new ArrayList<>();
    String type = Json.text(target, "type");
    if (type.isEmpty()) {
      errors.add(FieldError.required(path + ".type", "must specify a metric target type"));
    }
    if (!TARGET_TYPES.contains(type)) {
      errors.add(FieldError.invalid(path + ".type", type, "must be either Utilization, Value, or AverageValue"));
    }
    for (String field : List.of("value", "averageValue")) {
      JsonNode value = Json.get(target, field);
      if (value != null && !value.isNull()) {
        try {
          Quantity quantity = Quantity.fromJson(value);
          if (quantity.signum() != 1) {
            errors.add(FieldError.invalid(path + "." + field, quantity.toString(), "must be positive"));
          }
        } catch (IllegalArgumentException e) {
          errors.add(FieldError.invalid(path + "." + field, value.asText(), e.getMessage()));
        }
      }
    }
    Long utilization = Json.numberOrNull(target, "averageUtilization");
    if (utilization != null && utilization < 1) {
      errors.add(FieldError.invalid(path + ".averageUtilization", utilization, "must be greater than 0"));
    }
    return errors;
  }

  /** validateScalingRules. */
  private static List<FieldError> validateRules(JsonNode rules, String path) {
    if (rules == null || !rules.isObject()) {
      return List.of();
    }
    List<FieldError> errors = new ArrayList<>();
    Long window = Json.numberOrNull(rules, "stabilizationWindowSeconds");
    if (window != null && window < 0) {
      errors.add(FieldError.invalid(path + ".stabilizationWindowSeconds", window,
          "must be greater than or equal to zero"));
    }
    if (window != null && window > MAX_STABILIZATION_WINDOW_SECONDS) {
      errors.add(FieldError.invalid(path + ".stabilizationWindowSeconds", window,
          "must be less than or equal to " + MAX_STABILIZATION_WINDOW_SECONDS));
    }
    String selectPolicy = Json.textOrNull(rules, "selectPolicy");
    if (selectPolicy != null && !SELECT_POLICIES.contains(selectPolicy)) {
      errors.add(FieldError.notSupported(path + ".selectPolicy", selectPolicy, SELECT_POLICIES));
    }
    List<JsonNode> policies = Json.elements(rules, "policies");
    if (policies.isEmpty()) {
      errors.add(FieldError.required(path + ".policies", "must specify at least one Policy"));
    }
    for (int i = 0; i < policies.size(); i++) {
      JsonNode policy = policies.get(i);
      String at = path + ".policies[" + i + "]";
      String type = Json.text(policy, "type");
      if (!POLICY_TYPES.contains(type)) {
        errors.add(FieldError.notSupported(at + ".type", type, POLICY_TYPES));
      }
      long value = Json.number(policy, "value", 0);
      if (value <= 0) {
        errors.add(FieldError.invalid(at + ".value", value, "must be greater than zero"));
      }
      long period = Json.number(policy, "periodSeconds", 0);
      if (period <= 0) {
        errors.add(FieldError.invalid(at + ".periodSeconds", period, "must be greater than zero"));
      }
      if (period > MAX_PERIOD_SECONDS) {
        errors.add(FieldError.invalid(at + ".periodSeconds", period,
            "must be less than or equal to " + MAX_PERIOD_SECONDS));
      }
    }
    return errors;
  }
}
