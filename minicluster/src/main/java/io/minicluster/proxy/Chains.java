package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The chains of one service proxy, kube-proxy's layout under a prefix of that proxy's own. Each installation (each data
 * directory) has its own prefix, so that two daemons on one host (tests, a second installation) never replace or
 * remove each other's chains: {@code MC-} and six hex digits of the SHA-256 of the data directory's absolute path (a
 * shell computes the same with {@code sha256sum}). iptables chain names are at most 28 characters, so the per-service
 * chains carry a 12-character hash where kube-proxy has 16.
 */
public final class Chains {
  /** The longest prefix: a per-service chain is prefix + "SVC-" + 12 characters, at most 28. */
  static final int MAX_PREFIX_LENGTH = 12;

  /** The masquerade mark bit, kube-proxy's default (--iptables-masquerade-bit 14). */
  public static final String MASQ_MARK = "0x4000";

  /** A jump from a built-in chain to one of ours; extraArgs come before the comment. */
  public record Jump(Table table, String from, String extraArgs, String comment, String to) {
    /** The rule as iptables-restore reads it, without "-A chain". */
    public String spec() {
      return (extraArgs.isEmpty() ? "" : extraArgs + " ") + "-m comment --comment \"" + comment + "\" -j " + to;
    }
  }

  private final String prefix;
  private final List<Jump> jumps;

  private Chains(String prefix) {
    this.prefix = prefix;
    String tag = "minicluster " + prefix.substring(0, prefix.length() - 1);
    // kube-proxy's iptablesJumpChains (without the health check and source-range firewall chains)
    this.jumps = List.of(
        new Jump(Table.FILTER, "INPUT", "", tag + " pods reach the host's cluster services", input()),
        new Jump(Table.FILTER, "INPUT", "-m conntrack --ctstate NEW", tag + " externally-visible service portals",
            externalServices()),
        new Jump(Table.FILTER, "FORWARD", "-m conntrack --ctstate NEW", tag + " externally-visible service portals",
            externalServices()),
        new Jump(Table.FILTER, "FORWARD", "-m conntrack --ctstate NEW", tag + " service portals", services()),
        new Jump(Table.FILTER, "OUTPUT", "-m conntrack --ctstate NEW", tag + " service portals", services()),
        new Jump(Table.FILTER, "FORWARD", "", tag + " forwarding rules", forward()),
        new Jump(Table.NAT, "OUTPUT", "", tag + " service portals", services()),
        new Jump(Table.NAT, "PREROUTING", "", tag + " service portals", services()),
        new Jump(Table.NAT, "POSTROUTING", "", tag + " postrouting rules", postrouting()));
  }

  /**
   * The chains under a prefix: upper-case letters, digits and dashes, ending with a dash, at most {@value
   * #MAX_PREFIX_LENGTH} characters.
   */
  public static Chains withPrefix(String prefix) {
    requireNonNull(prefix, "prefix is null");
    if (!prefix.matches("[A-Z][A-Z0-9-]*-") || prefix.length() > MAX_PREFIX_LENGTH) {
      throw new IllegalArgumentException("a chain prefix is upper-case letters, digits and dashes ending with a "
          + "dash, at most " + MAX_PREFIX_LENGTH + " characters: " + prefix);
    }
    return new Chains(prefix);
  }

  /** The chains of the installation with this data directory: {@code MC-} and 6 hex digits of its path's SHA-256. */
  public static Chains forDataDir(Path dataDir) {
    requireNonNull(dataDir, "dataDir is null");
    String path = dataDir.toAbsolutePath().normalize().toString();
    byte[] digest = sha256().digest(path.getBytes(StandardCharsets.UTF_8));
    return withPrefix("MC-" + HexFormat.of().formatHex(digest, 0, 3).toUpperCase(Locale.ROOT) + "-");
  }

  /** Every chain of ours starts with this: what the applier owns, replaces and removes. */
  public String prefix() {
    return prefix;
  }

  /** nat and filter: the entry for service addresses (from PREROUTING/OUTPUT; filter: REJECT without endpoints). */
  public String services() {
    return prefix + "SERVICES";
  }

  /** nat: node ports, the last rule of {@link #services} jumps here for the node's addresses. */
  public String nodePorts() {
    return prefix + "NODEPORTS";
  }

  /** filter: REJECT/DROP for external destinations (node ports, external and load-balancer IPs) without endpoints. */
  public String externalServices() {
    return prefix + "EXT-SERVICES";
  }

  /**
   * filter, from INPUT before anything else there: accepts the pods' traffic to the cluster DNS and the API server on
   * the host, which a host firewall dropping INPUT (ufw's default) would drop.
   */
  public String input() {
    return prefix + "INPUT";
  }

  /** filter: accepts forwarded service traffic even when the FORWARD policy drops (Docker sets it to DROP). */
  public String forward() {
    return prefix + "FORWARD";
  }

  /** nat: marks a packet for masquerade. */
  public String markMasq() {
    return prefix + "MARK-MASQ";
  }

  /** nat: masquerades marked packets. */
  public String postrouting() {
    return prefix + "POSTROUTING";
  }

  /** The prefix of the per-service-port chains (cluster policy). */
  String servicePrefix() {
    return prefix + "SVC-";
  }

  /** The prefix of the per-service-port chains (local policy). */
  String localPrefix() {
    return prefix + "SVL-";
  }

  /** The prefix of the per-service-port chains for external destinations. */
  String externalPrefix() {
    return prefix + "EXT-";
  }

  /**
   * The prefix of the per-endpoint chains (kube-proxy's KUBE-SEP-): XEP, so that they sort above the per-service chains
   * (SVC, SVL, EXT) that jump to them, which keeps iptables-nft-restore's chain list cheap (see RuleSet's write order).
   */
  String endpointPrefix() {
    return prefix + "XEP-";
  }

  /** The jumps from built-in chains into ours. */
  public List<Jump> jumps() {
    return jumps;
  }

  String serviceChain(String servicePortName, String protocol) {
    return servicePrefix() + hash(servicePortName + protocol);
  }

  String localChain(String servicePortName, String protocol) {
    return localPrefix() + hash(servicePortName + protocol);
  }

  String externalChain(String servicePortName, String protocol) {
    return externalPrefix() + hash(servicePortName + protocol);
  }

  String endpointChain(String servicePortName, String protocol, String endpoint) {
    return endpointPrefix() + hash(servicePortName + protocol + endpoint);
  }

  /** Whether a chain name is one of ours. */
  public boolean ours(String chain) {
    return chain.startsWith(prefix);
  }

  /** Whether {@code from -> to} in a table is one of our jumps from a built-in chain. */
  boolean isJump(Table table, String from, String to) {
    for (Jump jump : jumps) {
      if (jump.table() == table && jump.from().equals(from) && jump.to().equals(to)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Chains chains && chains.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  @Override
  public String toString() {
    return prefix + "*";
  }

  /** The first 12 characters of the base32 SHA-256, as kube-proxy's portProtoHash (which keeps 16). */
  static String hash(String text) {
    byte[] digest = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    return base32(digest, 12);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Chains::sha256);

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
