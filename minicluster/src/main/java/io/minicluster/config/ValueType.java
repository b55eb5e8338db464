package io.minicluster.config;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ImageReference;
import io.minicluster.agent.runtime.Ipv4Cidr;
import io.minicluster.dns.ResolvConf;
import io.minicluster.socks.Credentials;
import io.minicluster.socks.policy.Cidr;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The kinds of values configuration keys take, each with its parser. A parser returns the typed value (Integer,
 * Boolean, String, Path) or throws {@link IllegalArgumentException} whose message says what is wrong and what is
 * expected, e.g. {@code "65536" is not a port number: use 1-65535}.
 */
public enum ValueType {
  /** A TCP port, 0 (any free port) to 65535. */
  PORT("a port number (0 picks a free port)") {
    @Override
    Object parse(String text) {
      int port = integer(text, "a port number: use 1-65535");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(quote(text) + " is not a port number: use 1-65535");
      }
      return port;
    }
  },
  /** A TCP port, or -1 to turn the listener off. */
  PORT_OR_OFF("a port number, or -1 to disable") {
    @Override
    Object parse(String text) {
      int port = integer(text, "a port number: use 1-65535, or -1 to disable");
      if (port < -1 || port > 65535) {
        throw new IllegalArgumentException(quote(text) + " is not a port number: use 1-65535, or -1 to disable");
      }
      return port;
    }
  },
  /** An IPv4 or IPv6 address literal (no host names: nothing is looked up at start-up). */
  IP_ADDRESS("an IP address") {
    @Override
    Object parse(String text) {
      if (Cidr.parseAddressLiteral(text) == null) {
        throw new IllegalArgumentException(quote(text) + " is not an IP address: use e.g. 0.0.0.0, 127.0.0.1 or ::");
      }
      return text;
    }
  },
  /** An IPv4 network for pods or services, /8 to /30, host bits zero. */
  IPV4_CIDR("an IPv4 network (CIDR)") {
    @Override
    Object parse(String text) {
      try {
        return Ipv4Cidr.parse(text).toString();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(quote(text) + " is not an IPv4 network with a prefix of /8 to /30 and "
            + "no host bits set: use e.g. 10.244.0.0/16");
      }
    }
  },
  /** An IPv4 or IPv6 network or single address (SOCKS allow-lists). */
  CIDR("an IP network (CIDR) or address") {
    @Override
    Object parse(String text) {
      try {
        Cidr.parse(text);
        return text.trim();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(quote(text) + " is not an IP network: use e.g. 192.168.1.0/24 or "
            + "10.1.2.3");
      }
    }
  },
  /** An absolute file system path. */
  ABSOLUTE_PATH("an absolute path") {
    @Override
    Object parse(String text) {
      Path path;
      try {
        path = Path.of(text);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(quote(text) + " is not a path: " + e.getReason());
      }
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException(quote(text) + " is not an absolute path: use e.g. /var/lib/minicluster");
      }
      return path.normalize();
    }
  },
  /** A DNS resolver: an IP address, optionally with a port (IPv6 in brackets then). */
  DNS_UPSTREAM("an IP address, optionally with :port") {
    @Override
    Object parse(String text) {
      ResolvConf.upstream(text.trim());
      return text.trim();
    }
  },
  /** A DNS-1123 subdomain in lower case (node names, the cluster domain). */
  DNS_NAME("a lower-case DNS name") {
    @Override
    Object parse(String text) {
      if (text.length() > 253 || !DNS_SUBDOMAIN.matcher(text).matches()) {
        throw new IllegalArgumentException(quote(text) + " is not a lower-case DNS name (RFC 1123: a-z, 0-9, '-' "
            + "and '.', starting and ending with a letter or digit, at most 253 characters)");
      }
      return text;
    }
  },
  /** A Docker network name other than the engine's own (bridge, host, none). */
  NETWORK_NAME("a Docker network name") {
    @Override
    Object parse(String text) {
      if (!NETWORK.matcher(text).matches() || text.equals("bridge") || text.equals("host")
          || text.equals("none")) {
        throw new IllegalArgumentException(quote(text) + " is not a usable Docker network name: use letters, "
            + "digits, '_', '.' and '-', not bridge, host or none");
      }
      return text;
    }
  },
  /** user:password. */
  CREDENTIALS("user:password") {
    @Override
    Object parse(String text) {
      try {
        Credentials.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the value is not user:password with a user and a password of 1 to 255 "
            + "bytes each");
      }
      return text;
    }
  },
  /** A container image reference. */
  IMAGE("an image reference") {
    @Override
    Object parse(String text) {
      try {
        ImageReference.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(quote(text) + " is not an image reference: use e.g. "
            + "registry.k8s.io/pause:3.10");
      }
      return text;
    }
  },
  /** A duration as Kubernetes' flags write it: a whole number with a unit (ms, s, m, h), or 0. */
  DURATION("a duration such as 30s, 30m or 2h (0: never)") {
    @Override
    Object parse(String text) {
      var matcher = DURATION_TEXT.matcher(text);
      if (text.equals("0")) {
        return Duration.ZERO;
      }
      if (!matcher.matches()) {
        throw new IllegalArgumentException(quote(text) + " is not a duration: use a number with a unit, e.g. 90s, "
            + "30m or 2h (0: never)");
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
  },
  /** true or false (YAML's yes/no and on/off too). */
  BOOLEAN("true or false") {
    @Override
    Object parse(String text) {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> {
          return Boolean.TRUE;
        }
        case "false", "no", "off" -> {
          return Boolean.FALSE;
        }
        default -> throw new IllegalArgumentException(quote(text) + " is not a boolean: use true or false");
      }
    }
  };

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DURATION_TEXT = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  private static final Pattern NETWORK = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  /** A {@link #DURATION} value as its configuration text (in its largest whole unit), which parses back to it. */
  static String durationText(Duration duration) {
    if (duration.isZero()) {
      return "0";
    }
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** What a value of this type looks like, for help texts. */
  public String description() {
    return description;
  }

  /** The typed value of {@code text}; throws IllegalArgumentException saying what is wrong and what to use. */
  abstract Object parse(String text);

  /** Parses after a null check; the entry point for callers. */
  Object parseValue(String text) {
    requireNonNull(text, "text is null");
    return parse(text);
  }

  private static int integer(String text, String expected) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(quote(text) + " is not " + expected);
    }
  }

  static String quote(String text) {
    return "\"" + text + "\"";
  }
}
