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
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP on the SOCKS port: {@code GET /proxy.pac}, {@code GET /} (status page), {@code GET /metrics}
 * (Prometheus text) and {@code CONNECT host:port} under the same policy as SOCKS.
 */
final class HttpFrontHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  static final String NAME = "http-front";
  static final String CODEC = "http-codec";
  static final String AGGREGATOR = "http-aggregator";

  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontHandler.class);

  private final GatewayContext gateway;

  HttpFrontHandler(GatewayContext gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
    ConnectionContext connection = ConnectionContext.of(context.channel());
    connection.endHandshake();
    if (!request.decoderResult().isSuccess()) {
      connection.refuse(RefusalReason.MALFORMED_HANDSHAKE, "bad HTTP request");
      respond(context, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "bad request\n", false);
      return;
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      connect(context, request, connection);
      return;
    }
    String uri = request.uri();
    if (!uri.startsWith("/")) {
      connection.outcome("HTTP " + request.method() + " (proxy request) 501");
      respond(context, request, HttpResponseStatus.NOT_IMPLEMENTED, "text/plain; charset=utf-8",
          "This gateway proxies through SOCKS5, SOCKS4 or HTTP CONNECT only.\n", true);
      return;
    }
    String refusedHost = refusedHost(request);
    if (refusedHost != null) {
      connection.outcome("HTTP " + request.method() + " " + refusedHost);
      boolean missing = refusedHost.startsWith("400");
      respond(context, request, missing ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.MISDIRECTED_REQUEST,
          "text/plain; charset=utf-8", missing ? "missing Host header\n"
              : "This gateway serves its pages only under its own names (localhost, IP addresses, its host name and"
              + " configured names); the Host header named another.\n", true);
      return;
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      connection.outcome("HTTP " + request.method() + " 405");
      respond(context, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          "method not allowed\n", true);
      return;
    }
    String path = new QueryStringDecoder(uri).path();
    GatewayConfig config = gateway.config();
    HostAndPort proxy = proxyAddress(request);
    switch (path) {
      case "/proxy.pac" -> {
        connection.outcome("HTTP GET /proxy.pac 200");
        respond(context, request, HttpResponseStatus.OK, PacFile.CONTENT_TYPE,
            PacFile.render(proxy.text(), config.pacCidrs(), config.pacDomains()), true);
      }
      case "/", "/index.html" -> {
        connection.outcome("HTTP GET / 200");
        StatusPage.Model model = new StatusPage.Model(
            proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host(), proxy.port(), config.policy().describe(),
            config.pacCidrs(), config.pacDomains(), config.credentials().isPresent(), gateway.metrics().snapshot(),
            extraSections(config));
        respond(context, request, HttpResponseStatus.OK, "text/html; charset=utf-8", StatusPage.render(model), true);
      }
      case "/metrics" -> {
        connection.outcome("HTTP GET /metrics 200");
        respond(context, request, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
            gateway.metrics().toPrometheusText(), true);
      }
      default -> {
        connection.outcome("HTTP GET " + path + " 404");
        respond(context, request, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found\n", true);
      }
    }
  }

  private void connect(ChannelHandlerContext context, FullHttpRequest request, ConnectionContext connection) {
    connection.protocol("HTTP-CONNECT");
    connection.destination(request.uri());
    if (!gateway.config().httpConnectEnabled()) {
      connection.refuse(RefusalReason.COMMAND_NOT_SUPPORTED, "HTTP CONNECT disabled");
      respond(context, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          "CONNECT is disabled\n", false);
      return;
    }
    if (gateway.config().credentials().isPresent() && !authorized(request)) {
      connection.refuse(RefusalReason.AUTHENTICATION_FAILED, "HTTP CONNECT without valid Proxy-Authorization");
      FullHttpResponse response = response(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
          "text/plain; charset=utf-8", "proxy authentication required\n");
      response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"socks-gateway\"");
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    HostAndPort target = HostAndPort.parse(request.uri(), -1);
    if (target == null || target.port() <= 0) {
      connection.refuse(RefusalReason.MALFORMED_HANDSHAKE, "bad CONNECT target");
      respond(context, request, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
          "CONNECT needs host:port\n", false);
      return;
    }
    Channel client = context.channel();
    client.config().setAutoRead(false);
    gateway.connector().connect(client, connection.client(), target.host(), null, target.port(),
        new DestinationConnector.Callback() {
          @Override
          public void connected(Channel upstream) {
            connection.relayedTo(upstream.remoteAddress());
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(200, "Connection established")));
            client.pipeline().remove(AGGREGATOR);
            RelayHandler.install(client, upstream, CODEC, gateway.metrics());
            client.pipeline().remove(HttpFrontHandler.this);
          }

          @Override
          public void refused(RefusalReason reason, String detail) {
            connection.refuse(reason, detail);
            client.config().setAutoRead(true);
            FullHttpResponse response = response(HttpResponseStatus.valueOf(reason.httpStatus()),
                "text/plain; charset=utf-8", "refused: " + reason.label() + "\n");
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
          }
        });
  }

  private boolean authorized(FullHttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    String pair = new String(decoded, StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return false;
    }
    return gateway.config().credentials().orElseThrow().matches(
        pair.substring(0, colon).getBytes(StandardCharsets.UTF_8),
        pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
  }

  private List<StatusSection> extraSections(GatewayConfig config) {
    List<StatusSection> sections = new ArrayList<>();
    for (StatusPageExtension extension : config.statusPageExtensions()) {
      try {
        sections.addAll(extension.sections());
      } catch (RuntimeException e) {
        LOG.warn("status page extension failed", e);
        sections.add(new StatusSection("Extension error", List.of(e.toString())));
      }
    }
    return sections;
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

  /** The proxy address for the PAC file and status page: advertised host, else the Host header, else bind. */
  private HostAndPort proxyAddress(FullHttpRequest request) {
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

  private static void respond(ChannelHandlerContext context, FullHttpRequest request, HttpResponseStatus status,
      String contentType, String body, boolean allowKeepAlive) {
    FullHttpResponse response = response(status, contentType, body);
    if (HttpMethod.HEAD.equals(request.method())) {
      response.content().clear();
    }
    boolean keepAlive = allowKeepAlive && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ConnectionContext.of(context.channel()).awaitRequest();
      context.writeAndFlush(response);
    } else {
      context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
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
