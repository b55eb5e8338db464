package io.minicluster.api.autoscaling;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/**
 * autoscaling/v2 HorizontalPodAutoscalerSpec; minReplicas and behavior are null when unset (the API server defaults
 * minReplicas to 1; behavior stays unset unless given).
 */
public record HorizontalPodAutoscalerSpec(CrossVersionObjectReference scaleTargetRef, Integer minReplicas,
    int maxReplicas, List<MetricSpec> metrics, Behavior behavior) {

  public HorizontalPodAutoscalerSpec {
    requireNonNull(scaleTargetRef, "scaleTargetRef is null");
    metrics = List.copyOf(metrics);
  }

  public static HorizontalPodAutoscalerSpec from(JsonNode node) {
    return new HorizontalPodAutoscalerSpec(JsonValues.struct(node, "scaleTargetRef", CrossVersionObjectReference::from),
        JsonValues.optionalInt32(node, "minReplicas"), JsonValues.int32(node, "maxReplicas"),
        JsonValues.list(node, "metrics", MetricSpec::from), JsonValues.optional(node, "behavior", Behavior::from));
  }

  /** v2.CrossVersionObjectReference: the scaled object. */
  public record CrossVersionObjectReference(String apiVersion, String kind, String name) {
    public CrossVersionObjectReference {
      requireNonNull(apiVersion, "apiVersion is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(name, "name is null");
    }

    public static CrossVersionObjectReference from(JsonNode node) {
      return new CrossVersionObjectReference(JsonValues.string(node, "apiVersion"), JsonValues.string(node, "kind"),
          JsonValues.string(node, "name"));
    }
  }

  /** v2.HorizontalPodAutoscalerBehavior; either rules null when unset. */
  public record Behavior(ScalingRules scaleUp, ScalingRules scaleDown) {
    public static Behavior from(JsonNode node) {
      return new Behavior(JsonValues.optional(node, "scaleUp", ScalingRules::from),
          JsonValues.optional(node, "scaleDown", ScalingRules::from));
    }
  }

  /** v2.HPAScalingRules; the window and the select policy null when unset. */
  public record ScalingRules(Integer stabilizationWindowSeconds, String selectPolicy, List<ScalingPolicy> policies) {
    public ScalingRules {
      policies = List.copyOf(policies);
    }

    public static ScalingRules from(JsonNode node) {
      return new ScalingRules(JsonValues.optionalInt32(node, "stabilizationWindowSeconds"),
          JsonValues.optionalString(node, "selectPolicy"), JsonValues.list(node, "policies", ScalingPolicy::from));
    }
  }

  /** v2.HPAScalingPolicy: at most {@code value} pods or percent of them per {@code periodSeconds}. */
  public record ScalingPolicy(String type, int value, int periodSeconds) {
    public ScalingPolicy {
      requireNonNull(type, "type is null");
    }

    public static ScalingPolicy from(JsonNode node) {
      return new ScalingPolicy(JsonValues.string(node, "type"), JsonValues.int32(node, "value"),
          JsonValues.int32(node, "periodSeconds"));
    }
  }
}
