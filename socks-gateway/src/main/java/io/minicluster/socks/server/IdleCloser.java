package io.minicluster.socks.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/** Closes a channel when its {@link io.netty.handler.timeout.IdleStateHandler} reports it idle. */
@ChannelHandler.Sharable
final class IdleCloser extends ChannelInboundHandlerAdapter {

  static final IdleCloser INSTANCE = new IdleCloser();

  private IdleCloser() {
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      context.close();
      return;
    }
    super.userEventTriggered(context, event);
  }
}
