package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port forwarding over SPDY/3.1 frames (plain SPDY or tunnelled in WebSocket), as the kubelet serves it: the client
 * opens, per forwarded connection ({@code requestid}), an {@code error} and a {@code data} stream with the
 * {@code port} header. Each gets a SYN_REPLY; once both exist a TCP connection is made to the pod ({@code podIp:port})
 * and bytes are piped both ways. A failure is written as text on the error stream. When the pod side closes, the data
 * and error streams are finished. Everything runs on the connection's event loop.
 */
final class PortForwardHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PortForwardHandler.class);

  private final String podDescription;
  private final String podIp;
  private final Map<String, Forward> byRequest = new HashMap<>();
  private final Map<Integer, Forward> byStream = new HashMap<>();
  private ChannelHandlerContext context;

  /**
   * @param podDescription names the pod in error messages ("namespace/name, uid ...")
   * @param podIp the address to connect to, null when the pod has none (each forward then fails)
   */
  PortForwardHandler(String podDescription, String podIp) {
    this.podDescription = requireNonNull(podDescription, "podDescription is null");
    this.podIp = podIp;
  }

  /** One forwarded connection. */
  private final class Forward {
    final String requestId;
    final int port;
    int errorStream;
    int dataStream;
    Channel pod;
    boolean connecting;
    boolean clientFinished;
    boolean done;
    final List<ByteBuf> pending = new ArrayList<>();

    Forward(String requestId, int port) {
      this.requestId = requestId;
      this.port = port;
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.context = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    try {
      if (message instanceof SpdySynStreamFrame syn) {
        onSynStream(syn);
      } else if (message instanceof SpdyDataFrame data) {
        onData(data);
      } else if (message instanceof SpdyRstStreamFrame reset) {
        Forward forward = byStream.get(reset.streamId());
        if (forward != null) {
          end(forward, false);
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

  private void onSynStream(SpdySynStreamFrame syn) {
    int streamId = syn.streamId();
    String type = syn.headers().getAsString("streamtype");
    String portText = syn.headers().getAsString("port");
    String requestId = syn.headers().getAsString("requestid");
    if (requestId == null) {
      // clients before requestid: the error stream precedes its data stream
      requestId = Integer.toString("data".equals(type) ? streamId - 2 : streamId);
    }
    int port;
    try {
      port = Integer.parseInt(String.valueOf(portText));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (type == null || !(type.equals("error") || type.equals("data")) || port <= 0 || port > 65535) {
      LOG.debug("refusing stream {} type={} port={}", streamId, type, portText);
      context.writeAndFlush(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    context.writeAndFlush(SpdyReplies.replyTo(syn));
    int requestPort = port;
    Forward forward = byRequest.computeIfAbsent(requestId, id -> new Forward(id, requestPort));
    if (type.equals("error")) {
      forward.errorStream = streamId;
    } else {
      forward.dataStream = streamId;
    }
    byStream.put(streamId, forward);
    if (forward.errorStream != 0 && forward.dataStream != 0 && !forward.connecting) {
      connect(forward);
    }
  }

  private void connect(Forward forward) {
    forward.connecting = true;
    if (podIp == null || podIp.isEmpty()) {
      fail(forward, "pod has no IP address");
      return;
    }
    Channel client = context.channel();
    Bootstrap bootstrap = new Bootstrap()
        .group(client.eventLoop())
        .channel(SocketChannels.clientChannelType(client))
        .option(ChannelOption.AUTO_READ, client.isWritable())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new PodSide(forward));
    ChannelFuture connected = bootstrap.connect(new InetSocketAddress(podIp, forward.port));
    forward.pod = connected.channel();
    connected.addListener(future -> {
      if (!future.isSuccess()) {
        fail(forward, "dial tcp " + podIp + ":" + forward.port + ": connect: " + describe(future.cause()));
        return;
      }
      if (forward.done) {
        forward.pod.close();
        return;
      }
      for (ByteBuf buffer : forward.pending) {
        forward.pod.write(buffer);
      }
      forward.pending.clear();
      forward.pod.flush();
      if (forward.clientFinished) {
        shutdownOutput(forward.pod);
      }
    });
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConnectException) {
      String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (message.contains("refused")) {
        return "connection refused";
      }
    }
    return String.valueOf(cause.getMessage());
  }

  private void fail(Forward forward, String reason) {
    String message = "error forwarding port " + forward.port + " to pod " + podDescription + ": " + reason;
    LOG.debug(message);
    if (!forward.done && forward.errorStream != 0) {
      context.write(new DefaultSpdyDataFrame(forward.errorStream,
          Unpooled.wrappedBuffer(message.getBytes(StandardCharsets.UTF_8))));
    }
    end(forward, true);
  }

  private void onData(SpdyDataFrame data) {
    Forward forward = byStream.get(data.streamId());
    if (forward == null || forward.done) {
      return;
    }
    if (data.streamId() != forward.dataStream) {
      // the client never writes on the error stream (it only finishes it)
      return;
    }
    ByteBuf content = data.content();
    if (content.isReadable()) {
      if (forward.pod != null && forward.pod.isActive()) {
        forward.pod.writeAndFlush(content.retain()).addListener(future -> {
          if (!future.isSuccess()) {
            end(forward, true);
          }
        });
        if (!forward.pod.isWritable()) {
          context.channel().config().setAutoRead(false);
        }
      } else {
        forward.pending.add(content.retain());
      }
    }
    if (data.isLast()) {
      forward.clientFinished = true;
      if (forward.pod != null && forward.pod.isActive()) {
        shutdownOutput(forward.pod);
      }
    }
  }

  private static void shutdownOutput(Channel pod) {
    if (pod instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    } else {
      pod.close();
    }
  }

  /** Ends a forward: finishes both streams toward the client (if {@code finishStreams}) and closes the pod side. */
  private void end(Forward forward, boolean finishStreams) {
    if (forward.done) {
      return;
    }
    forward.done = true;
    byRequest.remove(forward.requestId);
    byStream.remove(forward.errorStream);
    byStream.remove(forward.dataStream);
    for (ByteBuf buffer : forward.pending) {
      buffer.release();
    }
    forward.pending.clear();
    if (forward.pod != null) {
      forward.pod.close();
    }
    if (finishStreams && context.channel().isActive()) {
      if (forward.dataStream != 0) {
        context.write(fin(forward.dataStream));
      }
      if (forward.errorStream != 0) {
        context.write(fin(forward.errorStream));
      }
      context.flush();
    }
  }

  private static SpdyDataFrame fin(int streamId) {
    SpdyDataFrame frame = new DefaultSpdyDataFrame(streamId);
    frame.setLast(true);
    return frame;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    boolean writable = context.channel().isWritable();
    for (Forward forward : byRequest.values()) {
      if (forward.pod != null && forward.pod.isActive()) {
        forward.pod.config().setAutoRead(writable);
      }
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    for (Forward forward : new ArrayList<>(byRequest.values())) {
      end(forward, false);
    }
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("port-forward connection error: {}", cause.toString());
    context.writeAndFlush(new DefaultSpdyGoAwayFrame(0)).addListener(future -> context.close());
  }

  /** The pod side of one forward: bytes go to the client's data stream. */
  private final class PodSide extends ChannelInboundHandlerAdapter {
    private final Forward forward;

    PodSide(Forward forward) {
      this.forward = forward;
    }

    @Override
    public void channelRead(ChannelHandlerContext podContext, Object message) {
      ByteBuf bytes = (ByteBuf) message;
      if (forward.done || !context.channel().isActive()) {
        bytes.release();
        return;
      }
      context.writeAndFlush(new DefaultSpdyDataFrame(forward.dataStream, bytes));
      if (!context.channel().isWritable()) {
        podContext.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext podContext) {
      if (podContext.channel().isWritable() && !context.channel().config().isAutoRead()) {
        context.channel().config().setAutoRead(true);
      }
      podContext.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext podContext) {
      end(forward, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext podContext, Throwable cause) {
      LOG.debug("port-forward pod connection error: {}", cause.toString());
      podContext.close();
    }
  }
}
