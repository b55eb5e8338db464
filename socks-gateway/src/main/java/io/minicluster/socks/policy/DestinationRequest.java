package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A destination a client asked for, after name resolution.
 *
 * @param client the client's address; unresolved (no {@link InetSocketAddress#getAddress()}) for in-memory channels
 * @param requestedHost the host name the client sent, or null when it sent an IP address
 * @param address the address the gateway would connect to
 * @param port the destination port
 */
public record DestinationRequest(InetSocketAddress client, String requestedHost, InetAddress address, int port) {

  public DestinationRequest {
    requireNonNull(client, "client is null");
    requireNonNull(address, "address is null");
  }

  public Optional<String> host() {
    return Optional.ofNullable(requestedHost);
  }
}
