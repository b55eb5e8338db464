package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Services as printService: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. The server prints in wide
 * mode, so load-balancer addresses are never clipped. A missing type or protocol is read as its API default
 * (ClusterIP, TCP).
 */
final class ServicePrinter implements TablePrinter {
  private static final List<Column> COLUMNS = List.of(
      Column.objectName(),
      Column.string("Type", "type determines how the Service is exposed."),
      Column.string("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
      Column.string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also "
          + "accept traffic for this service."),
      Column.string("Port(s)", "The list of ports that are exposed by this service."),
      Column.creationAge(),
      Column.wide("Selector", "Route service traffic to pods with label keys and values matching this selector."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode service, Instant now) {
    JsonNode spec = service.path("spec");
    String type = Fields.text(spec, "type");
    if (type.isEmpty()) {
      type = "ClusterIP";
    }
    String ports = portString(spec);
    List<Object> cells = new ArrayList<>();
    cells.add(Fields.name(service));
    cells.add(type);
    cells.add(clusterIp(spec));
    cells.add(externalIp(service, type));
    cells.add(ports.isEmpty() ? "<none>" : ports);
    cells.add(Fields.age(service, now));
    cells.add(Selectors.formatLabels(spec.get("selector")));
    return cells;
  }

  private static String clusterIp(JsonNode spec) {
    List<JsonNode> clusterIps = Fields.array(spec, "clusterIPs");
    if (!clusterIps.isEmpty()) {
      return clusterIps.get(0).asText();
    }
    String clusterIp = Fields.text(spec, "clusterIP");
    return clusterIp.isEmpty() ? "<none>" : clusterIp;
  }

  /** "80/TCP" or "80:30080/TCP" per port, comma-joined (makePortString). */
  static String portString(JsonNode spec) {
    List<String> pieces = new ArrayList<>();
    for (JsonNode port : Fields.array(spec, "ports")) {
      String protocol = Fields.text(port, "protocol");
      if (protocol.isEmpty()) {
        protocol = "TCP";
      }
      long nodePort = Fields.integer(port, 0, "nodePort");
      long number = Fields.integer(port, 0, "port");
      pieces.add(nodePort > 0 ? number + ":" + nodePort + "/" + protocol : number + "/" + protocol);
    }
    return String.join(",", pieces);
  }

  static String externalIp(JsonNode service, String type) {
    List<String> externalIps = new ArrayList<>();
    Fields.array(service, "spec", "externalIPs").forEach(ip -> externalIps.add(ip.asText()));
    switch (type) {
      case "ClusterIP", "NodePort":
        return externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
      case "LoadBalancer":
        TreeSet<String> ingress = new TreeSet<>();
        for (JsonNode entry : Fields.array(service, "status", "loadBalancer", "ingress")) {
          if (!Fields.text(entry, "ip").isEmpty()) {
            ingress.add(Fields.text(entry, "ip"));
          } else if (!Fields.text(entry, "hostname").isEmpty()) {
            ingress.add(Fields.text(entry, "hostname"));
          }
        }
        if (!externalIps.isEmpty()) {
          List<String> results = new ArrayList<>(ingress);
          results.addAll(externalIps);
          return String.join(",", results);
        }
        return ingress.isEmpty() ? "<pending>" : String.join(",", ingress);
      case "ExternalName":
        return Fields.text(service, "spec", "externalName");
      default:
        return "<unknown>";
    }
  }
}
