package io.minicluster.apiserver.streams;

import io.minicluster.api.ApiException;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of pods/{name}/portforward: {@code ports}, repeated or comma-separated ({@code ?ports=80,8080}), which
 * only the WebSocket channel protocol uses (SPDY clients name the port on each stream).
 *
 * @param ports the ports in request order (duplicates kept: each gets its own pair of channels)
 * @param joined the values as the apiserver passes them on to the kubelet, joined with commas
 */
record PortForwardOptions(List<Integer> ports, String joined) {

  PortForwardOptions {
    ports = List.copyOf(ports);
  }

  /**
   * Parses the query of {@code uri} as the apiserver converts it into PodPortForwardOptions.
   *
   * @throws ApiException 400 BadRequest when a value is not a port number (0 to 65535)
   */
  static PortForwardOptions parse(String uri) {
    List<String> values = new QueryStringDecoder(uri).parameters().getOrDefault("ports", List.of());
    List<Integer> ports = new ArrayList<>();
    for (String value : values) {
      for (String part : value.split(",", -1)) {
        ports.add(parsePort(part));
      }
    }
    return new PortForwardOptions(ports, String.join(",", values));
  }

  /** Go's strconv.ParseUint(part, 10, 16), with its messages. */
  private static int parsePort(String part) {
    boolean digits = !part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      throw conversionError(part, "invalid syntax");
    }
    String significant = part.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 5 || Integer.parseInt(significant) > 65535) {
      throw conversionError(part, "value out of range");
    }
    return Integer.parseInt(significant);
  }

  private static ApiException conversionError(String part, String reason) {
    return ApiException.badRequest("cannot convert to []int32: strconv.ParseUint: parsing \"" + part + "\": "
        + reason);
  }

  /**
   * Checks the ports as the kubelet does for a WebSocket port-forward.
   *
   * @throws UpgradeRefusal 400 when there is none or one is 0
   */
  void requireForWebSocket() {
    if (ports.isEmpty()) {
      throw new UpgradeRefusal(400, "query parameter \"port\" is required");
    }
    if (ports.contains(0)) {
      throw new UpgradeRefusal(400, "port \"" + joined + "\" must be > 0");
    }
  }
}
