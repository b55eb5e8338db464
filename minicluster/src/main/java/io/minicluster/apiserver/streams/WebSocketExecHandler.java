package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.StreamFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.Executor;

/**
 * The Kubernetes channel protocol over WebSocket (v1 to v5, binary or base64, see {@link ChannelEncoding}): each
 * message starts with its channel, 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close signal (v5:
 * {@code [255, 0]} closes stdin). Text and binary messages from the client are read alike. The server ends with the
 * status on channel 3 and a close frame. Expects whole messages (a {@code WebSocketFrameAggregator} before it).
 */
final class WebSocketExecHandler extends ChannelProtocolHandler implements ExecTransport {
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  static final int CLOSE_SIGNAL = 255;

  private final Channel channel;
  private final ExecProtocol protocol;
  private final StreamOptions options;
  private final ExecBridge bridge;

  WebSocketExecHandler(Channel channel, ExecProtocol protocol, ChannelEncoding encoding, StreamOptions options,
      Executor executor) {
    super("exec", encoding);
    this.channel = requireNonNull(channel, "channel is null");
    this.protocol = requireNonNull(protocol, "protocol is null");
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
      sendClose(channel);
    });
  }

  @Override
  void onClientClose() {
    bridge.closeStdin();
  }

  @Override
  void onMessage(ChannelEncoding.Message message) {
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
}
