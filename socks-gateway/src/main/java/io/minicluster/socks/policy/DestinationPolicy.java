package io.minicluster.socks.policy;

import java.util.List;

/**
 * Decides whether a client may reach a destination. Implementations are called on the gateway's resolver executor
 * (never on a Netty event loop), so they may consult slow state, but they should answer quickly: the client waits.
 */
@FunctionalInterface
public interface DestinationPolicy {

  PolicyDecision evaluate(DestinationRequest request);

  /**
   * Whether {@link #evaluate} may block (consult slow state). A policy answering {@code false} is a pure function
   * of its request and its own immutable state; the gateway then calls it directly on the event loop and saves two
   * thread hand-offs per connection.
   */
  default boolean mayBlock() {
    return true;
  }

  /** Lines describing what is reachable, for the status page. */
  default List<String> describe() {
    return List.of();
  }

  /** A policy refusing everything. */
  static DestinationPolicy denyAll() {
    return new CidrAllowListPolicy(List.of());
  }
}
