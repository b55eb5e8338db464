package io.minicluster.socks.resolve;

/**
 * Resolves host names sent by clients (SOCKS5 domain addresses, SOCKS4a, HTTP CONNECT). Called on the gateway's
 * resolver executor, never on a Netty event loop, so it may block briefly. Names arrive lower-cased without a
 * trailing dot; IP literals never reach the resolver.
 */
@FunctionalInterface
public interface NameResolver {

  Resolution resolve(String host) throws Exception;

  /**
   * Whether {@link #resolve} may block. A resolver answering {@code false} (e.g. a lookup in an in-memory map) is
   * called directly on the event loop, saving two thread hand-offs per connection.
   */
  default boolean mayBlock() {
    return true;
  }

  /** A resolver that serves no names. */
  static NameResolver none() {
    return NoNames.INSTANCE;
  }

  /** The resolver behind {@link #none()}. */
  enum NoNames implements NameResolver {
    INSTANCE;

    @Override
    public Resolution resolve(String host) {
      return Resolution.notMine();
    }

    @Override
    public boolean mayBlock() {
      return false;
    }
  }
}
