package io.minicluster.socks.server;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.metrics.GatewayMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty server behind {@link io.minicluster.socks.SocksGateway}: epoll when available (one SO_REUSEPORT
 * listening socket per event loop), else NIO (one acceptor thread).
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private ExecutorService ownedResolverExecutor;
  private final List<Channel> serverChannels = new ArrayList<>();
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
    if (!serverChannels.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    boolean epoll = Epoll.isAvailable();
    Function<InternetProtocolFamily, Channel> upstreamChannels;
    if (epoll) {
      workerGroup = new EpollEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("socks-io", true));
      upstreamChannels = EpollSocketChannel::new;
    } else {
      bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("socks-accept", true));
      workerGroup = new NioEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("socks-io", true));
      upstreamChannels = family -> new NioSocketChannel(SelectorProvider.provider(), family);
    }
    WriteBufferWaterMark waterMark =
        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark());
    Executor resolverExecutor = config.resolverExecutor().orElseGet(() -> {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096),
          new DefaultThreadFactory("socks-resolve", true));
      pool.allowCoreThreadTimeOut(true);
      ownedResolverExecutor = pool;
      return pool;
    });
    SocketTuning tuning = new SocketTuning(config.relayReadBufferMax(), config.socketBufferSize(),
        config.tcpKeepAlive(), epoll);
    DestinationConnector connector = new DestinationConnector(config.resolver(), config.systemDnsAllowed(),
        config.policy(), resolverExecutor,
        new NettyUpstreamConnector(upstreamChannels, config.connectTimeout(), waterMark, tuning));
    GatewayInitializer initializer = new GatewayInitializer(new GatewayContext(config, metrics, connector,
        () -> boundPort));
    InetSocketAddress local;
    if (epoll) {
      local = bindOnePerEventLoop(initializer, waterMark, tuning);
    } else {
      local = bind(serverBootstrap(initializer, waterMark, tuning).group(bossGroup, workerGroup)
          .channel(NioServerSocketChannel.class), config.port());
    }
    boundPort = local.getPort();
    LOG.debug("SOCKS gateway bound to {} using {} ({} listening sockets)", local, epoll ? "epoll" : "NIO",
        serverChannels.size());
    return local;
  }

  /**
   * Binds one listening socket per event loop, all on the same port with SO_REUSEPORT: the kernel spreads new
   * connections over them, and each connection is accepted and served by the same event loop, with no hand-off
   * from an acceptor thread (a thread wake-up and an eventfd write per connection).
   *
   * <p>SO_REUSEPORT alone would let a second gateway (same user) silently share a port that is already in use, so
   * the port is first bound exclusively (no SO_REUSEPORT; port 0 picks a free one) and released just before the
   * group binds it.
   */
  private InetSocketAddress bindOnePerEventLoop(GatewayInitializer initializer, WriteBufferWaterMark waterMark,
      SocketTuning tuning) throws InterruptedException {
    int port = reservePort();
    // An IPv4 bind address gets AF_INET sockets: Netty's default AF_INET6 socket would carry IPv4-mapped
    // addresses and cost an IPV6_V6ONLY call per accepted connection.
    InternetProtocolFamily family = config.bindAddress() instanceof Inet4Address
        ? InternetProtocolFamily.IPv4 : InternetProtocolFamily.IPv6;
    InetSocketAddress first = null;
    for (EventExecutor executor : workerGroup) {
      EventLoop loop = (EventLoop) executor;
      ServerBootstrap bootstrap = serverBootstrap(initializer, waterMark, tuning)
          .group(loop, loop)
          .channelFactory(() -> new EpollServerSocketChannel(family))
          .option(EpollChannelOption.SO_REUSEPORT, true);
      InetSocketAddress bound = bind(bootstrap, port);
      if (first == null) {
        first = bound;
      }
    }
    return first;
  }

  private int reservePort() {
    InetSocketAddress requested = new InetSocketAddress(config.bindAddress(), config.port());
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(requested, 1);
      return probe.getLocalPort();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot listen on " + describe(config.port()) + ": " + e.getMessage(), e);
    }
  }

  private ServerBootstrap serverBootstrap(GatewayInitializer initializer, WriteBufferWaterMark waterMark,
      SocketTuning tuning) {
    // TCP_NODELAY is on by default in Netty's socket channels (on Linux): setting it again costs a syscall.
    ServerBootstrap bootstrap = new ServerBootstrap()
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .childHandler(initializer);
    tuning.applyToChildren(bootstrap);
    return bootstrap;
  }

  private InetSocketAddress bind(ServerBootstrap bootstrap, int port) throws InterruptedException {
    ChannelFuture bound = bootstrap.bind(new InetSocketAddress(config.bindAddress(), port)).await();
    if (!bound.isSuccess()) {
      close();
      if (bound.cause() instanceof IOException io) {
        throw new UncheckedIOException("cannot listen on " + describe(port) + ": " + io.getMessage(), io);
      }
      throw new IllegalStateException("cannot listen on " + describe(port), bound.cause());
    }
    serverChannels.add(bound.channel());
    return (InetSocketAddress) bound.channel().localAddress();
  }

  private String describe(int port) {
    return config.bindAddress().getHostAddress() + ":" + port;
  }

  public int boundPort() {
    return boundPort;
  }

  @Override
  public synchronized void close() {
    for (Channel serverChannel : serverChannels) {
      serverChannel.close().syncUninterruptibly();
    }
    serverChannels.clear();
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
