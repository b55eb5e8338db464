package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The answer of a {@link DestinationPolicy}: allowed, or refused with a reason and a human-readable detail. An
 * allowed decision may name other addresses to connect to instead ({@code connectTo}), for destinations that are
 * virtual: a service's address, whose ready endpoints the policy knows. The gateway picks one of them at random for
 * each connection, and if connecting to it fails (refused, unreachable, timed out) tries another, up to
 * {@link #MAX_ATTEMPTS} in all.
 *
 * @param connectTo where to connect instead of the requested address; empty means the requested address itself
 */
public record PolicyDecision(boolean allowed, RefusalReason reason, String detail, List<InetSocketAddress> connectTo) {

  /** The most candidates of {@code connectTo} one connection tries. */
  public static final int MAX_ATTEMPTS = 3;

  private static final PolicyDecision ALLOW = new PolicyDecision(true, null, "allowed", List.of());

  public PolicyDecision(boolean allowed, RefusalReason reason, String detail) {
    this(allowed, reason, detail, List.of());
  }

  public PolicyDecision {
    requireNonNull(detail, "detail is null");
    connectTo = List.copyOf(requireNonNull(connectTo, "connectTo is null"));
    if (!allowed) {
      requireNonNull(reason, "reason is null");
    }
  }

  public static PolicyDecision allow() {
    return ALLOW;
  }

  /** Allowed, connecting to {@code target} instead of the requested address. */
  public static PolicyDecision allowVia(InetSocketAddress target, String detail) {
    return allowVia(List.of(requireNonNull(target, "target is null")), detail);
  }

  /**
   * Allowed, connecting to one of {@code targets} (picked at random per connection) instead of the requested
   * address; for a service, its ready endpoints.
   *
   * @throws IllegalArgumentException if {@code targets} is empty: refuse instead (e.g. connection refused, as a
   *     service without ready endpoints answers)
   */
  public static PolicyDecision allowVia(List<InetSocketAddress> targets, String detail) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no targets to connect to");
    }
    return new PolicyDecision(true, null, detail, targets);
  }

  /** Refused as "not allowed by ruleset" (SOCKS5 0x02). */
  public static PolicyDecision deny(String detail) {
    return new PolicyDecision(false, RefusalReason.DESTINATION_NOT_ALLOWED, detail);
  }

  public static PolicyDecision refuse(RefusalReason reason, String detail) {
    return new PolicyDecision(false, reason, detail);
  }
}
