package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The benchmarks' HTTP/1.1 load client: a fixed set of keep-alive TLS connections on one event-loop thread, one request
 * in flight per connection, the next request sent from the event loop as soon as the previous answer arrives. It costs
 * the shared CPU little, so what the benchmark measures is the server (the JDK's HttpClient on the same two cores used
 * more CPU than the API server it was measuring).
 */
final class HttpLoad implements AutoCloseable {
  /** One request: the body is sent as is with {@code contentType} (both null for none). */
  record Request(HttpMethod method, String uri, String contentType, byte[] body) {
    Request {
      requireNonNull(method, "method is null");
      requireNonNull(uri, "uri is null");
    }

    static Request get(String uri) {
      return new Request(HttpMethod.GET, uri, null, null);
    }

    static Request withBody(HttpMethod method, String uri, String contentType, String body) {
      return new Request(method, uri, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final EventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();
  private final String host;

  HttpLoad(InetSocketAddress server, SslContext ssl, int connections) throws InterruptedException {
    requireNonNull(server, "server is null");
    requireNonNull(ssl, "ssl is null");
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be positive");
    }
    this.host = server.getHostString() + ":" + server.getPort();
    boolean epoll = Epoll.isAvailable();
    group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(ssl.newHandler(channel.alloc(), server.getHostString(), server.getPort()),
                new HttpClientCodec(), new HttpObjectAggregator(256 * 1024 * 1024), new Exchange());
          }
        });
    try {
      for (int i = 0; i < connections; i++) {
        channels.add(bootstrap.connect(server).sync().channel());
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  /**
   * Sends {@code count} requests ({@code requests.apply(i)} for i = 0..count-1) spread over the connections, records
   * each one's latency and returns when all are answered. Fails on the first answer whose status is not
   * {@code expectedStatus}, or when a connection breaks.
   */
  void run(int count, IntFunction<Request> requests, int expectedStatus, Latencies latencies)
      throws InterruptedException {
    requireNonNull(requests, "requests is null");
    requireNonNull(latencies, "latencies is null");
    Run run = new Run(count, requests, expectedStatus, latencies, new CountDownLatch(channels.size()));
    for (Channel channel : channels) {
      Exchange exchange = channel.pipeline().get(Exchange.class);
      channel.eventLoop().execute(() -> exchange.start(run));
    }
    if (!run.done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("requests not answered within 10 minutes");
    }
    if (run.failure.get() != null) {
      throw new IllegalStateException(run.failure.get().getMessage(), run.failure.get());
    }
  }

  /** CPU time used so far by this client's event-loop thread, in nanoseconds. */
  long cpuNanos() {
    try {
      long threadId = group.submit(() -> Thread.currentThread().getId()).get();
      return ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    for (Channel channel : channels) {
      channel.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The state of one {@link #run}, shared by its connections. */
  private static final class Run {
    final int count;
    final IntFunction<Request> requests;
    final int expectedStatus;
    final Latencies latencies;
    final CountDownLatch done;
    final AtomicInteger next = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Run(int count, IntFunction<Request> requests, int expectedStatus, Latencies latencies, CountDownLatch done) {
      this.count = count;
      this.requests = requests;
      this.expectedStatus = expectedStatus;
      this.latencies = latencies;
      this.done = done;
    }
  }

  /** One connection's request/answer loop. */
  private final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
    private ChannelHandlerContext context;
    private Run run;
    private long sentAt;
    private String sent;

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      this.context = context;
    }

    void start(Run run) {
      this.run = run;
      sendNext();
    }

    private void sendNext() {
      int index = run.next.getAndIncrement();
      if (index >= run.count || run.failure.get() != null) {
        finish();
        return;
      }
      Request request = run.requests.apply(index);
      FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
          request.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(request.body()));
      http.headers().set(HttpHeaderNames.HOST, host);
      http.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
      http.headers().set(HttpHeaderNames.CONTENT_LENGTH, request.body() == null ? 0 : request.body().length);
      if (request.contentType() != null) {
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, request.contentType());
      }
      sent = request.method() + " " + request.uri();
      sentAt = System.nanoTime();
      context.writeAndFlush(http).addListener(future -> {
        if (!future.isSuccess()) {
          fail(new IllegalStateException(sent + " could not be sent", future.cause()));
        }
      });
    }

    private void finish() {
      Run finished = run;
      run = null;
      if (finished != null) {
        finished.done.countDown();
      }
    }

    private void fail(Throwable cause) {
      if (run != null) {
        run.failure.compareAndSet(null, cause);
        finish();
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
      if (run == null) {
        return;
      }
      run.latencies.record(System.nanoTime() - sentAt);
      if (response.status().code() != run.expectedStatus) {
        fail(new IllegalStateException(sent + " answered " + response.status().code() + ": "
            + response.content().toString(StandardCharsets.UTF_8)));
        return;
      }
      sendNext();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      fail(new IllegalStateException("connection closed by the server" + (sent == null ? "" : " after " + sent)));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      fail(cause);
      context.close();
    }
  }
}
