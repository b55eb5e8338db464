package io.minicluster.socks.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a channel on any I/O error (resets are routine for a proxy); never disturbs other connections. */
@ChannelHandler.Sharable
final class ErrorCloser extends ChannelInboundHandlerAdapter {

  static final ErrorCloser INSTANCE = new ErrorCloser();

  private static final Logger LOG = LoggerFactory.getLogger(ErrorCloser.class);

  private ErrorCloser() {
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("closing {} after error", context.channel(), cause);
    context.close();
  }
}
