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

  @Test
  void apiServices() {
    TablePrinter printer = TablePrinters.forKind("apiregistration.k8s.io/v1", "APIService");

    assertThat(printer.columns().stream().map(Column::name)).containsExactly("Name", "Service", "Available", "Age");
    assertThat(printer.cells(json("{'metadata':{'name':'v1.apps','creationTimestamp':'" + ago(90) + "'},'spec':{},"
        + "'status':{'conditions':[{'type':'Available','status':'True','reason':'Local'}]}}"), NOW))
        .containsExactly("v1.apps", "Local", "True", "90s");
    assertThat(printer.cells(json("{'metadata':{'name':'v1beta1.metrics.k8s.io','creationTimestamp':'" + ago(5)
        + "'},'spec':{'service':{'namespace':'kube-system','name':'metrics-server'}},'status':{'conditions':"
        + "[{'type':'Available','status':'False','reason':'FailedDiscoveryCheck'}]}}"), NOW))
        .containsExactly("v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (FailedDiscoveryCheck)",
            "5s");
  }

  @Test
  void flowSchemasAndPriorityLevels() {
    TablePrinter schemas = TablePrinters.forKind("flowcontrol.apiserver.k8s.io/v1", "FlowSchema");
    assertThat(schemas.columns().stream().map(Column::name)).containsExactly("Name", "PriorityLevel",
        "MatchingPrecedence", "DistinguisherMethod", "Age", "MissingPL");
    assertThat(schemas.cells(json("{'metadata':{'name':'exempt','creationTimestamp':'" + ago(5) + "'},'spec':"
        + "{'priorityLevelConfiguration':{'name':'exempt'},'matchingPrecedence':1},'status':{'conditions':"
        + "[{'type':'Dangling','status':'False'}]}}"), NOW))
        .containsExactly("exempt", "exempt", 1L, "<none>", "5s", "False");

    TablePrinter levels = TablePrinters.forKind("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration");
    assertThat(levels.columns().stream().map(Column::name)).containsExactly("Name", "Type",
        "NominalConcurrencyShares", "Queues", "HandSize", "QueueLengthLimit", "Age");
    assertThat(levels.cells(json("{'metadata':{'name':'system','creationTimestamp':'" + ago(5) + "'},'spec':"
        + "{'type':'Limited','limited':{'nominalConcurrencyShares':30,'limitResponse':{'type':'Queue','queuing':"
        + "{'queues':64,'handSize':6,'queueLengthLimit':50}}}}}"), NOW))
        .containsExactly("system", "Limited", 30L, 64L, 6L, 50L, "5s");
    assertThat(levels.cells(json("{'metadata':{'name':'exempt','creationTimestamp':'" + ago(5) + "'},'spec':"
        + "{'type':'Exempt','exempt':{}}}"), NOW))
        .containsExactly("exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "5s");
  }
}
