package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.policy.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The host names under which the gateway serves its own pages (PAC file, status page, metrics): a defence against
 * DNS rebinding, where a web page's own name is pointed at the gateway's address so that the browser lets the page
 * read the gateway's answers. Such a request carries the attacker's name in its Host header.
 *
 * <p>Accepted: any IP literal (a page can only be served from a literal address by that address itself, so a literal
 * is never a rebinding), {@code localhost}, the machine's host name, the advertised host, and the names configured
 * with {@link GatewayConfig.Builder#localName(String)}. The port is not compared: tunnels and port forwards change
 * it.
 */
final class LocalNames {

  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  private final Set<String> names;

  LocalNames(Set<String> names) {
    Set<String> normalized = new HashSet<>();
    for (String name : requireNonNull(names, "names is null")) {
      normalized.add(normalize(name));
    }
    this.names = Set.copyOf(normalized);
  }

  /** The names a gateway with this configuration answers to, with the machine's host name (no DNS lookup). */
  static LocalNames of(GatewayConfig config) {
    Set<String> names = new HashSet<>(config.localNames());
    names.add("localhost");
    config.advertisedHost().ifPresent(names::add);
    String hostname = machineHostname();
    if (hostname != null) {
      names.add(hostname);
    }
    return new LocalNames(names);
  }

  private static String machineHostname() {
    try {
      String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.US_ASCII).trim();
      return name.isEmpty() ? null : name;
    } catch (IOException | RuntimeException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
    }
  }

  /** Whether a Host header's host (without port and brackets) names this gateway. */
  boolean accepts(String host) {
    String name = normalize(host);
    return Cidr.parseAddressLiteral(name) != null || names.contains(name);
  }

  /**
   * Whether {@code host} is this machine itself: one of its names, a loopback address or an address of one of its
   * interfaces. An absolute-form request to this host and the gateway's port asks for the gateway's own pages.
   */
  boolean isThisMachine(String host) {
    String name = normalize(host);
    InetAddress literal = Cidr.parseAddressLiteral(name);
    if (literal == null) {
      return names.contains(name);
    }
    if (literal.isLoopbackAddress() || literal.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(literal) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static String normalize(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  @Override
  public String toString() {
    return "LocalNames" + names;
  }
}
