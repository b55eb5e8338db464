package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The printer of policy PodDisruptionBudgets (printPodDisruptionBudget): an unset bound prints as N/A. */
final class PodDisruptionBudgetPrinter {
  private PodDisruptionBudgetPrinter() {}

  static TablePrinter create() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Min Available", "The minimum number of pods that must be available."),
        Column.string("Max Unavailable", "The maximum number of pods that may be unavailable."),
        Column.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), bound(object, "minAvailable"),
            bound(object, "maxUnavailable"), Fields.integer(object, 0, "status", "disruptionsAllowed"),
            Fields.age(object, now)));
  }

  private static String bound(JsonNode budget, String field) {
    JsonNode value = budget.path("spec").get(field);
    return value == null || value.isNull() ? "N/A" : value.asText();
  }
}
