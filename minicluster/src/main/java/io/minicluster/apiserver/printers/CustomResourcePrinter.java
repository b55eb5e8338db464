package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.apiextensions.CustomResourceDefinition.PrinterColumn;
import io.minicluster.apiextensions.JsonPath;
import io.minicluster.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Table of a custom resource's version, as apiextensions-apiserver's tableconvertor: the Name column, then the
 * version's additionalPrinterColumns (their JSON paths evaluated on each object, cells typed as the column says), or
 * when it has none the default Age column of metadata.creationTimestamp.
 */
final class CustomResourcePrinter implements TablePrinter {
  private static final PrinterColumn AGE = new PrinterColumn("Age", "date", "", Column.AGE_DESCRIPTION, 0,
      ".metadata.creationTimestamp");

  private final List<PrinterColumn> printerColumns;
  private final List<Optional<JsonPath>> paths;
  private final List<Column> columns;

  CustomResourcePrinter(List<PrinterColumn> printerColumns) {
    this.printerColumns = printerColumns.isEmpty() ? List.of(AGE) : List.copyOf(printerColumns);
    this.paths = this.printerColumns.stream().map(c -> JsonPath.parse(c.jsonPath())).toList();
    List<Column> all = new ArrayList<>();
    all.add(Column.objectName());
    for (PrinterColumn column : this.printerColumns) {
      all.add(new Column(column.name(), column.type(), column.format(), column.description(), column.priority()));
    }
    this.columns = List.copyOf(all);
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(ObjectNode object, Instant now) {
    List<Object> cells = new ArrayList<>();
    cells.add(Json.text(object.path("metadata"), "name"));
    for (int i = 0; i < printerColumns.size(); i++) {
      JsonNode value = paths.get(i).map(path -> path.find(object)).orElse(null);
      cells.add(value == null || value.isNull() ? null : cell(printerColumns.get(i).type(), value, now));
    }
    return cells;
  }

  /** cellForJSONValue, and jsonpath's printing of the string columns. */
  private static Object cell(String type, JsonNode value, Instant now) {
    switch (type) {
      case "string" -> {
        return value.isTextual() ? value.asText() : value.isNumber() || value.isBoolean() ? value.asText()
            : Json.string(value);
      }
      case "integer" -> {
        return value.isNumber() ? (Object) value.asLong() : null;
      }
      case "number" -> {
        return value.isNumber() ? (Object) value.asDouble() : null;
      }
      case "boolean" -> {
        return value.isBoolean() ? value.asBoolean() : null;
      }
      case "date" -> {
        if (!value.isTextual()) {
          return null;
        }
        try {
          return HumanDuration.since(OffsetDateTime.parse(value.asText()).toInstant(), now);
        } catch (DateTimeParseException e) {
          return "<invalid>";
        }
      }
      default -> {
        return null;
      }
    }
  }
}
