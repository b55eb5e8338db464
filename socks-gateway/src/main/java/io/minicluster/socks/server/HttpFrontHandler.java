package io.minicluster.socks.server;

import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.StatusPageExtension;
import io.minicluster.socks.StatusSection;
import io.minicluster.socks.http.PacFile;
import io.minicluster.socks.http.StatusPage;
import io.minicluster.socks.policy.RefusalReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP on the SOCKS port, one request after another on a keep-alive connection:
 * <ul>
 *   <li>the gateway's own pages in origin form: {@code GET /proxy.pac}, {@code /} (status page), {@code /metrics},
 *       only under the gateway's own names ({@link LocalNames}, against DNS rebinding);</li>
 *   <li>{@code CONNECT host:port}: a tunnel, under the same policy as SOCKS;</li>
 *   <li>forward proxying of absolute-form requests ({@code GET http://web.default:8080/x HTTP/1.1}, as browsers and
 *       {@code http_proxy} tools send them): the destination is decided by the same resolver and policy as SOCKS,
 *       the request goes on in origin form with the hop-by-hop fields removed ({@link HopByHopHeaders}) and the
 *       response comes back streamed, with back-pressure both ways. Several requests on one client connection may
 *       go to different destinations; the destination connection is kept for the next request to the same one.
 *       Refusals answer as a proxy does: 403 (policy), 407 (credentials), 502 (unknown name, refused, no answer),
 *       504 (connect timeout).</li>
 * </ul>
 * The client is not read while a forwarded response is in progress, so pipelined requests wait their turn.
 * Everything runs on the client's event loop, which the destination channel shares.
 */
final class HttpFrontHandler extends ChannelInboundHandlerAdapter {

  static final String NAME = "http-front";
  static final String CODEC = "http-codec";
  private static final String UPSTREAM_CODEC = "http-client-codec";
  private static final String UPSTREAM_HANDLER = "http-upstream";
  private static final String VIA_AGENT = " socks-gateway";

  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontHandler.class);

  /** The client-side codec: request lines and header blocks up to 16 KiB. */
  static HttpServerCodec newServerCodec() {
    return new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(16 * 1024)
        .setMaxChunkSize(64 * 1024));
  }

  private enum State {
    /** Waiting for a request head. */
    IDLE,
    /** Reading (and dropping) the body of a request for one of the gateway's own pages. */
    LOCAL,
    /** A forwarded request waits for its destination connection; what the client sends meanwhile is queued. */
    CONNECTING,
    /** Relaying a forwarded request's body. */
    SENDING,
    /** The forwarded request is sent; the client is not read until its response is complete. */
    AWAITING_RESPONSE,
    /** CONNECT waits for its tunnel. */
    TUNNELLING,
    /** An answer is on its way and the connection closes after it; input is dropped. */
    CLOSING
  }

  private final GatewayContext gateway;
  private final ArrayDeque<HttpObject> queued = new ArrayDeque<>();
  private Channel client;
  private ConnectionContext connection;
  private State state = State.IDLE;
  private HttpRequest localRequest;
  private String localPath;

  private Channel upstream;
  private String upstreamDestination;
  private boolean upstreamReusable;
  private HttpVersion requestVersion;
  private boolean requestHead;
  private boolean requestKeepAlive;
  private boolean requestSent;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean interimResponse;
  private boolean clientKeepAlive;
  private boolean clientInputEnded;
  /** A body-less request sent on a kept destination connection, sent again if that closes without answering. */
  private ProxyTarget retryTarget;
  private HttpRequest retryRequest;

  HttpFrontHandler(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    client = context.channel();
    connection = ConnectionContext.of(client);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (!(message instanceof HttpObject object)) {
      context.fireChannelRead(message);
      return;
    }
    connection.active();
    if (state == State.CONNECTING || state == State.AWAITING_RESPONSE || state == State.TUNNELLING) {
      queued.add(object);
      return;
    }
    handle(object);
  }

  /** Handles one object from the client and releases it. */
  private void handle(HttpObject object) {
    try {
      switch (state) {
        case IDLE -> {
          if (object instanceof HttpRequest request) {
            startRequest(request);
          }
        }
        case LOCAL -> {
          if (object instanceof LastHttpContent) {
            serveLocal();
          }
        }
        case SENDING -> {
          if (object.decoderResult().isFailure()) {
            connection.outcome("request body malformed");
            closeBoth();
          } else if (object instanceof HttpContent content) {
            sendContent(content.retain());
          }
        }
        case CLOSING -> {
          // dropped
        }
        default -> throw new IllegalStateException(state.toString());
      }
    } finally {
      ReferenceCountUtil.release(object);
    }
  }

  private void startRequest(HttpRequest request) {
    connection.endHandshake();
    if (request.decoderResult().isFailure()) {
      connection.refuse(RefusalReason.MALFORMED_HANDSHAKE, "bad HTTP request");
      fail(HttpResponseStatus.BAD_REQUEST, "bad request\n", null);
      return;
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      tunnel(request);
      return;
    }
    String uri = request.uri();
    if (uri.startsWith("/")) {
      beginLocal(request, uri);
      return;
    }
    ProxyTarget target = ProxyTarget.parse(uri);
    if (target == null) {
      connection.refuse(RefusalReason.MALFORMED_HANDSHAKE, "bad request target");
      fail(HttpResponseStatus.BAD_REQUEST, "The request target must be a path or an absolute http:// URL.\n", null);
      return;
    }
    if (target.port() == gateway.boundPort().getAsInt() && gateway.localNames().isThisMachine(target.host())) {
      beginLocal(request, target.originForm());
      return;
    }
    forward(request, target);
  }

  // ---- the gateway's own pages

  private void beginLocal(HttpRequest request, String pathAndQuery) {
    localRequest = request;
    localPath = new QueryStringDecoder(pathAndQuery).path();
    state = State.LOCAL;
  }

  private void serveLocal() {
    HttpRequest request = localRequest;
    localRequest = null;
    state = State.IDLE;
    String refusedHost = refusedHost(request);
    if (refusedHost != null) {
      connection.outcome("HTTP " + request.method() + " " + refusedHost);
      boolean missing = refusedHost.startsWith("400");
      respond(request, missing ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.MISDIRECTED_REQUEST,
          "text/plain; charset=utf-8", missing ? "missing Host header\n"
              : "This gateway serves its pages only under its own names (localhost, IP addresses, its host name and"
              + " configured names); the Host header named another.\n", true);
      return;
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      connection.outcome("HTTP " + request.method() + " 405");
      respond(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "method not allowed\n",
          true);
      return;
    }
    GatewayConfig config = gateway.config();
    HostAndPort proxy = proxyAddress(request);
    switch (localPath) {
      case "/proxy.pac" -> {
        connection.outcome("HTTP GET /proxy.pac 200");
        respond(request, HttpResponseStatus.OK, PacFile.CONTENT_TYPE,
            PacFile.render(proxy.text(), config.pacCidrs(), config.pacDomains()), true);
      }
      case "/", "/index.html" -> {
        connection.outcome("HTTP GET / 200");
        StatusPage.Model model = new StatusPage.Model(config.statusPageTitle(),
            proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host(), proxy.port(),
            config.policy().describe(), config.pacCidrs(), config.pacDomains(), config.credentials().isPresent(),
            gateway.metrics().snapshot(), extraSections(config));
        respond(request, HttpResponseStatus.OK, "text/html; charset=utf-8", StatusPage.render(model), true);
      }
      case "/metrics" -> {
        connection.outcome("HTTP GET /metrics 200");
        respond(request, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
            gateway.metrics().toPrometheusText(), true);
      }
      default -> {
        connection.outcome("HTTP GET " + localPath + " 404");
        respond(request, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found\n", true);
      }
    }
  }

  /**
   * Null if the Host header names this gateway (or an HTTP/1.0 request has none); else the outcome to log, starting
   * with the status code. Against DNS rebinding: see {@link LocalNames}.
   */
  private String refusedHost(HttpRequest request) {
    String hostHeader = request.headers().get(HttpHeaderNames.HOST);
    if (hostHeader == null) {
      return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? null : "400 (no Host header)";
    }
    HostAndPort host = HostAndPort.parse(hostHeader, 0);
    if (host == null || !gateway.localNames().accepts(host.host())) {
      return "421 (Host '" + hostHeader + "' is not one of the gateway's names)";
    }
    return null;
  }

  // ---- CONNECT

  private void tunnel(HttpRequest request) {
    connection.protocol("HTTP-CONNECT");
    connection.destination(request.uri());
    if (!gateway.config().httpConnectEnabled()) {
      connection.refuse(RefusalReason.COMMAND_NOT_SUPPORTED, "HTTP CONNECT disabled");
      fail(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT is disabled\n", null);
      return;
    }
    if (!authorized(request, "HTTP CONNECT")) {
      return;
    }
    HostAndPort target = HostAndPort.parse(request.uri(), -1);
    if (target == null || target.port() <= 0) {
      connection.refuse(RefusalReason.MALFORMED_HANDSHAKE, "bad CONNECT target");
      fail(HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port\n", null);
      return;
    }
    state = State.TUNNELLING;
    client.config().setAutoRead(false);
    gateway.connector().connect(client, connection.client(), target.host(), null, target.port(),
        new DestinationConnector.Callback() {
          @Override
          public void connected(Channel destination) {
            if (state != State.TUNNELLING) {
              destination.close();
              return;
            }
            connection.relayedTo(destination.remoteAddress());
            releaseQueued();
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(200, "Connection established")));
            client.pipeline().remove(HttpFrontHandler.this);
            RelayHandler.install(client, destination, CODEC, gateway.metrics());
          }

          @Override
          public void refused(RefusalReason reason, String detail) {
            if (state == State.TUNNELLING) {
              refuse(reason, detail);
            }
          }
        });
  }

  // ---- forward proxying

  private void forward(HttpRequest request, ProxyTarget target) {
    connection.protocol("HTTP-PROXY");
    connection.destination(target.destination());
    if (!gateway.config().httpProxyEnabled()) {
      connection.refuse(RefusalReason.COMMAND_NOT_SUPPORTED, "HTTP proxying disabled");
      fail(HttpResponseStatus.NOT_IMPLEMENTED, "This gateway proxies through SOCKS5, SOCKS4 or HTTP CONNECT only.\n",
          null);
      return;
    }
    if (!target.scheme().equals("http")) {
      connection.refuse(RefusalReason.COMMAND_NOT_SUPPORTED, target.scheme() + " URL");
      fail(HttpResponseStatus.NOT_IMPLEMENTED, "Only http:// URLs are forwarded; " + target.scheme()
          + " goes through CONNECT.\n", null);
      return;
    }
    if (!authorized(request, "HTTP proxy request")) {
      return;
    }
    requestVersion = request.protocolVersion();
    requestHead = HttpMethod.HEAD.equals(request.method());
    requestKeepAlive = keepAlive(request);
    requestSent = false;
    responseStarted = false;
    responseDone = false;
    interimResponse = false;
    HttpRequest outgoing = originFormRequest(request, target);
    retryTarget = null;
    retryRequest = null;
    if (upstream != null && upstream.isActive() && upstreamReusable
        && target.destination().equals(upstreamDestination)) {
      state = State.SENDING;
      upstreamReusable = false;
      if (withoutBody(request)) {
        // The destination may close its idle connection just as this request goes out: then it is sent again once.
        retryTarget = target;
        retryRequest = outgoing;
      }
      gateway.metrics().httpRequestForwarded();
      upstream.writeAndFlush(outgoing, upstream.voidPromise());
      updateClientRead();
      return;
    }
    connectAndSend(target, outgoing, false);
  }

  /**
   * Connects to the destination and sends the request head; the body follows from the client (queued meanwhile).
   * With {@code resend} the request had no body and was already sent once, on a kept connection that closed
   * without answering: it is sent whole.
   */
  private void connectAndSend(ProxyTarget target, HttpRequest outgoing, boolean resend) {
    closeUpstream();
    State waiting = resend ? State.AWAITING_RESPONSE : State.SENDING;
    state = State.CONNECTING;
    client.config().setAutoRead(false);
    gateway.connector().connect(client, connection.client(), target.host(), null, target.port(),
        new DestinationConnector.Callback() {
          @Override
          public void connected(Channel destination) {
            if (state != State.CONNECTING) {
              destination.close();
              return;
            }
            attach(destination, target.destination());
            connection.relayedTo(destination.remoteAddress());
            state = waiting;
            gateway.metrics().httpRequestForwarded();
            destination.write(outgoing, destination.voidPromise());
            if (resend) {
              destination.write(LastHttpContent.EMPTY_LAST_CONTENT, destination.voidPromise());
            }
            destination.flush();
            drain();
          }

          @Override
          public void refused(RefusalReason reason, String detail) {
            if (state == State.CONNECTING) {
              refuse(reason, detail);
            }
          }
        });
  }

  private static boolean withoutBody(HttpRequest request) {
    return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
  }

  /** The request as the destination gets it: origin form, its own Host, hop-by-hop fields removed, Via added. */
  private static HttpRequest originFormRequest(HttpRequest request, ProxyTarget target) {
    HttpHeaders headers = request.headers().copy();
    HopByHopHeaders.remove(headers);
    headers.set(HttpHeaderNames.HOST, target.authority());
    headers.add(HttpHeaderNames.VIA, via(request.protocolVersion()));
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), target.originForm(), headers);
  }

  private static String via(HttpVersion received) {
    return received.majorVersion() + "." + received.minorVersion() + VIA_AGENT;
  }

  /** Keep-alive as the client asked: Connection, or the older Proxy-Connection some clients send to proxies. */
  private static boolean keepAlive(HttpRequest request) {
    HttpHeaders headers = request.headers();
    CharSequence field = headers.contains(HttpHeaderNames.CONNECTION) ? HttpHeaderNames.CONNECTION
        : HttpHeaderNames.PROXY_CONNECTION;
    if (headers.containsValue(field, HttpHeaderValues.CLOSE, true)) {
      return false;
    }
    return request.protocolVersion().isKeepAliveDefault()
        || headers.containsValue(field, HttpHeaderValues.KEEP_ALIVE, true);
  }

  private void attach(Channel destination, String destinationText) {
    upstream = destination;
    upstreamDestination = destinationText;
    upstreamReusable = false;
    destination.pipeline().addLast(UPSTREAM_CODEC, new HttpClientCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(64 * 1024)
        .setMaxChunkSize(64 * 1024), false, false));
    destination.pipeline().addLast(UPSTREAM_HANDLER, new UpstreamHandler(destination));
    gateway.metrics().connectionRelayed();
    destination.config().setAutoRead(client.isWritable());
  }

  private void sendContent(HttpContent content) {
    int bytes = content.content().readableBytes();
    if (bytes > 0) {
      connection.addBytesFromClient(bytes);
    }
    upstream.write(content, upstream.voidPromise());
    if (content instanceof LastHttpContent) {
      upstream.flush();
      requestSent = true;
      if (responseDone) {
        finishExchange();
        return;
      }
      state = State.AWAITING_RESPONSE;
    } else if (!upstream.isWritable()) {
      upstream.flush();
      if (!upstream.isWritable()) {
        gateway.metrics().readPaused();
      }
    }
    updateClientRead();
  }

  private void onResponse(HttpObject object) {
    if (object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(object);
      destinationFailed("malformed response from the destination");
      return;
    }
    retryRequest = null;
    if (object instanceof HttpResponse response) {
      int code = response.status().code();
      if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        ReferenceCountUtil.release(object);
        destinationFailed("the destination switched protocols, which plain HTTP proxying does not relay");
        return;
      }
      interimResponse = code >= 100 && code < 200;
      if (interimResponse) {
        HopByHopHeaders.remove(response.headers());
      } else {
        responseStarted = true;
        prepareFinalResponse(response);
      }
      if (!(object instanceof HttpContent)) {
        client.write(response, client.voidPromise());
        return;
      }
    }
    if (object instanceof HttpContent content) {
      int bytes = content.content().readableBytes();
      if (bytes > 0) {
        connection.addBytesToClient(bytes);
      }
      client.write(content, client.voidPromise());
      if (content instanceof LastHttpContent) {
        client.flush();
        if (interimResponse) {
          interimResponse = false;
          return;
        }
        responseDone = true;
        if (!requestSent) {
          // Answered before the request body was complete (an early error): neither side can be reused.
          upstreamReusable = false;
          clientKeepAlive = false;
        }
        finishExchange();
      } else if (!client.isWritable()) {
        client.flush();
        if (!client.isWritable() && upstream != null) {
          upstream.config().setAutoRead(false);
          gateway.metrics().readPaused();
        }
      }
    }
  }

  private void prepareFinalResponse(HttpResponse response) {
    int code = response.status().code();
    boolean bodyless = requestHead || code == 204 || code == 304;
    boolean closeDelimited = !bodyless && !HttpUtil.isContentLengthSet(response)
        && !HttpUtil.isTransferEncodingChunked(response);
    upstreamReusable = !closeDelimited && HttpUtil.isKeepAlive(response);
    HopByHopHeaders.remove(response.headers());
    boolean chunkedToHttp10 = requestVersion.equals(HttpVersion.HTTP_1_0) && HttpUtil.isTransferEncodingChunked(response);
    if (chunkedToHttp10) {
      // An HTTP/1.0 client does not know chunked coding: send the body plain and end it by closing.
      response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    }
    clientKeepAlive = requestKeepAlive && !closeDelimited && !chunkedToHttp10;
    response.headers().add(HttpHeaderNames.VIA, via(response.protocolVersion()));
    if (!clientKeepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (requestVersion.equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /** Request and response are complete: keep the connections that may be kept, then take the next request. */
  private void finishExchange() {
    state = State.IDLE;
    if (!upstreamReusable) {
      closeUpstream();
    }
    if (!clientKeepAlive || clientInputEnded) {
      closeAfterWrites();
      return;
    }
    connection.awaitRequest();
    drain();
  }

  /** The destination closed, or answered something that cannot be relayed. */
  private void destinationFailed(String detail) {
    closeUpstream();
    if (state != State.SENDING && state != State.AWAITING_RESPONSE) {
      return;
    }
    if (!responseStarted) {
      connection.refuse(RefusalReason.GENERAL_FAILURE, detail);
      fail(HttpResponseStatus.BAD_GATEWAY, detail + "\n", null);
    } else {
      connection.outcome("destination failed during the response: " + detail);
      closeAfterWrites();
    }
  }

  /** Handles queued client objects while the state allows, then sets client reading to match. */
  private void drain() {
    while (!queued.isEmpty()
        && (state == State.IDLE || state == State.LOCAL || state == State.SENDING || state == State.CLOSING)) {
      handle(queued.poll());
    }
    updateClientRead();
  }

  private void updateClientRead() {
    boolean wanted = switch (state) {
      case IDLE, LOCAL -> true;
      case SENDING -> upstream != null && upstream.isWritable();
      default -> false;
    };
    if (client.config().isAutoRead() != wanted) {
      client.config().setAutoRead(wanted);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    if (upstream != null) {
      upstream.flush();
    }
    context.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (upstream != null) {
      upstream.config().setAutoRead(client.isWritable());
    }
    context.fireChannelWritabilityChanged();
  }

  /**
   * The client ended its output (half-close): an exchange in progress is finished and answered, then the
   * connection closes; an incomplete request body ends the exchange at once.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (!(event instanceof ChannelInputShutdownEvent)) {
      super.userEventTriggered(context, event);
      return;
    }
    clientInputEnded = true;
    switch (state) {
      case IDLE, LOCAL -> closeAfterWrites();
      case SENDING -> closeBoth();
      default -> {
        // CONNECTING, AWAITING_RESPONSE: finishExchange closes; TUNNELLING: the relay passes the end on;
        // CLOSING: closing already
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closeUpstream();
    releaseQueued();
    context.fireChannelInactive();
  }

  /** The handler on the destination channel of a forwarded request: hands the response to the front handler. */
  private final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final Channel channel;

    UpstreamHandler(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (channel != upstream || !(message instanceof HttpObject object)) {
        ReferenceCountUtil.release(message);
        return;
      }
      if (state != State.SENDING && state != State.AWAITING_RESPONSE) {
        // Nothing was asked (a server's unsolicited 408 on an idle kept connection): not for the client.
        ReferenceCountUtil.release(message);
        closeUpstream();
        return;
      }
      connection.active();
      onResponse(object);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
      client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
      if (channel == upstream) {
        updateClientRead();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (channel != upstream) {
        return;
      }
      upstream = null;
      if (retryRequest != null && !responseStarted && !interimResponse && state == State.AWAITING_RESPONSE) {
        HttpRequest again = retryRequest;
        retryRequest = null;
        LOG.debug("kept connection to {} closed before answering; sending the request again", retryTarget);
        connectAndSend(retryTarget, again, true);
        return;
      }
      destinationFailed("the destination closed the connection without a complete answer");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        // The codec has already ended a body delimited by the close; half-open is of no use here.
        context.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      LOG.debug("destination connection failed", cause);
      context.close();
    }
  }

  // ---- answers and closing

  private boolean authorized(HttpRequest request, String what) {
    if (gateway.config().credentials().isEmpty()
        || ProxyAuthorization.authorized(request, gateway.config().credentials().get())) {
      return true;
    }
    connection.refuse(RefusalReason.AUTHENTICATION_FAILED, what + " without valid Proxy-Authorization");
    fail(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, "proxy authentication required\n",
        ProxyAuthorization.CHALLENGE);
    return false;
  }

  private void refuse(RefusalReason reason, String detail) {
    connection.refuse(reason, detail);
    String shown = reason == RefusalReason.GENERAL_FAILURE || detail == null ? "" : " (" + detail + ")";
    fail(HttpResponseStatus.valueOf(reason.httpStatus()), "refused: " + reason.label() + shown + "\n", null);
  }

  /** Answers with an error and closes the connection after it. */
  private void fail(HttpResponseStatus status, String body, String proxyAuthenticate) {
    state = State.CLOSING;
    releaseQueued();
    closeUpstream();
    FullHttpResponse response = response(status, "text/plain; charset=utf-8", body);
    if (proxyAuthenticate != null) {
      response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, proxyAuthenticate);
    }
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    client.config().setAutoRead(false);
    client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private void closeAfterWrites() {
    state = State.CLOSING;
    releaseQueued();
    closeUpstream();
    client.config().setAutoRead(false);
    client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void closeBoth() {
    state = State.CLOSING;
    releaseQueued();
    closeUpstream();
    client.close();
  }

  private void closeUpstream() {
    Channel old = upstream;
    if (old != null) {
      upstream = null;
      old.close();
    }
  }

  private void releaseQueued() {
    HttpObject object;
    while ((object = queued.poll()) != null) {
      ReferenceCountUtil.release(object);
    }
  }

  private void respond(HttpRequest request, HttpResponseStatus status, String contentType, String body,
      boolean allowKeepAlive) {
    FullHttpResponse response = response(status, contentType, body);
    if (HttpMethod.HEAD.equals(request.method())) {
      response.content().clear();
    }
    boolean keepAlive = allowKeepAlive && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      connection.awaitRequest();
      client.writeAndFlush(response);
    } else {
      state = State.CLOSING;
      client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private List<StatusSection> extraSections(GatewayConfig config) {
    List<StatusSection> sections = new ArrayList<>();
    for (StatusPageExtension extension : config.statusPageExtensions()) {
      try {
        sections.addAll(extension.sections());
      } catch (RuntimeException e) {
        LOG.warn("status page extension failed", e);
        sections.add(StatusSection.ofLines("Extension error", List.of(e.toString())));
      }
    }
    return sections;
  }

  /** The proxy address for the PAC file and status page: advertised host, else the Host header, else bind. */
  private HostAndPort proxyAddress(HttpRequest request) {
    int boundPort = gateway.boundPort().getAsInt();
    String advertised = gateway.config().advertisedHost().orElse(null);
    if (advertised != null) {
      HostAndPort parsed = HostAndPort.parse(advertised, boundPort);
      if (parsed != null) {
        return parsed;
      }
    }
    String hostHeader = request.headers().get(HttpHeaderNames.HOST);
    if (hostHeader != null) {
      HostAndPort parsed = HostAndPort.parse(hostHeader, boundPort);
      if (parsed != null) {
        return parsed;
      }
    }
    return new HostAndPort(NetUtil.toAddressString(gateway.config().bindAddress()), boundPort);
  }


  private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("HTTP connection closed on error", cause);
    context.close();
  }
}
