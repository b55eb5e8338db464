package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.resource.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * metrics-server's table convertor for metrics.k8s.io: the name, one column per resource (cpu, memory; quantities)
 * and the sampling window. A pod's usage is the sum of its containers'.
 */
final class MetricsPrinters {
  private static final List<String> RESOURCES = List.of("cpu", "memory");
  private static final List<Column> COLUMNS = List.of(
      new Column("Name", "string", "name", "Name of the resource", 0),
      new Column("cpu", "string", "quantity", "", 0),
      new Column("memory", "string", "quantity", "", 0),
      new Column("Window", "string", "duration", "", 0));

  private MetricsPrinters() {}

  static TablePrinter node() {
    return new FunctionPrinter(COLUMNS, (object, now) -> row(object, List.of(object.path("usage"))));
  }

  static TablePrinter pod() {
    return new FunctionPrinter(COLUMNS, (object, now) -> {
      List<JsonNode> usages = new ArrayList<>();
      object.path("containers").forEach(container -> usages.add(container.path("usage")));
      return row(object, usages);
    });
  }

  private static List<Object> row(ObjectNode object, List<JsonNode> usages) {
    List<Object> cells = new ArrayList<>();
    cells.add(Fields.name(object));
    for (String resource : RESOURCES) {
      Quantity total = null;
      for (JsonNode usage : usages) {
        JsonNode value = usage.get(resource);
        if (value != null && !value.isNull()) {
          Quantity quantity = Quantity.fromJson(value);
          total = total == null ? quantity : total.add(quantity);
        }
      }
      cells.add(total == null ? "0" : total.toString());
    }
    cells.add(Fields.text(object, "window"));
    return cells;
  }
}
