package io.minicluster.pki;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/** A loopback HTTPS server for tests: TLS from a given SslContext, answers through a handler function. */
final class TlsTestServer implements AutoCloseable {

  /** What the handler sees of one request. */
  record Request(String method, String uri, String authorization, List<X509Certificate> peerCertificates,
      String applicationProtocol) {}

  /** The handler's answer. */
  record Response(int status, String contentType, String body) {}

  interface Handler {
    Response handle(Request request);
  }

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  final List<Request> requests = new CopyOnWriteArrayList<>();

  TlsTestServer(SslContext sslContext, Handler handler) throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast("tls", sslContext.newHandler(channel.alloc()));
            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20));
            channel.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
              @Override
              protected void channelRead0(ChannelHandlerContext context, FullHttpRequest message) {
                SslHandler tls = context.pipeline().get(SslHandler.class);
                Request request = new Request(message.method().name(), message.uri(),
                    message.headers().get(HttpHeaderNames.AUTHORIZATION), peerCertificates(tls),
                    tls.applicationProtocol());
                requests.add(request);
                Response response = handler.handle(request);
                FullHttpResponse reply = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(response.status()),
                    Unpooled.copiedBuffer(response.body(), StandardCharsets.UTF_8));
                reply.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
                HttpUtil.setContentLength(reply, reply.content().readableBytes());
                boolean keepAlive = HttpUtil.isKeepAlive(message);
                HttpUtil.setKeepAlive(reply, keepAlive);
                if (keepAlive) {
                  context.writeAndFlush(reply);
                } else {
                  context.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
                }
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                context.close(); // failed handshakes are expected in tests; the client sees the failure
              }
            });
          }
        });
    channel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  private static List<X509Certificate> peerCertificates(SslHandler tls) {
    List<X509Certificate> result = new ArrayList<>();
    try {
      for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
        result.add((X509Certificate) certificate);
      }
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate
    }
    return result;
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
