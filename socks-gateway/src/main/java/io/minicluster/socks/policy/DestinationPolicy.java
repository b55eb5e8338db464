package io.minicluster.socks.policy;

import java.util.List;

/**
 * Decides whether a client may reach a destination. Implementations are called on the gateway's resolver executor
 * (never on a Netty event loop), so they may consult slow state, but they should answer quickly: the client waits.
 */
@FunctionalInterface
public interface DestinationPolicy {

  PolicyDecision evaluate(DestinationRequest request);

  /** Lines describing what is reachable, for the status page. */
  default List<String> describe() {
    return List.of();
  }

  /** A policy refusing everything. */
  static DestinationPolicy denyAll() {
    return new CidrAllowListPolicy(List.of());
  }
}
