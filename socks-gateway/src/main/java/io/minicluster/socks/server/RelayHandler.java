package io.minicluster.socks.server;

import io.minicluster.socks.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.unix.Socket;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies bytes from its channel to the peer channel.
 *
 * <p>Writes are queued per read and flushed once per read burst ({@code channelReadComplete}), or earlier when the
 * queue passes the high water mark, so a burst of small reads costs one {@code writev} instead of one
 * {@code write} each. Byte counts are summed locally and published to the connection and the gateway metrics once
 * per burst.
 *
 * <p>Back-pressure: when the peer's outbound buffer stays above the high water mark after a flush (the peer's
 * socket buffer is full) this channel stops reading; the peer's handler turns reading back on when the peer drains
 * below the low water mark. So a slow reader holds at most about one water mark plus one read of data per
 * direction in the gateway.
 *
 * <p>Half-close: end-of-input on this channel becomes shutdownOutput on the peer once everything before it was
 * written; when both directions are shut, both channels close. A channel whose output was shut this way closes as
 * soon as its own input ends, and its relay then flushes and closes the other channel (whose input ended first).
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(RelayHandler.class);

  private final Channel peer;
  private final boolean fromClient;
  private final ConnectionContext connection;
  private final GatewayMetrics metrics;
  private long unpublishedBytes;

  RelayHandler(Channel peer, boolean fromClient, ConnectionContext connection, GatewayMetrics metrics) {
    this.peer = peer;
    this.fromClient = fromClient;
    this.connection = connection;
    this.metrics = metrics;
  }

  /**
   * Joins client and destination: installs a relay on each side, removes the handshake handlers (bytes they still
   * buffer flow on to the destination) and starts reading on both.
   */
  static void install(Channel client, Channel upstream, String handshakeHandlerName, GatewayMetrics metrics) {
    ConnectionContext connection = ConnectionContext.of(client);
    connection.endHandshake();
    client.pipeline().addLast("relay", new RelayHandler(upstream, true, connection, metrics));
    upstream.pipeline().addLast("relay", new RelayHandler(client, false, connection, metrics));
    if (handshakeHandlerName != null && client.pipeline().get(handshakeHandlerName) != null) {
      client.pipeline().remove(handshakeHandlerName);
    }
    metrics.connectionRelayed();
    upstream.config().setAutoRead(true);
    client.config().setAutoRead(true);
    if (client instanceof DuplexChannel duplexClient && duplexClient.isInputShutdown()) {
      // The client's input ended while the destination was being connected (SocksHandshakeDecoder kept it).
      client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (message instanceof ByteBuf buffer) {
      unpublishedBytes += buffer.readableBytes();
    }
    connection.active();
    // The void promise fires exceptionCaught on the peer if the write fails, like FIRE_EXCEPTION_ON_FAILURE.
    peer.write(message, peer.voidPromise());
    if (!peer.isWritable()) {
      // Past the high water mark: try to hand the queue to the kernel now; pause only if the peer's socket is full.
      peer.flush();
      if (!peer.isWritable()) {
        context.channel().config().setAutoRead(false);
        metrics.readPaused();
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    publishBytes();
    peer.flush();
    context.fireChannelReadComplete();
  }

  private void publishBytes() {
    long count = unpublishedBytes;
    if (count == 0) {
      return;
    }
    unpublishedBytes = 0;
    if (fromClient) {
      connection.addBytesFromClient(count);
    } else {
      connection.addBytesToClient(count);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
    if (context.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    super.channelWritabilityChanged(context);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent) {
      Channel self = context.channel();
      if (!peer.isActive()) {
        self.close();
        return;
      }
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
        if (peer instanceof DuplexChannel duplexPeer && peer.isActive()) {
          // Once the peer's output is shut, its own end-of-input finishes both directions: let the transport close
          // it then (the relay's channelInactive flushes and closes this side) instead of a second round of
          // shutdownInput/shutdownOutput, which costs syscalls and two exceptions with stack traces in Netty.
          if (peer.config() instanceof SocketChannelConfig peerConfig) {
            peerConfig.setAllowHalfClosure(false);
          }
          shutdownOutput(duplexPeer, () -> closeIfBothShut(self));
        } else {
          peer.close();
          self.close();
        }
      });
      return;
    }
    super.userEventTriggered(context, event);
  }

  /**
   * Shuts the channel's output, then runs {@code then}. On epoll this is the socket call itself: Netty's
   * shutdownOutput also builds a ChannelOutputShutdownException (a stack trace, about 5 us) on every call to fail
   * pending writes, and the relay calls it only once everything was written.
   */
  private static void shutdownOutput(DuplexChannel channel, Runnable then) {
    if (channel instanceof AbstractEpollStreamChannel epoll && epoll.fd() instanceof Socket socket) {
      try {
        socket.shutdown(false, true);
      } catch (IOException e) {
        LOG.debug("shutdown of the output failed", e);
        channel.close();
        return;
      }
      then.run();
      return;
    }
    channel.shutdownOutput().addListener(shut -> then.run());
  }

  private void closeIfBothShut(Channel self) {
    if (self instanceof DuplexChannel duplexSelf && duplexSelf.isInputShutdown()
        && peer instanceof DuplexChannel duplexPeer && duplexPeer.isOutputShutdown()
        && duplexPeer.isInputShutdown() && duplexSelf.isOutputShutdown()) {
      self.close();
      peer.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    publishBytes();
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("relay {} closed on error", fromClient ? "from client" : "to client", cause);
    context.close();
  }
}
