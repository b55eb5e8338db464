package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;

/** One allow-list entry: a network and the ports allowed in it. */
public record CidrRule(Cidr cidr, PortRange ports) {

  public CidrRule {
    requireNonNull(cidr, "cidr is null");
    requireNonNull(ports, "ports is null");
  }

  /**
   * Parses {@code 10.244.0.0/16}, {@code 10.244.0.0/16:80}, {@code 10.0.0.1:8000-9000}, {@code fd00::/8} (all
   * ports) or {@code [fd00::/8]:443} (IPv6 with ports needs the brackets).
   */
  public static CidrRule parse(String text) {
    requireNonNull(text, "text is null");
    String trimmed = text.trim();
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in '" + text + "'");
      }
      Cidr cidr = Cidr.parse(trimmed.substring(1, close));
      String rest = trimmed.substring(close + 1);
      if (rest.isEmpty()) {
        return new CidrRule(cidr, PortRange.ALL);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':ports' after ']' in '" + text + "'");
      }
      return new CidrRule(cidr, PortRange.parse(rest.substring(1)));
    }
    int firstColon = trimmed.indexOf(':');
    if (firstColon >= 0 && firstColon == trimmed.lastIndexOf(':')) {
      return new CidrRule(Cidr.parse(trimmed.substring(0, firstColon)), PortRange.parse(trimmed.substring(firstColon + 1)));
    }
    return new CidrRule(Cidr.parse(trimmed), PortRange.ALL);
  }

  public boolean matches(InetAddress address, int port) {
    return cidr.contains(address) && ports.contains(port);
  }

  @Override
  public String toString() {
    if (ports.equals(PortRange.ALL)) {
      return cidr.toString();
    }
    return (cidr.isIpv4() ? cidr.toString() : "[" + cidr + "]") + ":" + ports;
  }
}
