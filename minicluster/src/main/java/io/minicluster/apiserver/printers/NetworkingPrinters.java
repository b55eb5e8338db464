package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Printers of networking.k8s.io: Ingress (printIngress: CLASS, HOSTS, ADDRESS, PORTS), IngressClass
 * (printIngressClass: CONTROLLER, PARAMETERS) and NetworkPolicy (printNetworkPolicy: POD-SELECTOR).
 */
final class NetworkingPrinters {
  /** How many hosts HOSTS names before "+ N more...". */
  private static final int MAX_HOSTS = 3;

  private NetworkingPrinters() {}

  static TablePrinter ingress() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Class", "The name of the IngressClass resource that should be used for additional "
            + "configuration"),
        Column.string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        Column.string("Address", "Address is a list containing ingress points for the load-balancer"),
        Column.string("Ports", "Ports of TLS configurations that open"),
        Column.creationAge()),
        (object, now) -> {
          JsonNode spec = object.path("spec");
          String className = Fields.text(spec, "ingressClassName");
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(spec.path("ingressClassName").isTextual() ? className : "<none>");
          cells.add(hosts(Fields.array(spec, "rules")));
          cells.add(address(Fields.array(object, "status", "loadBalancer", "ingress")));
          cells.add(Fields.array(spec, "tls").isEmpty() ? "80" : "80, 443");
          cells.add(Fields.age(object, now));
          return cells;
        });
  }

  /** formatHosts: the first three rules' hosts, "*" when none names one. */
  static String hosts(List<JsonNode> rules) {
    List<String> hosts = new ArrayList<>();
    boolean more = false;
    for (JsonNode rule : rules) {
      if (hosts.size() == MAX_HOSTS) {
        more = true;
      }
      String host = Fields.text(rule, "host");
      if (!more && !host.isEmpty()) {
        hosts.add(host);
      }
    }
    if (hosts.isEmpty()) {
      return "*";
    }
    String joined = String.join(",", hosts);
    return more ? joined + " + " + (rules.size() - MAX_HOSTS) + " more..." : joined;
  }

  /**
   * ingressLoadBalancerStatusStringer: the sorted distinct IPs (else hostnames). The apiserver prints tables wide,
   * so the address is never clipped.
   */
  static String address(List<JsonNode> ingresses) {
    TreeSet<String> addresses = new TreeSet<>();
    for (JsonNode ingress : ingresses) {
      String ip = Fields.text(ingress, "ip");
      String hostname = Fields.text(ingress, "hostname");
      if (!ip.isEmpty()) {
        addresses.add(ip);
      } else if (!hostname.isEmpty()) {
        addresses.add(hostname);
      }
    }
    return String.join(",", addresses);
  }

  static TablePrinter ingressClass() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Controller", "Controller that is responsible for handling this class"),
        Column.string("Parameters", "A reference to a resource with additional parameters"),
        Column.creationAge()),
        (object, now) -> {
          JsonNode spec = object.path("spec");
          JsonNode parameters = Fields.object(spec, "parameters");
          String printed = "<none>";
          if (parameters != null) {
            printed = Fields.text(parameters, "kind");
            if (parameters.path("apiGroup").isTextual()) {
              printed += "." + Fields.text(parameters, "apiGroup");
            }
            printed += "/" + Fields.text(parameters, "name");
          }
          return List.of(Fields.name(object), Fields.text(spec, "controller"), printed, Fields.age(object, now));
        });
  }

  static TablePrinter networkPolicy() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies. The array of "
            + "ingress rules is applied to any packets destined for pods selected by this field. Multiple network "
            + "policies can select the same set of pods. In this case, the ingress rules for each are combined "
            + "additively. This field is NOT optional and follows standard label selector semantics. An empty "
            + "podSelector matches all pods in this namespace."),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object),
            Selectors.formatLabelSelector(object.path("spec").path("podSelector")), Fields.age(object, now)));
  }
}
