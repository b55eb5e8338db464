package io.minicluster.socks.server;

import io.minicluster.socks.policy.RefusalReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Closes the connection unless the handshake finishes (and this handler is removed) in time. */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {

  static final String NAME = "handshake-deadline";

  private final Duration timeout;
  private ScheduledFuture<?> timer;

  HandshakeDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    timer = context.executor().schedule(() -> {
      ConnectionContext connection = ConnectionContext.of(context.channel());
      if (connection != null) {
        connection.refuse(RefusalReason.HANDSHAKE_TIMEOUT, timeout.toMillis() + " ms");
      }
      context.channel().close();
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext context) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    handlerRemoved(context);
    super.channelInactive(context);
  }

  /** Removes the deadline from the channel's pipeline if still there. */
  static void cancel(io.netty.channel.Channel channel) {
    if (channel.pipeline().get(NAME) != null) {
      channel.pipeline().remove(NAME);
    }
  }
}
