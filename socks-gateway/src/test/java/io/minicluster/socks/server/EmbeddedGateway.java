package io.minicluster.socks.server;

import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.metrics.GatewayMetrics;
import io.minicluster.socks.policy.DestinationRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the gateway's per-connection pipeline on {@link EmbeddedChannel}s: the resolver runs inline and
 * destinations are in-memory channels (or a scripted connect failure).
 */
final class EmbeddedGateway {

  final GatewayMetrics metrics = new GatewayMetrics();
  final List<InetSocketAddress> connects = new ArrayList<>();
  final List<DestinationRequest> policyRequests = new ArrayList<>();
  final List<EmbeddedChannel> upstreams = new ArrayList<>();
  private final GatewayContext context;
  Throwable connectFailure;
  /** When set, connects stay pending until the test calls {@link #completeConnects()}. */
  boolean deferConnects;
  private final List<ChannelPromise> pendingConnects = new ArrayList<>();

  EmbeddedGateway(GatewayConfig config) {
    UpstreamConnector connector = (client, destination) -> {
      connects.add(destination);
      if (connectFailure != null) {
        return client.newFailedFuture(connectFailure);
      }
      EmbeddedChannel upstream = new EmbeddedChannel();
      upstream.config().setAutoRead(false);
      upstreams.add(upstream);
      if (deferConnects) {
        ChannelPromise pending = upstream.newPromise();
        pendingConnects.add(pending);
        return pending;
      }
      return upstream.newSucceededFuture();
    };
    DestinationConnector destinationConnector = new DestinationConnector(config.resolver(),
        config.systemDnsAllowed(), request -> {
          policyRequests.add(request);
          return config.policy().evaluate(request);
        }, Runnable::run, connector);
    this.context = new GatewayContext(config, metrics, destinationConnector, () -> 1080);
  }

  /** Completes the connects held by {@link #deferConnects} and runs the client's pending tasks. */
  void completeConnects(EmbeddedChannel client) {
    for (ChannelPromise pending : pendingConnects) {
      pending.setSuccess();
    }
    pendingConnects.clear();
    client.runPendingTasks();
  }

  EmbeddedChannel newClient() {
    return new EmbeddedChannel(new GatewayInitializer(context));
  }

  /** Writes bytes as the client and runs the tasks the gateway queued (resolution callbacks). */
  static void send(EmbeddedChannel client, int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    sendRaw(client, raw);
  }

  static void sendRaw(EmbeddedChannel client, byte[] raw) {
    client.writeInbound(Unpooled.wrappedBuffer(raw));
    client.runPendingTasks();
  }

  /** All bytes the gateway wrote to the client so far. */
  static byte[] received(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    Object message;
    while ((message = channel.readOutbound()) != null) {
      if (message instanceof ByteBuf buffer) {
        all.writeBytes(buffer);
        buffer.release();
      } else {
        throw new AssertionError("unexpected outbound message " + message);
      }
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }

  static byte[] bytes(int... values) {
    byte[] raw = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      raw[i] = (byte) values[i];
    }
    return raw;
  }
}
