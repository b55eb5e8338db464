package io.minicluster.socks.policy;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Allows exactly the destinations matched by a list of {@link CidrRule}s and refuses everything else.
 *
 * <p>Sensitive ranges (loopback, "this network" 0/8 and ::, link-local, multicast, broadcast) are only reachable
 * through a rule that lies entirely inside that range: {@code 127.0.0.1/32} opens the host's loopback, but
 * {@code 0.0.0.0/0} or {@code ::/0} never does. This keeps a broad allow-list from exposing services bound to the
 * gateway host's loopback.
 */
public final class CidrAllowListPolicy implements DestinationPolicy {

  private static final List<Cidr> SENSITIVE_RANGES = List.of(
      Cidr.parse("127.0.0.0/8"),
      Cidr.parse("0.0.0.0/8"),
      Cidr.parse("169.254.0.0/16"),
      Cidr.parse("224.0.0.0/4"),
      Cidr.parse("255.255.255.255/32"),
      Cidr.parse("::1/128"),
      Cidr.parse("::/128"),
      Cidr.parse("fe80::/10"),
      Cidr.parse("ff00::/8"));

  private final List<CidrRule> rules;

  public CidrAllowListPolicy(List<CidrRule> rules) {
    this.rules = List.copyOf(requireNonNull(rules, "rules is null"));
  }

  /** Matching is pure computation over immutable rules. */
  @Override
  public boolean mayBlock() {
    return false;
  }

  /** Builds a policy from rule texts such as {@code 10.244.0.0/16} or {@code 10.0.0.5:80}. */
  public static CidrAllowListPolicy parse(List<String> ruleTexts) {
    List<CidrRule> parsed = new ArrayList<>();
    for (String text : ruleTexts) {
      parsed.add(CidrRule.parse(text));
    }
    return new CidrAllowListPolicy(parsed);
  }

  public List<CidrRule> rules() {
    return rules;
  }

  @Override
  public PolicyDecision evaluate(DestinationRequest request) {
    InetAddress address = request.address();
    Cidr sensitiveRange = sensitiveRangeOf(address);
    for (CidrRule rule : rules) {
      if (!rule.matches(address, request.port())) {
        continue;
      }
      if (sensitiveRange == null || sensitiveRange.contains(rule.cidr())) {
        return PolicyDecision.allow();
      }
    }
    return PolicyDecision.deny("destination " + request.address().getHostAddress() + " port " + request.port()
        + " is not in the allow-list");
  }

  @Override
  public List<String> describe() {
    if (rules.isEmpty()) {
      return List.of("nothing (empty allow-list)");
    }
    List<String> lines = new ArrayList<>();
    for (CidrRule rule : rules) {
      lines.add(rule.toString());
    }
    return lines;
  }

  private static Cidr sensitiveRangeOf(InetAddress address) {
    for (Cidr range : SENSITIVE_RANGES) {
      if (range.contains(address)) {
        return range;
      }
    }
    return null;
  }
}
