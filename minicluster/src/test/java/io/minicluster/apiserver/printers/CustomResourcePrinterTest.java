package io.minicluster.apiserver.printers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.apiextensions.CustomResourceDefinition.PrinterColumn;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomResourcePrinterTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final ObjectNode OBJECT = Json.parseObject("""
      {"metadata":{"name":"my-cron","creationTimestamp":"2026-12-07T11:58:30Z"},
       "spec":{"cronSpec":"* * * * */5","replicas":2,"ratio":1.5,"suspend":false,"tags":["a","b"],
        "last":"yesterday"}}""");

  private static PrinterColumn column(String name, String type, String jsonPath) {
    return new PrinterColumn(name, type, "", "", 0, jsonPath);
  }

  @Test
  void columnsAreTheVersionsAfterName() {
    TablePrinter printer = new CustomResourcePrinter(List.of(column("Spec", "string", ".spec.cronSpec"),
        new PrinterColumn("Replicas", "integer", "int32", "how many", 1, ".spec.replicas")));
    assertThat(printer.columns()).containsExactly(Column.objectName(),
        new Column("Spec", "string", "", "", 0), new Column("Replicas", "integer", "int32", "how many", 1));
  }

  @Test
  void cellsAreTypedAsTheirColumns() {
    TablePrinter printer = new CustomResourcePrinter(List.of(column("Spec", "string", ".spec.cronSpec"),
        column("Replicas", "integer", ".spec.replicas"), column("Ratio", "number", ".spec.ratio"),
        column("Suspend", "boolean", ".spec.suspend"), column("Tags", "string", ".spec.tags"),
        column("Missing", "string", ".spec.missing"), column("Replicas as text", "string", ".spec.replicas"),
        column("Created", "date", ".metadata.creationTimestamp"), column("Last", "date", ".spec.last"),
        column("Wrong", "integer", ".spec.cronSpec")));
    assertThat(printer.cells(OBJECT, NOW)).containsExactlyElementsOf(Arrays.asList("my-cron", "* * * * */5", 2L,
        1.5, false, "[\"a\",\"b\"]", null, "2", "90s", "<invalid>", null));
  }

  @Test
  void withoutColumnsTheAgeIsShown() {
    TablePrinter printer = new CustomResourcePrinter(List.of());
    assertThat(printer.columns()).extracting(Column::name, Column::type).containsExactly(
        tuple("Name", "string"), tuple("Age", "date"));
    assertThat(printer.cells(OBJECT, NOW)).containsExactly("my-cron", "90s");
  }
}
