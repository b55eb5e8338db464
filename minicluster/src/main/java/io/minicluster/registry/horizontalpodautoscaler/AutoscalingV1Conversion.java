package io.minicluster.registry.horizontalpodautoscaler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.StorageConversion;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * autoscaling/v1 HorizontalPodAutoscalers to and from the stored v2 ones, as pkg/apis/autoscaling/v1's conversion:
 * targetCPUUtilizationPercentage is the v2 CPU resource metric with an averageUtilization target, and
 * currentCPUUtilizationPercentage its current utilization; scaleTargetRef, min/maxReplicas, observedGeneration,
 * lastScaleTime and the replica counts carry over. Upstream also keeps the other metrics, the behavior and the
 * conditions in autoscaling.alpha.kubernetes.io/* annotations of the v1 object; this view does not, so a write
 * through v1 keeps only the CPU target (the stored status stays as the autoscaler wrote it).
 */
public final class AutoscalingV1Conversion implements StorageConversion {
  private static final String KIND = "HorizontalPodAutoscaler";
  private static final List<String> SPEC_FIELDS = List.of("scaleTargetRef", "minReplicas", "maxReplicas");
  private static final List<String> STATUS_FIELDS =
      List.of("observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas");

  @Override
  public ResourceType storedAs(ResourceType served) {
    return ResourceTypes.HORIZONTAL_POD_AUTOSCALERS;
  }

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    requireNonNull(served, "served is null");
    ObjectNode stored = typed(served, "autoscaling/v2");
    section(served, stored, "spec", SPEC_FIELDS, (spec, storedSpec) -> {
      Long target = Json.numberOrNull(spec, "targetCPUUtilizationPercentage");
      if (target != null) {
        cpuMetric(storedSpec.putArray("metrics").addObject(), "target", target);
      }
    });
    section(served, stored, "status", STATUS_FIELDS, (status, storedStatus) -> {
      Long current = Json.numberOrNull(status, "currentCPUUtilizationPercentage");
      if (current != null) {
        cpuMetric(storedStatus.putArray("currentMetrics").addObject(), "current", current);
      }
    });
    return stored;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    requireNonNull(stored, "stored is null");
    ObjectNode served = typed(stored, "autoscaling/v1");
    section(stored, served, "spec", SPEC_FIELDS, (spec, servedSpec) -> {
      Long target = cpuUtilization(spec, "metrics", "target");
      if (target != null) {
        Json.putNumber(servedSpec, "targetCPUUtilizationPercentage", target);
      }
    });
    section(stored, served, "status", STATUS_FIELDS, (status, servedStatus) -> {
      Long current = cpuUtilization(status, "currentMetrics", "current");
      if (current != null) {
        Json.putNumber(servedStatus, "currentCPUUtilizationPercentage", current);
      }
    });
    return served;
  }

  /** Converts spec or status when set: the fields both versions share, then what {@code rest} adds. */
  private static void section(ObjectNode from, ObjectNode to, String field, List<String> shared,
      BiConsumer<JsonNode, ObjectNode> rest) {
    JsonNode source = Json.get(from, field);
    if (source != null) {
      ObjectNode converted = copy(source, shared);
      rest.accept(source, converted);
      to.set(field, converted);
    }
  }

  /** The object with another apiVersion and without spec and status (to be converted). */
  private static ObjectNode typed(ObjectNode object, String apiVersion) {
    ObjectNode typed = Json.object();
    typed.put("kind", KIND);
    typed.put("apiVersion", apiVersion);
    object.fields().forEachRemaining(field -> {
      if (!List.of("kind", "apiVersion", "spec", "status").contains(field.getKey())) {
        typed.set(field.getKey(), field.getValue());
      }
    });
    return typed;
  }

  private static ObjectNode copy(JsonNode from, List<String> fields) {
    ObjectNode to = Json.object();
    for (String field : fields) {
      JsonNode value = from.get(field);
      if (value != null) {
        to.set(field, value.deepCopy());
      }
    }
    return to;
  }

  /** A v2 Resource metric (spec or status) of CPU with an averageUtilization. */
  private static void cpuMetric(ObjectNode metric, String valueField, long utilization) {
    metric.put("type", "Resource");
    ObjectNode resource = metric.putObject("resource");
    resource.put("name", "cpu");
    ObjectNode value = resource.putObject(valueField);
    if (valueField.equals("target")) {
      value.put("type", "Utilization");
    }
    Json.putNumber(value, "averageUtilization", utilization);
  }

  /** The averageUtilization of the first CPU resource metric that has one, or null. */
  private static Long cpuUtilization(JsonNode node, String listField, String valueField) {
    for (JsonNode metric : Json.elements(node, listField)) {
      boolean cpu = Json.text(Json.get(metric, "resource"), "name").equals("cpu");
      if (Json.text(metric, "type").equals("Resource") && cpu) {
        Long utilization = Json.numberOrNull(Json.at(metric, "resource", valueField), "averageUtilization");
        if (utilization != null) {
          return utilization;
        }
      }
    }
    return null;
  }
}
