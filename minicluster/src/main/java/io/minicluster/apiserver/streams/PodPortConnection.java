package io.minicluster.apiserver.streams;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded TCP connection to a pod port, made from the client connection's event loop (everything here runs on
 * it). Bytes written before it is connected wait. Back-pressure both ways: reading from the pod pauses while the
 * client connection is not writable, reading from the client pauses while the pod connection is not writable.
 */
final class PodPortConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PodPortConnection.class);

  /** What happens on the pod side. */
  interface Listener {
    /** Bytes from the pod; the listener takes them over. */
    void received(ByteBuf bytes);

    /**
     * The connection ended, once: the pod closed it or writing to it failed ({@code error} null), or it could not be
     * made ({@code error} as the kubelet words it, e.g. {@code dial tcp 10.1.0.5:80: connect: connection refused}).
     */
    void ended(String error);
  }

  private final Channel client;
  private final Listener listener;
  private final List<ByteBuf> pending = new ArrayList<>();
  private Channel pod;
  private boolean connected;
  private boolean outputFinished;
  private boolean done;

  private PodPortConnection(Channel client, Listener listener) {
    this.client = requireNonNull(client, "client is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  /**
   * Starts connecting to {@code podIp:port}; a pod without an address ({@code podIp} null or empty) ends it at once.
   * Call on the client's event loop.
   */
  static PodPortConnection open(Channel client, String podIp, int port, Listener listener) {
    PodPortConnection connection = new PodPortConnection(client, listener);
    if (podIp == null || podIp.isEmpty()) {
      connection.end("pod has no IP address");
      return connection;
    }
    Bootstrap bootstrap = new Bootstrap()
        .group(client.eventLoop())
        .channel(SocketChannels.clientChannelType(client))
        .option(ChannelOption.AUTO_READ, client.isWritable())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(connection.new PodSide());
    ChannelFuture connecting = bootstrap.connect(new InetSocketAddress(podIp, port));
    connection.pod = connecting.channel();
    connecting.addListener(future -> {
      if (!future.isSuccess()) {
        connection.end("dial tcp " + podIp + ":" + port + ": connect: " + describe(future.cause()));
        return;
      }
      connection.connected();
    });
    return connection;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConnectException) {
      String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("refused")) {
        return "connection refused";
      }
    }
    return String.valueOf(cause.getMessage());
  }

  private void connected() {
    if (done) {
      pod.close();
      return;
    }
    connected = true;
    List<ByteBuf> queued = new ArrayList<>(pending);
    pending.clear();
    for (ByteBuf buffer : queued) {
      send(buffer);
    }
    if (outputFinished) {
      shutdownOutput(pod);
    }
  }

  /** Sends bytes to the pod (taking them over), or keeps them until connected. */
  void write(ByteBuf bytes) {
    if (done || outputFinished) {
      bytes.release();
      return;
    }
    if (!connected) {
      pending.add(bytes);
      return;
    }
    send(bytes);
  }

  private void send(ByteBuf bytes) {
    if (done) {
      // a failed write ended the connection meanwhile
      bytes.release();
      return;
    }
    pod.writeAndFlush(bytes).addListener(future -> {
      if (!future.isSuccess()) {
        LOG.debug("writing to the pod failed: {}", future.cause().toString());
        end(null);
      }
    });
    if (!pod.isWritable()) {
      client.config().setAutoRead(false);
    }
  }

  /** The client sends no more: half-closes the pod connection (once connected). */
  void finishOutput() {
    if (done || outputFinished) {
      return;
    }
    outputFinished = true;
    if (connected) {
      shutdownOutput(pod);
    }
  }

  private static void shutdownOutput(Channel pod) {
    if (pod instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    } else {
      pod.close();
    }
  }

  /** The client connection's writability changed: reading from the pod follows it. */
  void clientWritabilityChanged() {
    if (!done && pod != null && pod.isActive()) {
      pod.config().setAutoRead(client.isWritable());
    }
  }

  /** Closes the pod side without telling the listener. */
  void close() {
    if (done) {
      return;
    }
    done = true;
    release();
  }

  private void end(String error) {
    if (done) {
      return;
    }
    done = true;
    release();
    listener.ended(error);
  }

  private void release() {
    for (ByteBuf buffer : pending) {
      buffer.release();
    }
    pending.clear();
    if (pod != null) {
      pod.close();
    }
  }

  /** The pod side's pipeline: bytes go to the listener. */
  private final class PodSide extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext podContext, Object message) {
      ByteBuf bytes = (ByteBuf) message;
      if (done || !client.isActive()) {
        bytes.release();
        return;
      }
      listener.received(bytes);
      if (!client.isWritable()) {
        podContext.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext podContext) {
      if (podContext.channel().isWritable() && !client.config().isAutoRead()) {
        client.config().setAutoRead(true);
      }
      podContext.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext podContext) {
      end(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext podContext, Throwable cause) {
      LOG.debug("port-forward pod connection error: {}", cause.toString());
      podContext.close();
    }
  }
}
