package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the handlers of the Kubernetes channel protocol over WebSocket (exec/attach and port forwarding) share: text
 * and binary messages from the client are read alike with the connection's {@link ChannelEncoding} and handed to
 * {@link #onMessage}; a ping is answered with a pong carrying its payload; the client's close frame ends the client's
 * side ({@link #onClientClose}) and is answered with a close frame, unless ours went first, before the connection is
 * closed. {@link #sendClose} starts the server's closing handshake. Expects whole messages (a
 * {@code WebSocketFrameAggregator} before it) and to be the last handler of the pipeline.
 */
abstract class ChannelProtocolHandler extends ChannelInboundHandlerAdapter {
  /** How long to wait for the client's close frame after ours before closing the connection. */
  static final long CLOSE_WAIT_MILLIS = 5000;

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final String connectionKind;
  final ChannelEncoding encoding;
  private boolean closeSent;

  /** @param connectionKind names the connection in the log ("exec", "port-forward") */
  ChannelProtocolHandler(String connectionKind, ChannelEncoding encoding) {
    this.connectionKind = requireNonNull(connectionKind, "connectionKind is null");
    this.encoding = requireNonNull(encoding, "encoding is null");
  }

  /** One message from the client, on its channel. */
  abstract void onMessage(ChannelEncoding.Message message);

  /** The client has sent its close frame: it writes nothing more. Called before the close frame is answered. */
  abstract void onClientClose();

  /** Whether the server's close frame has been sent (by {@link #sendClose} or in answer to the client's). */
  final boolean closeSent() {
    return closeSent;
  }

  /**
   * Starts the server's closing handshake, once: a close frame (1000), and the connection closed if the client has
   * not answered within {@link #CLOSE_WAIT_MILLIS}. Does nothing on a connection that is no longer active.
   */
  final void sendClose(Channel channel) {
    if (closeSent || !channel.isActive()) {
      return;
    }
    closeSent = true;
    channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public final void channelRead(ChannelHandlerContext context, Object message) {
    try {
      if (message instanceof BinaryWebSocketFrame || message instanceof TextWebSocketFrame) {
        encoding.read((WebSocketFrame) message).ifPresent(this::onMessage);
      } else if (message instanceof PingWebSocketFrame ping) {
        context.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (message instanceof CloseWebSocketFrame) {
        onClientClose();
        if (closeSent) {
          context.close();
        } else {
          closeSent = true;
          context.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(future -> context.close());
        }
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    log.debug("{} connection error: {}", connectionKind, cause.toString());
    context.close();
  }
}
