package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.metrics.GatewayMetrics;
import java.util.function.IntSupplier;

/** What every connection's handlers share. */
record GatewayContext(GatewayConfig config, GatewayMetrics metrics, DestinationConnector connector,
    IntSupplier boundPort, ConnectionSweeper.PerLoop sweepers, LocalNames localNames) {

  GatewayContext {
    requireNonNull(config, "config is null");
    requireNonNull(metrics, "metrics is null");
    requireNonNull(connector, "connector is null");
    requireNonNull(boundPort, "boundPort is null");
    requireNonNull(sweepers, "sweepers is null");
    requireNonNull(localNames, "localNames is null");
  }

  GatewayContext(GatewayConfig config, GatewayMetrics metrics, DestinationConnector connector, IntSupplier boundPort) {
    this(config, metrics, connector, boundPort,
        new ConnectionSweeper.PerLoop(config.handshakeTimeout(), config.httpIdleTimeout(),
            config.idleTimeout().orElse(null)), LocalNames.of(config));
  }
}
