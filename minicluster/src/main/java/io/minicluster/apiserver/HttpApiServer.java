package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.Authenticator;
import io.minicluster.apiserver.auth.UserInfo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API server's HTTP/1.1 (over TLS) transport on Netty. */
public final class HttpApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
  /** The apiserver's request body limit (3 MiB). */
  public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
  /** Bodies above this size are written in pieces as the connection drains. */
  static final int CHUNKED_ABOVE = 1024 * 1024;
  private static final int CHUNK_BYTES = 64 * 1024;
  /**
   * A stream (a watch) whose client lets more than this wait is closed: the waiting bytes are direct memory once
   * encrypted, and the packaged options allow 32 MB of it for every connection together.
   */
  private static final long MAX_PENDING_STREAM_BYTES = 8L * 1024 * 1024;

  private final ApiRouter router;
  private volatile SslContext sslContext;
  private final RequestAuthenticator authenticator;
  private final RequestAuthorizer authorizer;
  private final ExecutorService executor;
  private final UpgradeHandler upgradeHandler;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;

  /**
   * @param sslContext null for plain HTTP
   * @param upgradeHandler serves exec, attach and port-forward upgrades; null when there is no node agent
   */
  public HttpApiServer(ApiRouter router, SslContext sslContext, RequestAuthenticator authenticator,
      RequestAuthorizer authorizer, ExecutorService executor, UpgradeHandler upgradeHandler) {
    this.router = requireNonNull(router, "router is null");
    this.sslContext = sslContext;
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.upgradeHandler = upgradeHandler;
  }

  /** Serves new connections with {@code context} (renewed certificates); open connections keep theirs. */
  public void setSslContext(SslContext context) {
    if (sslContext == null) {
      throw new IllegalStateException("this server is plain HTTP");
    }
    this.sslContext = requireNonNull(context, "context is null");
  }

  /** Binds and returns the bound address. */
  public InetSocketAddress start(String bindAddress, int port) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    workers = epoll ? new EpollEventLoopGroup(2) : new NioEventLoopGroup(2);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            ChannelPipeline pipeline = channel.pipeline();
            if (sslContext != null) {
              pipeline.addLast("ssl", sslContext.newHandler(channel.alloc()));
            }
            pipeline.addLast("http", new HttpServerCodec(16 * 1024, 64 * 1024, 64 * 1024));
            pipeline.addLast("aggregator", new LimitedAggregator());
            pipeline.addLast("api", new Handler());
          }
        });
    serverChannel = bootstrap.bind(bindAddress, port).sync().channel();
    InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
    LOG.info("API server listening on {}://{}:{}", sslContext == null ? "http" : "https",
        address.getAddress().getHostAddress(), address.getPort());
    return address;
  }

  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Aggregates bodies up to 3 MiB; larger ones get a 413 Status. */
  private static final class LimitedAggregator extends HttpObjectAggregator {
    LimitedAggregator() {
      super(MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext context, HttpMessage oversized) {
      ApiException error = ApiException.tooLarge("Request entity too large: limit is " + MAX_BODY_BYTES);
      FullHttpResponse response = fullResponse(ApiResponse.error(error));
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  static FullHttpResponse fullResponse(ApiResponse response) {
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
    setHeaders(http, response);
    return http;
  }

  /** The head of a response whose body follows in chunks as the connection drains. */
  static HttpResponse responseHead(ApiResponse response) {
    HttpResponse http = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
    setHeaders(http, response);
    return http;
  }

  private static void setHeaders(HttpResponse http, ApiResponse response) {
    http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    http.headers().set("Cache-Control", "no-cache, private");
    if (response.retryAfterSeconds() > 0) {
      http.headers().set(HttpHeaderNames.RETRY_AFTER, response.retryAfterSeconds());
    }
    for (String warning : response.warnings()) {
      http.headers().add("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** The connection's TLS peer chain, read once: it cannot change after the handshake (no renegotiation). */
    private List<Certificate> peerCertificates;

    Handler() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
      if (!request.decoderResult().isSuccess()) {
        request.release();
        send(context, true, ApiResponse.error(ApiException.badRequest("malformed HTTP request")));
        return;
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      String path = new QueryStringDecoder(request.uri()).path();
      Optional<UserInfo> user = Optional.empty();
      if (!Authenticator.isPublicPath(path)) {
        if (peerCertificates == null) {
          peerCertificates = peerCertificates(context);
        }
        user = authenticator.authenticate(request.headers(), peerCertificates);
        if (user.isEmpty()) {
          request.release();
          send(context, keepAlive, ApiResponse.error(ApiException.unauthorized()));
          return;
        }
        try {
          user = Optional.of(authorizer.authorize(request.method().name(), request.uri(), request.headers(),
              user.get()));
        } catch (ApiException denied) {
          request.release();
          send(context, keepAlive, ApiResponse.error(denied));
          return;
        }
      }
      if (request.headers().contains(HttpHeaderNames.UPGRADE)) {
        ResourceEndpoints.Route route = ResourceEndpoints.route(path);
        if (route != null && route.subresource() != null
            && List.of("exec", "attach", "portforward").contains(route.subresource()) && upgradeHandler != null) {
          context.pipeline().remove("aggregator");
          // a stream's answer carries no warnings
          upgradeHandler.upgrade(context, request, route, RequestOptions.requester(user.orElse(null), warning -> { }));
          return;
        }
      }
      byte[] body = ByteBufUtil.getBytes(request.content());
      ApiRequest apiRequest = ApiRequest.of(request.method(), request.uri(), request.headers(), body,
          user.orElse(null));
      request.release();
      NettyChannel channel = new NettyChannel(context, keepAlive);
      try {
        executor.execute(() -> {
          try {
            router.handle(apiRequest, channel);
          } catch (ApiException e) {
            channel.respond(ApiResponse.error(e));
          } catch (VirtualMachineError fatal) {
            // out of memory, stack overflow: no answer can be trusted; the thread's uncaught-exception handler ends
            // the process (crash-only) rather than serving 500s from a broken daemon
            throw fatal;
          } catch (Throwable e) {
            // every other request gets an answer, whatever went wrong
            LOG.warn("request {} {} failed", apiRequest.method(), apiRequest.path(), e);
            channel.respond(ApiResponse.error(ApiException.internal(String.valueOf(e.getMessage()))));
          }
        });
      } catch (RejectedExecutionException e) {
        channel.respond(ApiResponse.error(new ApiException(429, "TooManyRequests",
            "the server is overloaded, please try again later", null, null, null, null, 1)));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      LOG.debug("connection error: {}", cause.toString());
      context.close();
    }
  }

  private static List<Certificate> peerCertificates(ChannelHandlerContext context) {
    SslHandler ssl = context.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return List.of();
    }
    try {
      return Arrays.asList(ssl.engine().getSession().getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /**
   * Writes a complete response. A body above {@link #CHUNKED_ABOVE} bytes goes out {@link #CHUNK_BYTES} at a time,
   * each piece once the one before has reached the socket: written at once, a list of 10,000 pods (tens of MB) sat in
   * the channel's outbound buffer, whose encrypted copies are direct memory, and exhausted the packaged
   * {@code -XX:MaxDirectMemorySize=32m}, so the connection was dropped mid-body.
   */
  private static void send(ChannelHandlerContext context, boolean keepAlive, ApiResponse response) {
    boolean large = response.body().length > CHUNKED_ABOVE;
    HttpResponse head = large ? responseHead(response) : fullResponse(response);
    if (keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    if (!large) {
      ChannelFuture written = context.writeAndFlush(head);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    context.write(head);
    writeBody(context, response.body(), 0, keepAlive);
  }

  /** Writes the body from {@code offset} on, one piece after the other has been written. */
  private static void writeBody(ChannelHandlerContext context, byte[] body, int offset, boolean keepAlive) {
    int end = Math.min(body.length, offset + CHUNK_BYTES);
    if (end == body.length) {
      ChannelFuture written = context.writeAndFlush(
          new DefaultLastHttpContent(Unpooled.wrappedBuffer(body, offset, end - offset)));
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    context.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(body, offset, end - offset)))
        .addListener(written -> {
          if (written.isSuccess()) {
            writeBody(context, body, end, keepAlive);
          } else {
            context.close();
          }
        });
  }

  /** A ResponseChannel on a Netty channel. */
  private static final class NettyChannel implements ResponseChannel {
    private final ChannelHandlerContext context;
    private final boolean keepAlive;
    private final AtomicBoolean answered = new AtomicBoolean();

    NettyChannel(ChannelHandlerContext context, boolean keepAlive) {
      this.context = context;
      this.keepAlive = keepAlive;
    }

    @Override
    public void respond(ApiResponse response) {
      if (answered.compareAndSet(false, true)) {
        send(context, keepAlive, response);
      }
    }

    @Override
    public Stream stream(String contentType) {
      if (!answered.compareAndSet(false, true)) {
        throw new IllegalStateException("already answered");
      }
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      head.headers().set("Cache-Control", "no-cache, private");
      Channel channel = context.channel();
      channel.writeAndFlush(head);
      return new NettyStream(channel, keepAlive);
    }
  }

  private static final class NettyStream implements ResponseChannel.Stream {
    private final Channel channel;
    private final boolean keepAlive;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

    NettyStream(Channel channel, boolean keepAlive) {
      this.channel = channel;
      this.keepAlive = keepAlive;
      channel.closeFuture().addListener(f -> runOnClose());
    }

    @Override
    public boolean write(byte[] chunk) {
      if (closed.get() || !channel.isActive()) {
        return false;
      }
      // a client that stops reading must not make us buffer without bound
      if (channel.bytesBeforeUnwritable() == 0 && channel.unsafe().outboundBuffer() != null
          && channel.unsafe().outboundBuffer().totalPendingWriteBytes() > MAX_PENDING_STREAM_BYTES) {
        LOG.warn("closing a stream to {}: the client does not read", channel.remoteAddress());
        channel.close();
        return false;
      }
      channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
      return true;
    }

    @Override
    public boolean writable() {
      return channel.isWritable();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        if (channel.isActive()) {
          if (keepAlive) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
          } else {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
          }
        }
        runOnClose();
      }
    }

    private void runOnClose() {
      List<Runnable> actions = new ArrayList<>(onClose);
      onClose.clear();
      for (Runnable action : actions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.warn("stream close action failed", e);
        }
      }
    }

    @Override
    public void onClose(Runnable action) {
      if (closed.get() || !channel.isActive()) {
        action.run();
      } else {
        onClose.add(action);
      }
    }
  }
}
