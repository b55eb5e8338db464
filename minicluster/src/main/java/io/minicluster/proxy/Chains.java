package io.minicluster.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The chains of the service proxy, kube-proxy's layout under a prefix of our own (iptables chain names are at most 28
 * characters, so the per-service chains carry a 12-character hash where kube-proxy has 16).
 */
public final class Chains {
  /** Every chain of ours starts with this: what the applier owns, replaces and removes. */
  public static final String PREFIX = "MINICLUSTER-";

  /** nat and filter: the entry for service addresses (from PREROUTING/OUTPUT; filter: REJECT without endpoints). */
  public static final String SERVICES = PREFIX + "SERVICES";
  /** nat: node ports, the last rule of {@link #SERVICES} jumps here for the node's addresses. */
  public static final String NODEPORTS = PREFIX + "NODEPORTS";
  /** filter: REJECT/DROP for external destinations (node ports, external and load-balancer IPs) without endpoints. */
  public static final String EXTERNAL_SERVICES = PREFIX + "EXT-SERVICES";
  /** filter: accepts forwarded service traffic even when the FORWARD policy drops (Docker sets it to DROP). */
  public static final String FORWARD = PREFIX + "FORWARD";
  /** nat: marks a packet for masquerade. */
  public static final String MARK_MASQ = PREFIX + "MARK-MASQ";
  /** nat: masquerades marked packets. */
  public static final String POSTROUTING = PREFIX + "POSTROUTING";

  static final String SVC = PREFIX + "SVC-";
  static final String SVL = PREFIX + "SVL-";
  static final String EXT = PREFIX + "EXT-";
  static final String SEP = PREFIX + "SEP-";

  /** The masquerade mark bit, kube-proxy's default (--iptables-masquerade-bit 14). */
  public static final String MASQ_MARK = "0x4000";

  /** A jump from a built-in chain to one of ours; extraArgs come before the comment. */
  public record Jump(Table table, String from, String extraArgs, String comment, String to) {
    /** The rule as iptables-restore reads it, without "-A chain". */
    public String spec() {
      return (extraArgs.isEmpty() ? "" : extraArgs + " ") + "-m comment --comment \"" + comment + "\" -j " + to;
    }
  }

  /** kube-proxy's iptablesJumpChains (without the health check and source-range firewall chains). */
  public static final List<Jump> JUMPS = List.of(
      new Jump(Table.FILTER, "INPUT", "-m conntrack --ctstate NEW", "minicluster externally-visible service portals",
          EXTERNAL_SERVICES),
      new Jump(Table.FILTER, "FORWARD", "-m conntrack --ctstate NEW", "minicluster externally-visible service portals",
          EXTERNAL_SERVICES),
      new Jump(Table.FILTER, "FORWARD", "-m conntrack --ctstate NEW", "minicluster service portals", SERVICES),
      new Jump(Table.FILTER, "OUTPUT", "-m conntrack --ctstate NEW", "minicluster service portals", SERVICES),
      new Jump(Table.FILTER, "FORWARD", "", "minicluster forwarding rules", FORWARD),
      new Jump(Table.NAT, "OUTPUT", "", "minicluster service portals", SERVICES),
      new Jump(Table.NAT, "PREROUTING", "", "minicluster service portals", SERVICES),
      new Jump(Table.NAT, "POSTROUTING", "", "minicluster postrouting rules", POSTROUTING));

  private Chains() {}

  static String serviceChain(String servicePortName, String protocol) {
    return SVC + hash(servicePortName + protocol);
  }

  static String localChain(String servicePortName, String protocol) {
    return SVL + hash(servicePortName + protocol);
  }

  static String externalChain(String servicePortName, String protocol) {
    return EXT + hash(servicePortName + protocol);
  }

  static String endpointChain(String servicePortName, String protocol, String endpoint) {
    return SEP + hash(servicePortName + protocol + endpoint);
  }

  /** Whether a chain name is one of ours. */
  public static boolean ours(String chain) {
    return chain.startsWith(PREFIX);
  }

  /** The first 12 characters of the base32 SHA-256, as kube-proxy's portProtoHash (which keeps 16). */
  static String hash(String text) {
    byte[] digest = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    return base32(digest, 12);
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  /** The first {@code length} characters of the standard base32 encoding of {@code data}. */
  private static String base32(byte[] data, int length) {
    StringBuilder out = new StringBuilder(length);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < data.length && out.length() < length; i++) {
      buffer = (buffer << 8) | (data[i] & 0xff);
      bits += 8;
      while (bits >= 5 && out.length() < length) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return out.toString();
  }
}
