package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Endpoints as printEndpoints: NAME ENDPOINTS AGE, with at most three "ip:port" shown and "+ N more...". */
final class EndpointsPrinter implements TablePrinter {
  private static final int MAXIMUM_SHOWN = 3;
  private static final List<Column> COLUMNS = List.of(
      Column.objectName(),
      Column.string("Endpoints", "The set of all endpoints is the union of all subsets."),
      Column.creationAge());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode endpoints, Instant now) {
    return List.of(
        Fields.name(endpoints),
        format(endpoints),
        Fields.age(endpoints, now));
  }

  /** formatEndpoints with all ports: "&lt;none&gt;" without subsets; every ready address times every port. */
  static String format(JsonNode endpoints) {
    List<JsonNode> subsets = Fields.array(endpoints, "subsets");
    if (subsets.isEmpty()) {
      return "<none>";
    }
    List<String> shown = new ArrayList<>();
    boolean more = false;
    int count = 0;
    for (JsonNode subset : subsets) {
      List<JsonNode> addresses = Fields.array(subset, "addresses");
      List<JsonNode> ports = Fields.array(subset, "ports");
      if (ports.isEmpty()) {
        // headless services may have no ports
        count += addresses.size();
        for (JsonNode address : addresses) {
          if (shown.size() == MAXIMUM_SHOWN) {
            more = true;
            break;
          }
          shown.add(Fields.text(address, "ip"));
        }
        continue;
      }
      for (JsonNode port : ports) {
        count += addresses.size();
        for (JsonNode address : addresses) {
          if (shown.size() == MAXIMUM_SHOWN) {
            more = true;
            break;
          }
          shown.add(joinHostPort(Fields.text(address, "ip"), Fields.integer(port, 0, "port")));
        }
      }
    }
    String joined = String.join(",", shown);
    return more ? joined + " + " + (count - MAXIMUM_SHOWN) + " more..." : joined;
  }

  /** net.JoinHostPort: IPv6 hosts in brackets. */
  private static String joinHostPort(String host, long port) {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
