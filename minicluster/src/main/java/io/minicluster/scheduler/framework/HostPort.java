package io.minicluster.scheduler.framework;

import static java.util.Objects.requireNonNull;

/**
 * A host port used by a pod: "" host IP is normalized to 0.0.0.0 and "" protocol to TCP. Two ports conflict when
 * protocol and port are equal and either IP is the wildcard or both are equal (HostPortInfo.CheckConflict).
 */
public record HostPort(String ip, String protocol, int port) {
  public static final String WILDCARD = "0.0.0.0";

  public HostPort {
    requireNonNull(ip, "ip is null");
    requireNonNull(protocol, "protocol is null");
    ip = ip.isEmpty() ? WILDCARD : ip;
    protocol = protocol.isEmpty() ? "TCP" : protocol;
  }

  public boolean conflictsWith(HostPort other) {
    if (port != other.port || !protocol.equals(other.protocol)) {
      return false;
    }
    return ip.equals(WILDCARD) || other.ip.equals(WILDCARD) || ip.equals(other.ip);
  }
}
