package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.StreamFrame;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec/attach over SPDY/3.1 (the kubelet's remotecommand server): the client opens one stream per
 * {@code streamtype} (error, stdin, stdout, stderr, resize), each answered with SYN_REPLY. The session starts once
 * every expected stream exists. At the end stdout/stderr are finished (FIN), the result goes on the error stream
 * (Status JSON under v4), which is finished too; the client then tears down the connection.
 *
 * <p>No SPDY flow control: the Go client (spdystream) neither sends nor honours WINDOW_UPDATE.
 */
final class SpdyExecHandler extends ChannelInboundHandlerAdapter implements ExecTransport {
  private static final Logger LOG = LoggerFactory.getLogger(SpdyExecHandler.class);
  static final String STREAM_TYPE = "streamtype";
  /** How long the client has to open its streams (the kubelet's stream creation timeout). */
  static final long STREAM_CREATION_TIMEOUT_MILLIS = 30_000;
  static final long CLOSE_WAIT_MILLIS = 10_000;

  private final Channel channel;
  private final ExecProtocol protocol;
  private final StreamOptions options;
  private final ExecBridge bridge;
  private final Consumer<ExecBridge> starter;
  private final Set<String> expected = new HashSet<>();
  private final Map<String, Integer> streams = new ConcurrentHashMap<>();
  private boolean started;
  private boolean finished;
  private ScheduledFuture<?> creationTimeout;

  /**
   * @param starter starts the session on the bridge once all streams are open
   */
  SpdyExecHandler(Channel channel, ExecProtocol protocol, StreamOptions options, Executor executor,
      Consumer<ExecBridge> starter) {
    this.channel = requireNonNull(channel, "channel is null");
    this.protocol = requireNonNull(protocol, "protocol is null");
    this.options = requireNonNull(options, "options is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.bridge = new ExecBridge(this, executor);
    expected.add("error");
    if (options.stdin()) {
      expected.add("stdin");
    }
    if (options.stdout()) {
      expected.add("stdout");
    }
    if (options.stderr()) {
      expected.add("stderr");
    }
    if (options.tty() && protocol.resizeStream()) {
      expected.add("resize");
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    creationTimeout = channel.eventLoop().schedule(() -> {
      if (!started) {
        LOG.debug("client did not open streams {} in time (got {})", expected, streams.keySet());
        channel.close();
      }
    }, STREAM_CREATION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public void output(StreamFrame.Kind kind, byte[] payload) {
    String type = kind == StreamFrame.Kind.STDERR && !options.tty() ? "stderr" : "stdout";
    Integer streamId = streams.get(type);
    if (streamId != null && payload.length > 0) {
      channel.writeAndFlush(new DefaultSpdyDataFrame(streamId, Unpooled.wrappedBuffer(payload)));
    }
  }

  @Override
  public void finish(ExecResult result) {
    byte[] status = result.errorStreamBytes(protocol);
    channel.eventLoop().execute(() -> {
      if (finished || !channel.isActive()) {
        return;
      }
      finished = true;
      for (String type : new String[] {"stdout", "stderr"}) {
        Integer streamId = streams.get(type);
        if (streamId != null) {
          channel.write(fin(streamId));
        }
      }
      Integer errorStream = streams.get("error");
      if (errorStream != null) {
        if (status.length > 0) {
          channel.write(new DefaultSpdyDataFrame(errorStream, Unpooled.wrappedBuffer(status)));
        }
        channel.write(fin(errorStream));
      }
      channel.flush();
      channel.eventLoop().schedule(() -> {
        channel.close();
      }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  private static SpdyDataFrame fin(int streamId) {
    SpdyDataFrame frame = new DefaultSpdyDataFrame(streamId);
    frame.setLast(true);
    return frame;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    try {
      if (message instanceof SpdySynStreamFrame syn) {
        onSynStream(context, syn);
      } else if (message instanceof SpdyDataFrame data) {
        onData(data);
      } else if (message instanceof SpdyRstStreamFrame reset) {
        if (Integer.valueOf(reset.streamId()).equals(streams.get("stdin"))) {
          bridge.closeStdin();
        }
      } else if (message instanceof SpdyPingFrame ping) {
        context.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
      } else if (message instanceof SpdyGoAwayFrame) {
        context.close();
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void onSynStream(ChannelHandlerContext context, SpdySynStreamFrame syn) {
    String type = syn.headers().getAsString(STREAM_TYPE);
    context.writeAndFlush(SpdyReplies.replyTo(syn));
    if (type == null) {
      LOG.debug("stream {} without a stream type", syn.streamId());
      return;
    }
    streams.putIfAbsent(type, syn.streamId());
    if (!started && streams.keySet().containsAll(expected)) {
      started = true;
      creationTimeout.cancel(false);
      starter.accept(bridge);
    }
    if (syn.isLast() && type.equals("stdin")) {
      bridge.closeStdin();
    }
  }

  private void onData(SpdyDataFrame data) {
    int streamId = data.streamId();
    if (Integer.valueOf(streamId).equals(streams.get("stdin"))) {
      if (data.content().isReadable()) {
        bridge.stdin(ByteBufUtil.getBytes(data.content()));
      }
      if (data.isLast()) {
        bridge.closeStdin();
      }
    } else if (Integer.valueOf(streamId).equals(streams.get("resize"))) {
      if (data.content().isReadable()) {
        bridge.resize(ByteBufUtil.getBytes(data.content()));
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
    if (creationTimeout != null) {
      creationTimeout.cancel(false);
    }
    bridge.clientGone();
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("exec connection error: {}", cause.toString());
    context.writeAndFlush(new DefaultSpdyGoAwayFrame(0)).addListener(future -> context.close());
  }
}
