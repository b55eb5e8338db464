package io.minicluster.socks.server;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetAddress;

/**
 * Sets up each accepted client channel: access log at close, client allow-list, connection cap, handshake and
 * idle timeouts (its loop's {@link ConnectionSweeper}) and protocol detection.
 */
public final class GatewayInitializer extends ChannelInitializer<Channel> {

  private final GatewayContext gateway;

  GatewayInitializer(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void initChannel(Channel channel) {
    ConnectionContext connection = new ConnectionContext(channel.remoteAddress(), gateway.metrics());
    connection.channel(channel);
    channel.attr(ConnectionContext.KEY).set(connection);
    boolean admitted = gateway.metrics().tryOpenConnection(gateway.config().maxConnections());
    ConnectionSweeper sweeper = gateway.sweepers().of(channel.eventLoop());
    channel.closeFuture().addListener(closed -> {
      sweeper.forget(connection);
      if (admitted) {
        gateway.metrics().connectionClosed();
      }
      AccessLog.connectionClosed(connection);
    });
    if (!admitted) {
      connection.refuse(RefusalReason.TOO_MANY_CONNECTIONS, "limit " + gateway.config().maxConnections());
      channel.close();
      return;
    }
    if (!clientAllowed(connection.client().getAddress())) {
      connection.refuse(RefusalReason.CLIENT_NOT_ALLOWED, null);
      channel.close();
      return;
    }
    sweeper.track(connection);
    channel.pipeline().addLast(ProtocolDetector.NAME, new ProtocolDetector(gateway));
    channel.pipeline().addLast("error-closer", ErrorCloser.INSTANCE);
  }

  private boolean clientAllowed(InetAddress client) {
    if (gateway.config().clientAllowList().isEmpty()) {
      return true;
    }
    if (client == null) {
      return false;
    }
    for (Cidr cidr : gateway.config().clientAllowList()) {
      if (cidr.contains(client)) {
        return true;
      }
    }
    return false;
  }
}
