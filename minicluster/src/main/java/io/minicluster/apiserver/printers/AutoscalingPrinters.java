package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.resource.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * The printer of HorizontalPodAutoscalers (stored as autoscaling/v2, so every served version prints alike), as
 * printers.go's printHorizontalPodAutoscaler and formatHPAMetrics: each metric as "current/target" (resource metrics
 * prefixed with the resource's name), "&lt;unknown&gt;" before the autoscaler has measured it, at most two then
 * "+ N more...".
 */
final class AutoscalingPrinters {
  private static final int SHOWN_METRICS = 2;
  private static final String UNKNOWN = "<unknown>";

  private AutoscalingPrinters() {}

  static TablePrinter horizontalPodAutoscaler() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods "
            + "for which metrics should be collected, as well as to actually change the replica count."),
        Column.string("Targets", "metrics contains the specifications for which to use to calculate the desired "
            + "replica count (the maximum replica count across all metrics will be used).  The desired replica "
            + "count is calculated multiplying the ratio between the target value and the current value by the "
            + "current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and "
            + "vice-versa.  See the individual metric source types for more information about how each type of "
            + "metric must respond. If not set, the default metric will be set to 80% average CPU utilization."),
        Column.string("MinPods", "minReplicas is the lower limit for the number of replicas to which the "
            + "autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha "
            + "feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  "
            + "Scaling is active as long as at least one metric value is available."),
        Column.integer("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the "
            + "autoscaler can scale up. It cannot be less that minReplicas."),
        Column.integer("Replicas", "currentReplicas is current number of replicas of pods managed by this "
            + "autoscaler, as last seen by the autoscaler."),
        Column.creationAge()),
        (object, now) -> {
          JsonNode spec = object.path("spec");
          JsonNode minReplicas = spec.get("minReplicas");
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(Fields.text(spec, "scaleTargetRef", "kind") + "/" + Fields.text(spec, "scaleTargetRef", "name"));
          cells.add(metrics(Fields.array(spec, "metrics"), Fields.array(object, "status", "currentMetrics")));
          cells.add(minReplicas == null || minReplicas.isNull() ? "<unset>" : Long.toString(minReplicas.asLong()));
          cells.add(Fields.integer(spec, 0, "maxReplicas"));
          cells.add(Fields.integer(object, 0, "status", "currentReplicas"));
          cells.add(Fields.age(object, now));
          return cells;
        });
  }

  /** formatHPAMetrics. */
  static String metrics(List<JsonNode> specs, List<JsonNode> statuses) {
    if (specs.isEmpty()) {
      return "<none>";
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      JsonNode spec = specs.get(i);
      JsonNode status = i < statuses.size() ? statuses.get(i) : null;
      shown.add(metric(spec, status));
    }
    String text = String.join(", ", shown.subList(0, Math.min(SHOWN_METRICS, shown.size())));
    return shown.size() > SHOWN_METRICS ? text + " + " + (shown.size() - SHOWN_METRICS) + " more..." : text;
  }

  private static String metric(JsonNode spec, JsonNode status) {
    String type = Fields.text(spec, "type");
    return switch (type) {
      case "Resource", "ContainerResource" -> {
        String field = type.equals("Resource") ? "resource" : "containerResource";
        JsonNode source = spec.path(field);
        JsonNode target = source.path("target");
        JsonNode current = status == null ? null : status.get(field);
        String name = Fields.text(source, "name");
        if (target.hasNonNull("averageValue")) {
          String value = current == null || current.isNull() ? UNKNOWN
              : quantity(current.path("current").get("averageValue"));
          yield name + ": " + value + "/" + quantity(target.get("averageValue"));
        }
        JsonNode utilization = current == null ? null : current.path("current").get("averageUtilization");
        String value = utilization == null || utilization.isNull() ? UNKNOWN : utilization.asLong() + "%";
        String goal = target.hasNonNull("averageUtilization") ? target.get("averageUtilization").asLong() + "%"
            : "<auto>";
        yield name + ": " + value + "/" + goal;
      }
      case "Pods" -> current(status, "pods", "averageValue") + "/"
          + quantity(spec.path("pods").path("target").get("averageValue"));
      case "Object", "External" -> {
        String field = type.equals("Object") ? "object" : "external";
        JsonNode target = spec.path(field).path("target");
        if (target.hasNonNull("averageValue")) {
          yield current(status, field, "averageValue") + "/" + quantity(target.get("averageValue")) + " (avg)";
        }
        yield current(status, field, "value") + "/" + quantity(target.get("value"));
      }
      default -> "<unknown type>";
    };
  }

  private static String current(JsonNode status, String field, String value) {
    JsonNode current = status == null ? null : status.path(field).path("current").get(value);
    return current == null || current.isNull() ? UNKNOWN : quantity(current);
  }

  private static String quantity(JsonNode value) {
    if (value == null || value.isNull()) {
      return "0";
    }
    try {
      return Quantity.fromJson(value).toString();
    } catch (IllegalArgumentException e) {
      return value.asText();
    }
  }
}
