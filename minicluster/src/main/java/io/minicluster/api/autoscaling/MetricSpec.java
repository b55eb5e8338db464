package io.minicluster.api.autoscaling;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;

/**
 * autoscaling/v2 MetricSpec: its type and, for the Resource type, the resource source (null for the types the
 * autoscaler here does not read: Pods, Object, External and ContainerResource).
 */
public record MetricSpec(String type, ResourceMetricSource resource) {
  public static final String RESOURCE = "Resource";

  public MetricSpec {
    requireNonNull(type, "type is null");
  }

  public static MetricSpec from(JsonNode node) {
    return new MetricSpec(JsonValues.string(node, "type"),
        JsonValues.optional(node, "resource", ResourceMetricSource::from));
  }

  /** v2.ResourceMetricSource: a resource of the pods (cpu, memory) and its target. */
  public record ResourceMetricSource(String name, MetricTarget target) {
    public ResourceMetricSource {
      requireNonNull(name, "name is null");
      requireNonNull(target, "target is null");
    }

    public static ResourceMetricSource from(JsonNode node) {
      return new ResourceMetricSource(JsonValues.string(node, "name"),
          JsonValues.struct(node, "target", MetricTarget::from));
    }
  }

  /** v2.MetricTarget; each value null when unset. */
  public record MetricTarget(String type, Integer averageUtilization, Quantity averageValue, Quantity value) {
    public MetricTarget {
      requireNonNull(type, "type is null");
    }

    public static MetricTarget from(JsonNode node) {
      return new MetricTarget(JsonValues.string(node, "type"), JsonValues.optionalInt32(node, "averageUtilization"),
          JsonValues.optionalQuantity(node, "averageValue"), JsonValues.optionalQuantity(node, "value"));
    }
  }
}
