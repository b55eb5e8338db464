package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A {@code hostPort} of a pod: connections to {@code hostIp:hostPort} on the host reach {@code containerPort} in the pod.
 *
 * @param containerPort port inside the pod's network namespace
 * @param hostPort port on the host
 * @param hostIp host address to bind, empty for all addresses
 * @param protocol "TCP", "UDP" or "SCTP"
 */
public record PortMapping(int containerPort, int hostPort, String hostIp, String protocol) {
  public PortMapping {
    requireNonNull(hostIp, "hostIp is null");
    requireNonNull(protocol, "protocol is null");
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("containerPort out of range: " + containerPort);
    }
    if (hostPort < 1 || hostPort > 65535) {
      throw new IllegalArgumentException("hostPort out of range: " + hostPort);
    }
    protocol = protocol.isEmpty() ? "TCP" : protocol.toUpperCase(Locale.ROOT);
  }

  public static PortMapping tcp(int containerPort, int hostPort) {
    return new PortMapping(containerPort, hostPort, "", "TCP");
  }
}
