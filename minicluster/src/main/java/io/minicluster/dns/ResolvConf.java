package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolv.conf, read as the kubelet reads it ({@code parseResolvConf} in pkg/kubelet/network/dns): nameserver lines
 * accumulate, the last search line and the last options line win, a search domain's final dot is dropped, lines
 * starting with '#' are comments.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {
  /** The host's resolver configuration. */
  public static final Path DEFAULT_PATH = Path.of("/etc/resolv.conf");
  /** What systemd-resolved forwards to (its stub's upstreams), written by systemd-resolved itself. */
  public static final Path SYSTEMD_RESOLVED_PATH = Path.of("/run/systemd/resolve/resolv.conf");
  private static final long MAX_LENGTH = 10L << 20;

  public ResolvConf {
    nameservers = List.copyOf(nameservers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
  }

  public static ResolvConf parse(String text) {
    List<String> nameservers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      if (fields.length == 0 || fields[0].isEmpty()) {
        continue;
      }
      switch (fields[0]) {
        case "nameserver" -> {
          if (fields.length >= 2) {
            nameservers.add(fields[1]);
          }
        }
        case "search" -> {
          searches.clear();
          for (int i = 1; i < fields.length; i++) {
            searches.add(fields[i].endsWith(".") ? fields[i].substring(0, fields[i].length() - 1) : fields[i]);
          }
        }
        case "options" -> {
          options.clear();
          options.addAll(List.of(fields).subList(1, fields.length));
        }
        default -> {
          // domain, sortlist and unknown lines play no part
        }
      }
    }
    return new ResolvConf(nameservers, searches, options);
  }

  public static ResolvConf read(Path path) throws IOException {
    if (Files.size(path) > MAX_LENGTH) {
      throw new IOException(path + " is larger than " + MAX_LENGTH + " bytes");
    }
    return parse(Files.readString(path, StandardCharsets.UTF_8));
  }

  /**
   * The configuration that names the host's real upstream resolvers: {@code path}, unless it lists nothing but
   * systemd-resolved's stub (127.0.0.53, 127.0.0.54), in which case {@code systemdResolved} (what the stub forwards
   * to), when that file exists and names a nameserver.
   */
  public static ResolvConf host(Path path, Path systemdResolved) throws IOException {
    ResolvConf conf = read(requireNonNull(path, "path is null"));
    if (!conf.nameservers.isEmpty() && conf.nameservers.stream().allMatch(ResolvConf::isSystemdResolvedStub)
        && Files.isRegularFile(systemdResolved)) {
      ResolvConf real = read(systemdResolved);
      if (!real.nameservers.isEmpty()) {
        return real;
      }
    }
    return conf;
  }

  /**
   * This configuration as a pod can use it: nameservers on the host's loopback (systemd-resolved's stub, a local
   * dnsmasq) answer nowhere inside a pod's network namespace, so they are left out; when none is left, {@code fallback}
   * (the cluster DNS, which forwards to the host's real upstreams) takes their place.
   */
  public ResolvConf forPods(List<String> fallback) {
    List<String> reachable = nameservers.stream().filter(server -> !isLoopback(server)).toList();
    if (reachable.size() == nameservers.size()) {
      return this;
    }
    return new ResolvConf(reachable.isEmpty() ? fallback : reachable, searches, options);
  }

  private static boolean isLoopback(String nameserver) {
    int scope = nameserver.indexOf('%');
    String literal = scope >= 0 ? nameserver.substring(0, scope) : nameserver;
    return IpAddresses.isLiteral(literal) && IpAddresses.parse(literal).isLoopbackAddress();
  }

  /** systemd-resolved's stub listeners, which only answer on the host's loopback. */
  public static boolean isSystemdResolvedStub(String nameserver) {
    return nameserver.equals("127.0.0.53") || nameserver.equals("127.0.0.54");
  }

  /**
   * An upstream resolver as a setting gives it: an IP literal ({@code 192.0.2.53}, {@code fd00::53}) on port 53, or with
   * a port ({@code 127.0.0.1:5353}, {@code [fd00::53]:5353}); IllegalArgumentException for anything else.
   */
  public static InetSocketAddress upstream(String text) {
    requireNonNull(text, "text is null");
    String host = text;
    int port = 53;
    int colon = text.lastIndexOf(':');
    if (text.startsWith("[") && text.contains("]:")) {
      host = text.substring(1, text.indexOf("]:"));
      port = port(text.substring(text.indexOf("]:") + 2), text);
    } else if (colon > 0 && text.indexOf(':') == colon) {
      host = text.substring(0, colon);
      port = port(text.substring(colon + 1), text);
    }
    if (!IpAddresses.isLiteral(host)) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address with an optional port: use e.g. "
          + "192.0.2.53, 127.0.0.1:5353 or [fd00::53]:5353");
    }
    return new InetSocketAddress(IpAddresses.parse(host), port);
  }

  private static int port(String digits, String text) {
    try {
      int port = Integer.parseInt(digits);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("\"" + text + "\" has no valid port: use 1-65535");
  }

  /** The nameservers that are IP literals (a scope like {@code %eth0} allowed), as upstreams on port 53. */
  public List<InetSocketAddress> upstreams() {
    List<InetSocketAddress> upstreams = new ArrayList<>();
    for (String nameserver : nameservers) {
      int scope = nameserver.indexOf('%');
      String literal = scope >= 0 ? nameserver.substring(0, scope) : nameserver;
      if (!IpAddresses.isLiteral(literal)) {
        continue;
      }
      try {
        // a literal, so no lookup happens; the scope id is kept for link-local IPv6 upstreams
        InetAddress address = InetAddress.getByName(nameserver);
        upstreams.add(new InetSocketAddress(address, 53));
      } catch (IOException e) {
        // an unknown scope: left out
      }
    }
    return List.copyOf(upstreams);
  }
}
