package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** printCertificateSigningRequest, the aggregator's APIService table, printFlowSchema, printPriorityLevelConfiguration. */
class ClusterApiPrintersTest {

  @Test
  void certificateSigningRequests() {
    TablePrinter printer = TablePrinters.forKind("certificates.k8s.io/v1", "CertificateSigningRequest");

    assertThat(printer.columns().stream().map(Column::name)).containsExactly("Name", "Age", "SignerName",
        "Requestor", "RequestedDuration", "Condition");
    assertThat(printer.cells(json("{'metadata':{'name':'jane','creationTimestamp':'" + ago(90) + "'},'spec':"
        + "{'signerName':'kubernetes.io/kube-apiserver-client','username':'admin','expirationSeconds':86400},"
        + "'status':{'conditions':[{'type':'Approved','status':'True'}],'certificate':'LS0t'}}"), NOW))
        .containsExactly("jane", "90s", "kubernetes.io/kube-apiserver-client", "admin", "24h", "Approved,Issued");
    assertThat(printer.cells(json("{'metadata':{'name':'x','creationTimestamp':'" + ago(5) + "'},'spec':{},"
        + "'status':{'conditions':[{'type':'Approved','status':'True'},{'type':'Denied','status':'True'},"
        + "{'type':'Failed','status':'True'}]}}"), NOW))
        .containsExactly("x", "5s", "<none>", "", "<none>", "Denied,Failed");
    assertThat(CertificatePrinters.condition(json("{}"))).isEqualTo("Pending");
  }
}
