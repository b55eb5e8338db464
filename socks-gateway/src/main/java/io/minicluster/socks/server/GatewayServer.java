package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.metrics.GatewayMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server behind {@link io.minicluster.socks.SocksGateway}: epoll when available, else NIO. */
public final class GatewayServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private ExecutorService ownedResolverExecutor;
  private Channel serverChannel;
  private volatile int boundPort = -1;

  public GatewayServer(GatewayConfig config, GatewayMetrics metrics) {
    this.config = requireNonNull(config, "config is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  /**
   * Binds and returns the local address.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public synchronized InetSocketAddress start() throws InterruptedException {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    boolean epoll = Epoll.isAvailable();
    Class<? extends ServerChannel> serverChannelClass;
    Class<? extends Channel> channelClass;
    if (epoll) {
      bossGroup = new EpollEventLoopGroup(1, new DefaultThreadFactory("socks-accept", true));
      workerGroup = new EpollEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("socks-io", true));
      serverChannelClass = EpollServerSocketChannel.class;
      channelClass = EpollSocketChannel.class;
    } else {
      bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("socks-accept", true));
      workerGroup = new NioEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("socks-io", true));
      serverChannelClass = NioServerSocketChannel.class;
      channelClass = NioSocketChannel.class;
    }
    WriteBufferWaterMark waterMark =
        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark());
    java.util.concurrent.Executor resolverExecutor = config.resolverExecutor().orElseGet(() -> {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096),
          new DefaultThreadFactory("socks-resolve", true));
      pool.allowCoreThreadTimeOut(true);
      ownedResolverExecutor = pool;
      return pool;
    });
    SocketTuning tuning = new SocketTuning(config.relayReadBufferMax(), config.socketBufferSize());
    DestinationConnector connector = new DestinationConnector(config.resolver(), config.systemDnsAllowed(),
        config.policy(), resolverExecutor,
        new NettyUpstreamConnector(channelClass, config.connectTimeout(), config.idleTimeout(), waterMark, tuning));
    GatewayContext context = new GatewayContext(config, metrics, connector, () -> boundPort);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(serverChannelClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .childHandler(new GatewayInitializer(context));
    tuning.applyToChildren(bootstrap);
    ChannelFuture bound = bootstrap.bind(new InetSocketAddress(config.bindAddress(), config.port())).await();
    if (!bound.isSuccess()) {
      close();
      String where = config.bindAddress().getHostAddress() + ":" + config.port();
      if (bound.cause() instanceof IOException io) {
        throw new UncheckedIOException("cannot listen on " + where + ": " + io.getMessage(), io);
      }
      throw new IllegalStateException("cannot listen on " + where, bound.cause());
    }
    serverChannel = bound.channel();
    InetSocketAddress local = (InetSocketAddress) serverChannel.localAddress();
    boundPort = local.getPort();
    LOG.debug("SOCKS gateway bound to {} using {}", local, epoll ? "epoll" : "NIO");
    return local;
  }

  public int boundPort() {
    return boundPort;
  }

  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    if (bossGroup != null) {
      bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    if (workerGroup != null) {
      workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (ownedResolverExecutor != null) {
      ownedResolverExecutor.shutdownNow();
    }
  }
}
