package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS: answers the cluster zone from a {@link ClusterDirectory} and forwards every other name to the
 * upstream resolvers, over UDP and TCP on one port. A UDP answer larger than 512 bytes, or than the EDNS0 size the
 * client advertised, is truncated (TC) so that the client asks again over TCP, which gets it whole. Packets that are
 * not queries are dropped; queries that cannot be read get FORMERR (NOTIMP for other opcodes); neither disturbs the
 * server.
 *
 * <p>Built on netty-codec-dns (already in the daemon's dependencies through the Netty BOM, so no new library): its
 * decoder reads the queries (names, compression pointers, records), on the event loops the rest of the daemon uses.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  private static final int TCP_IDLE_SECONDS = 10;

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Channel udp;
  private final Channel tcp;
  private final Forwarder forwarder;

  private DnsServer(EventLoopGroup group, boolean ownsGroup, Channel udp, Channel tcp, Forwarder forwarder) {
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.udp = udp;
    this.tcp = tcp;
    this.forwarder = forwarder;
  }

  /** Starts a server with an event loop group of its own (two threads). */
  public static DnsServer start(DnsServerConfig config, ClusterDirectory directory) throws InterruptedException {
    EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("dns", true));
    try {
      return start(config, directory, group, true);
    } catch (Throwable e) {
      // a failed bind surfaces as a BindException, checked yet undeclared (Netty rethrows causes as they are)
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Starts a server on {@code group}, which the caller shuts down after closing the server. */
  public static DnsServer start(DnsServerConfig config, ClusterDirectory directory, EventLoopGroup group)
      throws InterruptedException {
    return start(config, directory, group, false);
  }

  private static DnsServer start(DnsServerConfig config, ClusterDirectory directory, EventLoopGroup group,
      boolean ownsGroup) throws InterruptedException {
    requireNonNull(config, "config is null");
    ClusterZone zone = new ClusterZone(config.clusterDomain(), config.ttl().toSeconds(), config.podMode(),
        config.nameservers(), requireNonNull(directory, "directory is null"));
    Handler[] handler = new Handler[1];
    Channel udp = null;
    Channel tcp = null;
    for (int attempt = 0; tcp == null; attempt++) {
      udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
          .option(ChannelOption.SO_RCVBUF, 1 << 20)
          .handler(new UdpHandler(handler))
          .bind(config.listenAddress(), config.port()).sync().channel();
      int port = ((InetSocketAddress) udp.localAddress()).getPort();
      try {
        tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new IdleStateHandler(0, 0, TCP_IDLE_SECONDS),
                    new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2), new LengthFieldPrepender(2),
                    new TcpHandler(handler));
              }
            })
            .bind(config.listenAddress(), port).sync().channel();
      } catch (Exception e) {
        udp.close().sync();
        // with an ephemeral port, another process may hold its TCP twin: take another pair
        if (config.port() != 0 || attempt >= 10) {
          throw e;
        }
      }
    }
    InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
    List<InetSocketAddress> upstreams = withoutSelf(config.upstreams(), bound);
    if (upstreams.size() < config.upstreams().size()) {
      LOG.warn("DNS: not forwarding to {} (this server's own address: it would loop)", bound);
    }
    ResponseCache cache = new ResponseCache(config.cacheEntries(), config.cacheMaxTtl().toSeconds(),
        config.cacheMaxTtl().toSeconds(), System::nanoTime);
    Forwarder forwarder = new Forwarder(group, upstreams, config.upstreamTimeout(), cache);
    handler[0] = new Handler(zone, forwarder, config.maxUdpSize());
    LOG.info("DNS: serving {} on {} (UDP and TCP), forwarding other names to {}", zone.zone(), bound, upstreams);
    return new DnsServer(group, ownsGroup, udp, tcp, forwarder);
  }

  /**
   * The upstreams minus this server's own address (its address and port, or, when it listens on every address, any
   * local address with its port): forwarding there would loop.
   */
  static List<InetSocketAddress> withoutSelf(List<InetSocketAddress> upstreams, InetSocketAddress self) {
    List<InetSocketAddress> result = new ArrayList<>();
    for (InetSocketAddress upstream : upstreams) {
      boolean loops = upstream.getPort() == self.getPort() && (upstream.getAddress().equals(self.getAddress())
          || self.getAddress().isAnyLocalAddress() && isLocal(upstream));
      if (!loops) {
        result.add(upstream);
      }
    }
    return List.copyOf(result);
  }

  private static boolean isLocal(InetSocketAddress address) {
    if (address.getAddress().isLoopbackAddress() || address.getAddress().isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address.getAddress()) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  /** Where the server answers over UDP (and TCP: the same address and port). */
  public InetSocketAddress address() {
    return (InetSocketAddress) udp.localAddress();
  }

  /** The upstreams it forwards to (its own address removed). */
  public List<InetSocketAddress> upstreams() {
    return forwarder.upstreams();
  }

  @Override
  public void close() {
    udp.close().syncUninterruptibly();
    tcp.close().syncUninterruptibly();
    forwarder.close();
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Answers one query, from the zone or from upstream, and hands the encoded response to {@code reply}. */
  static final class Handler {
    private final ClusterZone zone;
    private final Forwarder forwarder;
    private final int maxUdpSize;

    Handler(ClusterZone zone, Forwarder forwarder, int maxUdpSize) {
      this.zone = zone;
      this.forwarder = forwarder;
      this.maxUdpSize = maxUdpSize;
    }

    void handle(ByteBuf packet, boolean overTcp, Consumer<ByteBuf> reply) {
      DnsWire.Parsed parsed = DnsWire.parseQuery(packet);
      if (parsed instanceof DnsWire.Parsed.Reject reject) {
        reply.accept(DnsWire.reject(ByteBufAllocator.DEFAULT, reject));
      } else if (parsed instanceof DnsWire.Parsed.Ok ok) {
        Query query = ok.query();
        int limit = overTcp ? 65535 : query.udpLimit(maxUdpSize);
        try {
          answer(query, limit, reply);
        } catch (RuntimeException e) {
          LOG.debug("DNS: failed to answer {}", query.question(), e);
          reply.accept(DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.SERVFAIL, false, List.of(),
              List.of(), List.of(), limit));
        }
      }
    }

    private void answer(Query query, int limit, Consumer<ByteBuf> reply) {
      Question question = query.question();
      if (query.edns() != null && query.edns().version() > 0) {
        reply.accept(DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.BADVERS, false, List.of(),
            List.of(), List.of(), limit));
        return;
      }
      if (zone.contains(question.name())) {
        if (question.dnsClass() != RecordTypes.CLASS_IN) {
          reply.accept(DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.REFUSED, false, List.of(),
              List.of(), List.of(), limit));
          return;
        }
        ZoneAnswer answer = zone.answer(question);
        if (answer.chase() == null) {
          reply.accept(encode(query, answer, limit));
          return;
        }
        Question target = new Question(answer.chase().target(), answer.chase().type(), RecordTypes.CLASS_IN);
        forwarder.resolve(target, query.checkingDisabled(), query.dnssecOk()).whenComplete((entry, failure) -> {
          ZoneAnswer completed;
          if (failure != null) {
            completed = new ZoneAnswer(RecordTypes.NOERROR, List.of(), List.of(zone.soa()), List.of(), null);
          } else {
            List<ResourceRecord> records = new ArrayList<>(answer.answers());
            records.addAll(entry.message().answerRecords(entry.elapsedSeconds(System.nanoTime())));
            completed = new ZoneAnswer(RecordTypes.NOERROR, records, List.of(), answer.additional(), null);
          }
          reply.accept(encode(query, completed, limit));
        });
        return;
      }
      if (question.dnsClass() == RecordTypes.CLASS_IN && ClusterZone.isReverse(question.name())) {
        ZoneAnswer answer = zone.reverse(question).orElse(null);
        if (answer != null) {
          reply.accept(encode(query, answer, limit));
          return;
        }
      }
      forward(query, limit, reply);
    }

    private void forward(Query query, int limit, Consumer<ByteBuf> reply) {
      ResponseCache.Entry cached = forwarder.cached(query.question(), query.checkingDisabled(), query.dnssecOk());
      if (cached != null) {
        reply.accept(fromUpstream(query, cached, limit));
        return;
      }
      forwarder.resolve(query.question(), query.checkingDisabled(), query.dnssecOk())
          .whenComplete((entry, failure) -> {
            if (failure != null) {
              reply.accept(DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.SERVFAIL, false,
                  List.of(), List.of(), List.of(), limit));
              return;
            }
            reply.accept(fromUpstream(query, entry, limit));
          });
    }

    /** The upstream's response as the answer to {@code query}: its bytes patched, or empty with TC if too large. */
    private static ByteBuf fromUpstream(Query query, ResponseCache.Entry entry, int limit) {
      RawMessage message = entry.message();
      if (message.lengthFor(query) > limit) {
        ByteBuf truncated = DnsWire.response(ByteBufAllocator.DEFAULT, query, message.rcode(), false, List.of(),
            List.of(), List.of(), limit);
        truncated.setShort(2, truncated.getUnsignedShort(2) | 0x0200);
        return truncated;
      }
      long elapsed = entry.elapsedSeconds(System.nanoTime());
      return message.forClient(ByteBufAllocator.DEFAULT, query, elapsed,
          entry.ttlSeconds() > 0 ? entry.ttlSeconds() - elapsed : Long.MAX_VALUE);
    }

    private static ByteBuf encode(Query query, ZoneAnswer answer, int limit) {
      return DnsWire.response(ByteBufAllocator.DEFAULT, query, answer.rcode(), answer.rcode() != RecordTypes.REFUSED,
          answer.answers(), answer.authority(), answer.additional(), limit);
    }
  }

  @ChannelHandler.Sharable
  private static final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Handler[] handler;

    UdpHandler(Handler[] handler) {
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      Handler h = handler[0];
      if (h == null) {
        return;
      }
      InetSocketAddress sender = packet.sender();
      Channel channel = ctx.channel();
      h.handle(packet.content(), false, response -> channel.writeAndFlush(new DatagramPacket(response, sender)));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("DNS: UDP error", cause);
    }
  }

  private static final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Handler[] handler;

    TcpHandler(Handler[] handler) {
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      Handler h = handler[0];
      if (h == null) {
        ctx.close();
        return;
      }
      Channel channel = ctx.channel();
      h.handle(frame, true, response -> {
        if (channel.isActive()) {
          channel.writeAndFlush(response);
        } else {
          response.release();
        }
      });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
