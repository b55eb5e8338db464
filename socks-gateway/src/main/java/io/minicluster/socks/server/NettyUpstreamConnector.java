package io.minicluster.socks.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;

/** Connects with a {@link Bootstrap} on the client's event loop; addresses arrive already resolved. */
final class NettyUpstreamConnector implements UpstreamConnector {

  private final Bootstrap ipv4;
  private final Bootstrap ipv6;

  /**
   * @param channels makes a socket channel of the given family: an IPv4 destination gets an AF_INET socket (an
   *     AF_INET6 one would cost an IPV6_V6ONLY call and mapped addresses)
   */
  NettyUpstreamConnector(Function<InternetProtocolFamily, Channel> channels, Duration connectTimeout,
      WriteBufferWaterMark waterMark, SocketTuning tuning) {
    // TCP_NODELAY is on by default in Netty's socket channels (on Linux): setting it again costs a syscall.
    Bootstrap bootstrap = new Bootstrap()
        .resolver(NoopAddressResolverGroup.INSTANCE)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .option(ChannelOption.RCVBUF_ALLOCATOR, tuning.receiveBufferAllocator())
        // Timeouts are the client connection's (ConnectionSweeper); the relay is added once connected.
        .handler(ErrorCloser.INSTANCE);
    tuning.applyTo(bootstrap);
    this.ipv4 = bootstrap.clone().channelFactory(() -> channels.apply(InternetProtocolFamily.IPv4));
    this.ipv6 = bootstrap.channelFactory(() -> channels.apply(InternetProtocolFamily.IPv6));
  }

  @Override
  public ChannelFuture connect(Channel client, InetSocketAddress destination) {
    Bootstrap template = destination.getAddress() instanceof Inet4Address ? ipv4 : ipv6;
    return template.clone(client.eventLoop()).connect(destination);
  }
}
