package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * {@code port} header. Each gets a SYN_REPLY; once both exist a TCP connection is made to the pod ({@code podIp:port},
 * a {@link PodPortConnection}) and bytes are piped both ways. A failure is written as text on the error stream. When
 * the pod side closes, the data and error streams are finished. Everything runs on the connection's event loop.
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
  private final class Forward implements PodPortConnection.Listener {
    final String requestId;
    final int port;
    int errorStream;
    int dataStream;
    PodPortConnection pod;
    boolean clientFinished;
    boolean done;
    /** Data the client sent before both streams existed. */
    final List<ByteBuf> early = new ArrayList<>();

    Forward(String requestId, int port) {
      this.requestId = requestId;
      this.port = port;
    }

    @Override
    public void received(ByteBuf bytes) {
      if (done || !context.channel().isActive()) {
        bytes.release();
        return;
      }
      context.writeAndFlush(new DefaultSpdyDataFrame(dataStream, bytes));
    }

    @Override
    public void ended(String error) {
      if (error != null) {
        fail(this, error);
      } else {
        end(this, true);
      }
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
    if (forward.errorStream != 0 && forward.dataStream != 0 && forward.pod == null) {
      connect(forward);
    }
  }

  private void connect(Forward forward) {
    PodPortConnection pod = PodPortConnection.open(context.channel(), podIp, forward.port, forward);
    if (forward.done) {
      // it could not even start (no pod IP)
      return;
    }
    forward.pod = pod;
    for (ByteBuf buffer : forward.early) {
      pod.write(buffer);
    }
    forward.early.clear();
    if (forward.clientFinished) {
      pod.finishOutput();
    }
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
      if (forward.pod != null) {
        forward.pod.write(content.retain());
      } else {
        forward.early.add(content.retain());
      }
    }
    if (data.isLast()) {
      forward.clientFinished = true;
      if (forward.pod != null) {
        forward.pod.finishOutput();
      }
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
    for (ByteBuf buffer : forward.early) {
      buffer.release();
    }
    forward.early.clear();
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
    for (Forward forward : byRequest.values()) {
      if (forward.pod != null) {
        forward.pod.clientWritabilityChanged();
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
}
