package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.StreamFrame;
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
 * The Kubernetes channel protocol over WebSocket (v1 to v5, binary or base64, see {@link ChannelEncoding}): each
 * message starts with its channel, 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close signal (v5:
 * {@code [255, 0]} closes stdin). Text and binary messages from the client are read alike. The server ends with the
 * status on channel 3 and a close frame. Expects whole messages (a {@code WebSocketFrameAggregator} before it).
 */
final class WebSocketExecHandler extends ChannelInboundHandlerAdapter implements ExecTransport {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketExecHandler.class);
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  static final int CLOSE_SIGNAL = 255;
  /** How long to wait for the client's close frame after ours before closing the connection. */
  static final long CLOSE_WAIT_MILLIS = 5000;

  private final Channel channel;
  private final ExecProtocol protocol;
  private final ChannelEncoding encoding;
  private final StreamOptions options;
  private final ExecBridge bridge;
  private boolean closeSent;

  WebSocketExecHandler(Channel channel, ExecProtocol protocol, ChannelEncoding encoding, StreamOptions options,
      java.util.concurrent.Executor executor) {
    this.channel = requireNonNull(channel, "channel is null");
    this.protocol = requireNonNull(protocol, "protocol is null");
    this.encoding = requireNonNull(encoding, "encoding is null");
    this.options = requireNonNull(options, "options is null");
    this.bridge = new ExecBridge(this, executor);
  }

  ExecBridge bridge() {
    return bridge;
  }

  /** Sends the kubelet's "ready" message: an empty message on the lowest writable channel. */
  void sendReady() {
    int readyChannel = options.stdout() ? STDOUT : options.stderr() ? STDERR : ERROR;
    send(readyChannel, new byte[0]);
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public void output(StreamFrame.Kind kind, byte[] payload) {
    if (kind == StreamFrame.Kind.STDERR && !options.tty()) {
      if (options.stderr()) {
        send(STDERR, payload);
      }
    } else if (options.stdout() || options.tty()) {
      send(STDOUT, payload);
    }
  }

  private void send(int channelId, byte[] payload) {
    channel.writeAndFlush(encoding.frame(channelId, payload));
  }

  @Override
  public void finish(ExecResult result) {
    byte[] status = result.errorStreamBytes(protocol);
    channel.eventLoop().execute(() -> {
      if (!channel.isActive()) {
        return;
      }
      if (status.length > 0) {
        send(ERROR, status);
      }
      sendClose();
    });
  }

  private void sendClose() {
    if (closeSent) {
      return;
    }
    closeSent = true;
    channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    try {
      if (message instanceof BinaryWebSocketFrame || message instanceof TextWebSocketFrame) {
        encoding.read((WebSocketFrame) message).ifPresent(this::onMessage);
      } else if (message instanceof PingWebSocketFrame ping) {
        context.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (message instanceof CloseWebSocketFrame) {
        bridge.closeStdin();
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

  private void onMessage(ChannelEncoding.Message message) {
    byte[] payload = message.data();
    switch (message.channel()) {
      case STDIN -> {
        if (options.stdin()) {
          bridge.stdin(payload);
        }
      }
      case RESIZE -> bridge.resize(payload);
      case CLOSE_SIGNAL -> {
        if (protocol.closeSignal() && payload.length > 0 && payload[0] == STDIN) {
          bridge.closeStdin();
        }
      }
      default -> {
        // the client writes nothing else
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    bridge.writabilityChanged();
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    bridge.clientGone();
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("exec connection error: {}", cause.toString());
    context.close();
  }
}
