package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** EndpointSlices as printEndpointSlice: NAME ADDRESSTYPE PORTS ENDPOINTS AGE. */
final class EndpointSlicePrinter implements TablePrinter {
  private static final int MAXIMUM_SHOWN = 3;
  private static final List<Column> COLUMNS = List.of(
      Column.objectName(),
      Column.string("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
      Column.string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
      Column.string("Endpoints", "endpoints is a list of unique endpoints in this slice."),
      Column.creationAge());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode slice, Instant now) {
    return List.of(
        Fields.name(slice),
        Fields.text(slice, "addressType"),
        ports(slice),
        endpoints(slice),
        Fields.age(slice, now));
  }

  /** Port numbers, or the port name, or "*"; "&lt;unset&gt;" when there are none. */
  static String ports(JsonNode slice) {
    List<String> values = new ArrayList<>();
    for (JsonNode port : Fields.array(slice, "ports")) {
      JsonNode number = port.get("port");
      JsonNode name = port.get("name");
      if (number != null && number.isNumber()) {
        values.add(Long.toString(number.asLong()));
      } else if (name != null && !name.isNull()) {
        values.add(name.asText());
      } else {
        values.add("*");
      }
    }
    return listWithMore(values);
  }

  /** All addresses of all endpoints; "&lt;unset&gt;" when there are none. */
  static String endpoints(JsonNode slice) {
    List<String> values = new ArrayList<>();
    for (JsonNode endpoint : Fields.array(slice, "endpoints")) {
      Fields.array(endpoint, "addresses").forEach(address -> values.add(address.asText()));
    }
    return listWithMore(values);
  }

  private static String listWithMore(List<String> values) {
    if (values.size() > MAXIMUM_SHOWN) {
      return String.join(",", values.subList(0, MAXIMUM_SHOWN)) + " + " + (values.size() - MAXIMUM_SHOWN)
          + " more...";
    }
    return values.isEmpty() ? "<unset>" : String.join(",", values);
  }
}
