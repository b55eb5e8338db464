package io.minicluster.socks.resolve;

/**
 * Resolves host names sent by clients (SOCKS5 domain addresses, SOCKS4a, HTTP CONNECT). Called on the gateway's
 * resolver executor, never on a Netty event loop, so it may block briefly. Names arrive lower-cased without a
 * trailing dot; IP literals never reach the resolver.
 */
@FunctionalInterface
public interface NameResolver {

  Resolution resolve(String host) throws Exception;

  /** A resolver that serves no names. */
  static NameResolver none() {
    return host -> Resolution.notMine();
  }
}
