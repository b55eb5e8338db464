package io.minicluster.socks.resolve;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;

/** The answer of a {@link NameResolver}. */
public sealed interface Resolution {

  /** The name resolved to this address. */
  record Resolved(InetAddress address) implements Resolution {
    public Resolved {
      requireNonNull(address, "address is null");
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

  static Resolution notMine() {
    return new NotMine();
  }

  static Resolution unknown() {
    return new Unknown();
  }
}
