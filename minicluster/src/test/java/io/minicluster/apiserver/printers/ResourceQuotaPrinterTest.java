package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** printResourceQuota: used/hard of each hard resource, the limits.* ones under LIMIT; LimitRange: the default. */
class ResourceQuotaPrinterTest {

  @Test
  void requestAndLimitColumns() {
    TablePrinter printer = TablePrinters.forKind("v1", "ResourceQuota");

    assertThat(printer.columns().stream().map(Column::name)).containsExactly("Name", "Request", "Limit", "Age");
    assertThat(printer.cells(json("{'metadata':{'name':'q','creationTimestamp':'" + ago(90) + "'},'status':"
        + "{'hard':{'pods':'2','requests.cpu':'1','limits.cpu':'2','limits.memory':'1Gi'},"
        + "'used':{'pods':'1','requests.cpu':'500m','limits.cpu':'1'}}}"), NOW))
        .containsExactly("q", "pods: 1/2, requests.cpu: 500m/1", "limits.cpu: 1/2, limits.memory: 0/1Gi", "90s");
  }

  @Test
  void limitRangesPrintNameAndCreationDate() {
    TablePrinter printer = TablePrinters.forKind("v1", "LimitRange");

    assertThat(printer.columns().stream().map(Column::name)).containsExactly("Name", "Created At");
  }
}
