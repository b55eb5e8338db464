package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** printPodDisruptionBudget: an unset bound prints N/A, the allowed disruptions come from the status. */
class PodDisruptionBudgetPrinterTest {

  @Test
  void columnsAndCells() {
    TablePrinter printer = TablePrinters.forKind("policy/v1", "PodDisruptionBudget");

    assertThat(printer.columns().stream().map(Column::name)).containsExactly("Name", "Min Available",
        "Max Unavailable", "Allowed Disruptions", "Age");
    assertThat(printer.cells(json("{'metadata':{'name':'web','creationTimestamp':'" + ago(90) + "'},'spec':"
        + "{'minAvailable':2},'status':{'disruptionsAllowed':1}}"), NOW))
        .containsExactly("web", "2", "N/A", 1L, "90s");
    assertThat(printer.cells(json("{'metadata':{'name':'db','creationTimestamp':'" + ago(30) + "'},'spec':"
        + "{'maxUnavailable':'25%'},'status':{}}"), NOW))
        .containsExactly("db", "N/A", "25%", 0L, "30s");
  }
}
