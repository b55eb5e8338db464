package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

/** The answer of a {@link DestinationPolicy}: allowed, or refused with a reason and a human-readable detail. */
public record PolicyDecision(boolean allowed, RefusalReason reason, String detail) {

  private static final PolicyDecision ALLOW = new PolicyDecision(true, null, "allowed");

  public PolicyDecision {
    requireNonNull(detail, "detail is null");
    if (!allowed) {
      requireNonNull(reason, "reason is null");
    }
  }

  public static PolicyDecision allow() {
    return ALLOW;
  }

  /** Refused as "not allowed by ruleset" (SOCKS5 0x02). */
  public static PolicyDecision deny(String detail) {
    return new PolicyDecision(false, RefusalReason.DESTINATION_NOT_ALLOWED, detail);
  }

  public static PolicyDecision refuse(RefusalReason reason, String detail) {
    return new PolicyDecision(false, reason, detail);
  }
}
