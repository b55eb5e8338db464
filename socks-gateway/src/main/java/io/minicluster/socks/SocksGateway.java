package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.metrics.GatewayMetrics;
import io.minicluster.socks.server.GatewayServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A SOCKS5/SOCKS4/SOCKS4a gateway that also answers plain HTTP on the same port (PAC file, status page, metrics,
 * HTTP CONNECT, and forward proxying of {@code GET http://...} requests). Destinations are decided by the configured {@link io.minicluster.socks.policy.DestinationPolicy};
 * host names by the configured {@link io.minicluster.socks.resolve.NameResolver}.
 *
 * <pre>{@code
 * SocksGateway gateway = new SocksGateway(GatewayConfig.builder().port(1080).policy(myPolicy).build());
 * int port = gateway.start();
 * ...
 * gateway.close();
 * }</pre>
 */
public final class SocksGateway implements AutoCloseable {

  private final GatewayConfig config;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final GatewayServer server;
  private InetSocketAddress localAddress;

  public SocksGateway(GatewayConfig config) {
    this.config = requireNonNull(config, "config is null");
    this.server = new GatewayServer(config, metrics);
  }

  /**
   * Binds the listening socket and returns the bound port.
   *
   * @throws UncheckedIOException if the address cannot be bound (e.g. port in use)
   */
  public synchronized int start() {
    try {
      localAddress = server.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding", e);
    }
    return localAddress.getPort();
  }

  /** The bound address, after {@link #start()}. */
  public synchronized InetSocketAddress localAddress() {
    if (localAddress == null) {
      throw new IllegalStateException("not started");
    }
    return localAddress;
  }

  public GatewayConfig config() {
    return config;
  }

  /** Live counters; also rendered on the status page and by {@link GatewayMetrics#toPrometheusText()}. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Stops listening and closes all connections. */
  @Override
  public void close() {
    server.close();
  }
}
