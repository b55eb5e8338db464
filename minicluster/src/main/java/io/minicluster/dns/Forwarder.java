package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Forwards questions outside the cluster zone to the upstream resolvers, in order, each with a timeout (the next one
 * is asked when one times out, fails or answers SERVFAIL/REFUSED); over UDP first, then TCP when the UDP answer is
 * truncated. Answers are cached ({@link ResponseCache}); identical questions in flight share one upstream exchange.
 * Each UDP exchange has a socket of its own, on a random port and connected to the upstream asked (the kernel drops
 * datagrams from anywhere else), and a random id; a response is taken only with the id and the question sent. Spoofing
 * an answer so takes guessing the port and the id, not the id alone.
 */
final class Forwarder implements AutoCloseable {
  private final EventLoopGroup group;
  private final List<InetSocketAddress> upstreams;
  private final long timeoutMillis;
  private final ResponseCache cache;
  private final Map<ResponseCache.Key, CompletableFuture<ResponseCache.Entry>> inflight = new ConcurrentHashMap<>();

  Forwarder(EventLoopGroup group, List<InetSocketAddress> upstreams, Duration timeout, ResponseCache cache) {
    this.group = requireNonNull(group, "group is null");
    this.upstreams = List.copyOf(upstreams);
    this.timeoutMillis = timeout.toMillis();
    this.cache = requireNonNull(cache, "cache is null");
  }

  List<InetSocketAddress> upstreams() {
    return upstreams;
  }

  /** The cached upstream response to {@code question}, or null: a cache hit needs no future. */
  ResponseCache.Entry cached(Question question, boolean checkingDisabled, boolean dnssecOk) {
    return cache.get(key(question, checkingDisabled, dnssecOk));
  }

  private static ResponseCache.Key key(Question question, boolean checkingDisabled, boolean dnssecOk) {
    return new ResponseCache.Key(question.canonicalName(), question.type(), question.dnsClass(), dnssecOk,
        checkingDisabled);
  }

  /** The (possibly cached) upstream response to {@code question}. */
  CompletableFuture<ResponseCache.Entry> resolve(Question question, boolean checkingDisabled, boolean dnssecOk) {
    ResponseCache.Key key = key(question, checkingDisabled, dnssecOk);
    ResponseCache.Entry cached = cache.get(key);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    if (upstreams.isEmpty()) {
      return CompletableFuture.failedFuture(new IOException("no upstream resolver"));
    }
    CompletableFuture<ResponseCache.Entry> created = new CompletableFuture<>();
    CompletableFuture<ResponseCache.Entry> existing = inflight.putIfAbsent(key, created);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<RawMessage> exchange = new CompletableFuture<>();
    exchange.whenComplete((message, failure) -> {
      inflight.remove(key, created);
      if (failure != null) {
        created.completeExceptionally(failure);
      } else {
        created.complete(cache.put(key, message));
      }
    });
    attempt(question, checkingDisabled, dnssecOk, 0, exchange);
    return created;
  }

  private record Pending(InetSocketAddress upstream, byte[] question, Question asked, boolean checkingDisabled,
      boolean dnssecOk, int index, CompletableFuture<RawMessage> result) {
  }

  private void attempt(Question question, boolean cd, boolean dnssecOk, int index,
      CompletableFuture<RawMessage> result) {
    if (index >= upstreams.size()) {
      result.completeExceptionally(new IOException("no upstream resolver answered " + question.name()));
      return;
    }
    InetSocketAddress upstream = upstreams.get(index);
    int id = ThreadLocalRandom.current().nextInt(0x10000);
    ByteBuf query;
    try {
      query = DnsWire.upstreamQuery(ByteBufAllocator.DEFAULT, id, question.name(), question.type(),
          question.dnsClass(), cd, dnssecOk);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e); // a name that cannot be written (a label too long, an empty label)
      return;
    }
    byte[] questionBytes = ByteBufUtil.getBytes(query, DnsWire.HEADER_LENGTH,
        query.readableBytes() - DnsWire.HEADER_LENGTH - 11);
    Pending entry = new Pending(upstream, questionBytes, question, cd, dnssecOk, index, result);
    AtomicBoolean done = new AtomicBoolean();
    Runnable next = () -> attempt(question, cd, dnssecOk, index + 1, result);
    new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            if (content.readableBytes() < DnsWire.HEADER_LENGTH
                || content.getUnsignedShort(content.readerIndex()) != id) {
              return;
            }
            RawMessage message;
            try {
              message = RawMessage.parse(ByteBufUtil.getBytes(content));
            } catch (IllegalArgumentException e) {
              return; // not an answer to our query: the timeout stands
            }
            if (!message.answers(questionBytes) || !done.compareAndSet(false, true)) {
              return;
            }
            ctx.close();
            if (message.truncated()) {
              tcp(entry);
            } else {
              accept(entry, message);
            }
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an ICMP error or a bad datagram: the timeout decides
          }
        })
        .connect(upstream)
        .addListener((ChannelFuture connected) -> {
          if (!connected.isSuccess()) {
            query.release();
            if (done.compareAndSet(false, true)) {
              next.run();
            }
            return;
          }
          Channel channel = connected.channel();
          ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
            if (done.compareAndSet(false, true)) {
              channel.close();
              next.run();
            }
          }, timeoutMillis, TimeUnit.MILLISECONDS);
          channel.closeFuture().addListener(closed -> timeout.cancel(false));
          channel.writeAndFlush(query).addListener(written -> {
            if (!written.isSuccess() && done.compareAndSet(false, true)) {
              channel.close();
              next.run();
            }
          });
        });
  }

  private void accept(Pending entry, RawMessage message) {
    int rcode = message.rcode();
    if ((rcode == RecordTypes.SERVFAIL || rcode == RecordTypes.REFUSED) && entry.index + 1 < upstreams.size()) {
      attempt(entry.asked, entry.checkingDisabled, entry.dnssecOk, entry.index + 1, entry.result);
      return;
    }
    entry.result.complete(message);
  }

  /** Asks the same upstream again over TCP (RFC 7766), for the answer that did not fit in UDP. */
  private void tcp(Pending entry) {
    int id = ThreadLocalRandom.current().nextInt(0x10000);
    ByteBuf query = DnsWire.upstreamQuery(ByteBufAllocator.DEFAULT, id, entry.asked.name(), entry.asked.type(),
        entry.asked.dnsClass(), entry.checkingDisabled, entry.dnssecOk);
    CompletableFuture<RawMessage> answer = new CompletableFuture<>();
    ChannelFuture connect = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                new SimpleChannelInboundHandler<ByteBuf>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                    try {
                      RawMessage message = RawMessage.parse(ByteBufUtil.getBytes(frame));
                      if (frame.getUnsignedShort(frame.readerIndex()) == id && message.answers(entry.question)) {
                        answer.complete(message);
                      }
                    } catch (IllegalArgumentException e) {
                      answer.completeExceptionally(e);
                    }
                    ctx.close();
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    answer.completeExceptionally(new IOException("upstream closed the connection"));
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    answer.completeExceptionally(cause);
                    ctx.close();
                  }
                });
          }
        })
        .connect(entry.upstream);
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        query.release();
        answer.completeExceptionally(f.cause());
        return;
      }
      Channel channel = connect.channel();
      ByteBuf framed = channel.alloc().buffer(2 + query.readableBytes());
      framed.writeShort(query.readableBytes()).writeBytes(query);
      query.release();
      channel.writeAndFlush(framed);
      ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
        answer.completeExceptionally(new IOException("upstream TCP timeout"));
        channel.close();
      }, timeoutMillis, TimeUnit.MILLISECONDS);
      answer.whenComplete((m, t) -> timeout.cancel(false));
    });
    answer.whenComplete((message, failure) -> {
      if (failure != null) {
        attempt(entry.asked, entry.checkingDisabled, entry.dnssecOk, entry.index + 1, entry.result);
      } else {
        accept(entry, message);
      }
    });
  }

  @Override
  public void close() {
    // exchanges in flight end with their timeouts
  }
}
