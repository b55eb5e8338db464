package io.minicluster.socks.resolve;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;

/** The answer of a {@link NameResolver}. */
public sealed interface Resolution {

  /**
   * The name resolved to these addresses (at least one). With several (a headless service's ready pods, say) the
   * gateway picks one at random for each connection and asks the policy about that one.
   */
  record Resolved(List<InetAddress> addresses) implements Resolution {
    public Resolved {
      addresses = List.copyOf(requireNonNull(addresses, "addresses is null"));
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("a resolved name needs at least one address; answer unknown() instead");
      }
    }

    public Resolved(InetAddress address) {
      this(List.of(requireNonNull(address, "address is null")));
    }

    /** The first address. */
    public InetAddress address() {
      return addresses.get(0);
    }
  }

  /** The resolver does not serve this name; the gateway falls back to system DNS only if configured to. */
  record NotMine() implements Resolution {
  }

  /** The resolver serves this name's zone but the name does not exist; the gateway answers host unreachable. */
  record Unknown() implements Resolution {
  }

  static Resolution resolved(InetAddress address) {
    return new Resolved(address);
  }

  /** Several equivalent addresses, one picked at random per connection. */
  static Resolution resolved(List<InetAddress> addresses) {
    return new Resolved(addresses);
  }

  static Resolution notMine() {
    return new NotMine();
  }

  static Resolution unknown() {
    return new Unknown();
  }
}
