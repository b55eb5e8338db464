package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

/**
 * The answer of a {@link DestinationPolicy}: allowed, or refused with a reason and a human-readable detail. An
 * allowed decision may name another address to connect to instead ({@code connectTo}), for destinations that are
 * virtual (a load-balanced address whose backends the policy knows).
 */
public record PolicyDecision(boolean allowed, RefusalReason reason, String detail,
    java.net.InetSocketAddress connectTo) {

  private static final PolicyDecision ALLOW = new PolicyDecision(true, null, "allowed", null);

  public PolicyDecision(boolean allowed, RefusalReason reason, String detail) {
    this(allowed, reason, detail, null);
  }

  public PolicyDecision {
    requireNonNull(detail, "detail is null");
    if (!allowed) {
      requireNonNull(reason, "reason is null");
    }
  }

  public static PolicyDecision allow() {
    return ALLOW;
  }

  /** Allowed, connecting to {@code target} instead of the requested address. */
  public static PolicyDecision allowVia(java.net.InetSocketAddress target, String detail) {
    return new PolicyDecision(true, null, detail, requireNonNull(target, "target is null"));
  }

  /** Refused as "not allowed by ruleset" (SOCKS5 0x02). */
  public static PolicyDecision deny(String detail) {
    return new PolicyDecision(false, RefusalReason.DESTINATION_NOT_ALLOWED, detail);
  }

  public static PolicyDecision refuse(RefusalReason reason, String detail) {
    return new PolicyDecision(false, reason, detail);
  }
}
