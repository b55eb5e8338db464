package io.minicluster.socks.server;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * Sets up each accepted client channel: access log at close, client allow-list, connection cap, idle timeout,
 * handshake deadline and protocol detection.
 */
public final class GatewayInitializer extends ChannelInitializer<Channel> {

  private final GatewayContext gateway;

  GatewayInitializer(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void initChannel(Channel channel) {
    ConnectionContext connection = new ConnectionContext(channel.remoteAddress(), gateway.metrics());
    channel.attr(ConnectionContext.KEY).set(connection);
    boolean admitted = gateway.metrics().tryOpenConnection(gateway.config().maxConnections());
    channel.closeFuture().addListener(closed -> {
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
    long idleMillis = gateway.config().idleTimeout().toMillis();
    channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
    channel.pipeline().addLast("idle-closer", IdleCloser.INSTANCE);
    channel.pipeline().addLast(HandshakeDeadline.NAME, new HandshakeDeadline(gateway.config().handshakeTimeout()));
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
