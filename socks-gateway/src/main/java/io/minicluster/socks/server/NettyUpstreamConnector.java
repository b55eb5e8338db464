package io.minicluster.socks.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Connects with a {@link Bootstrap} on the client's event loop; addresses arrive already resolved. */
final class NettyUpstreamConnector implements UpstreamConnector {

  private final Bootstrap template;

  NettyUpstreamConnector(Class<? extends Channel> channelClass, Duration connectTimeout, Duration idleTimeout,
      WriteBufferWaterMark waterMark, SocketTuning tuning) {
    long idleMillis = idleTimeout.toMillis();
    Bootstrap bootstrap = new Bootstrap()
        .channel(channelClass)
        .resolver(NoopAddressResolverGroup.INSTANCE)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .option(ChannelOption.RCVBUF_ALLOCATOR, tuning.receiveBufferAllocator())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
            channel.pipeline().addLast("idle-closer", IdleCloser.INSTANCE);
            channel.pipeline().addLast("error-closer", ErrorCloser.INSTANCE);
          }
        });
    tuning.applyTo(bootstrap);
    this.template = bootstrap;
  }

  @Override
  public ChannelFuture connect(Channel client, InetSocketAddress destination) {
    return template.clone(client.eventLoop()).connect(destination);
  }
}
