package io.minicluster.socks.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * What the SOCKS4 and SOCKS5 handshakes share once the request is read and the destination is being connected.
 *
 * <p>Bytes the client sends after its request (clients may send their first data without waiting for the reply)
 * stay in this decoder's buffer and reach the relay when the handshake handler is removed. The client is read on
 * while they stay under {@link #EARLY_DATA_LIMIT}, so the common case costs no read-interest toggling; past it,
 * reading pauses until the relay starts. An end of input while connecting is kept, not acted on: the decoder would
 * drop its buffer, and the relay passes the end on once installed ({@link RelayHandler#install}). An end of input
 * before the request is complete closes the connection.
 */
abstract class SocksHandshakeDecoder extends ByteToMessageDecoder {

  /** The most early data held per connection before reading pauses. */
  static final int EARLY_DATA_LIMIT = 64 * 1024;

  private boolean connecting;

  /** Call when the request is read and the destination is being connected. */
  final void startConnecting() {
    connecting = true;
  }

  final boolean connecting() {
    return connecting;
  }

  /** Call from {@code decode} while connecting: keeps {@code in} buffered and bounds it. */
  final void holdEarlyData(ChannelHandlerContext context, ByteBuf in) {
    if (in.readableBytes() > EARLY_DATA_LIMIT) {
      context.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) throws Exception {
    if (connecting) {
      // ByteToMessageDecoder would ask for another read when nothing was decoded and auto-read is off: that
      // would defeat the pause in holdEarlyData.
      context.fireChannelReadComplete();
      return;
    }
    super.channelReadComplete(context);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent) {
      if (!connecting) {
        context.close();
      }
      return;
    }
    super.userEventTriggered(context, event);
  }
}
