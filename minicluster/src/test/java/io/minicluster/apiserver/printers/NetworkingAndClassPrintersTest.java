package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** printIngress, printIngressClass, printNetworkPolicy, printPriorityClass and printRuntimeClass. */
class NetworkingAndClassPrintersTest {

  @Test
  void ingressHostsAddressesAndPorts() {
    TablePrinter printer = TablePrinters.forKind("networking.k8s.io/v1", "Ingress");
    assertThat(printer.columns().stream().map(Column::name))
        .containsExactly("Name", "Class", "Hosts", "Address", "Ports", "Age");
    assertThat(printer.cells(json("{'metadata':{'name':'web','creationTimestamp':'" + ago(90) + "'},'spec':"
        + "{'ingressClassName':'nginx','tls':[{}],'rules':[{'host':'a'},{},{'host':'b'},{'host':'c'},{'host':'d'}]},"
        + "'status':{'loadBalancer':{'ingress':[{'ip':'10.0.0.2'},{'hostname':'lb.example.com'},{'ip':'10.0.0.1'},"
        + "{'ip':'10.0.0.2'}]}}}"), NOW))
        .containsExactly("web", "nginx", "a,b,c + 2 more...", "10.0.0.1,10.0.0.2,lb.example.com", "80, 443", "90s");
    assertThat(printer.cells(json("{'metadata':{'name':'any','creationTimestamp':'" + ago(30) + "'},'spec':"
        + "{'defaultBackend':{}}}"), NOW)).containsExactly("any", "<none>", "*", "", "80", "30s");
  }

  @Test
  void classesAndPolicies() {
    assertThat(TablePrinters.forKind("networking.k8s.io/v1", "IngressClass").cells(json("{'metadata':{'name':"
        + "'nginx','creationTimestamp':'" + ago(30) + "'},'spec':{'controller':'k8s.io/ingress-nginx','parameters':"
        + "{'apiGroup':'k8s.example.com','kind':'Params','name':'p'}}}"), NOW))
        .containsExactly("nginx", "k8s.io/ingress-nginx", "Params.k8s.example.com/p", "30s");
    assertThat(TablePrinters.forKind("networking.k8s.io/v1", "NetworkPolicy").cells(json("{'metadata':{'name':"
        + "'db','creationTimestamp':'" + ago(30) + "'},'spec':{'podSelector':{}}}"), NOW))
        .containsExactly("db", "<none>", "30s");
    TablePrinter priorityClasses = TablePrinters.forKind("scheduling.k8s.io/v1", "PriorityClass");
    assertThat(priorityClasses.columns().stream().map(Column::type))
        .containsExactly("string", "integer", "boolean", "string", "string");
    assertThat(priorityClasses.cells(json("{'metadata':{'name':'high','creationTimestamp':'" + ago(30) + "'},"
        + "'value':1000,'globalDefault':true,'preemptionPolicy':'Never'}"), NOW))
        .containsExactly("high", 1000L, true, "30s", "Never");
    assertThat(TablePrinters.forKind("node.k8s.io/v1", "RuntimeClass").cells(json("{'metadata':{'name':'kata',"
        + "'creationTimestamp':'" + ago(30) + "'},'handler':'kata'}"), NOW)).containsExactly("kata", "kata", "30s");
  }
}
