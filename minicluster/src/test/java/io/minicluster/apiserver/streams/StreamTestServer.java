package io.minicluster.apiserver.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.ResourceEndpoints;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.Requester;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP(S) server with the API server's pipeline shape (codec "http", "aggregator", an API handler) that
 * serves GET of its pods and hands exec/attach/portforward upgrades to a {@link PodStreamUpgrader}.
 */
final class StreamTestServer implements AutoCloseable {
  final Map<String, ObjectNode> pods = new ConcurrentHashMap<>();
  /** Legacy discovery, enough for kubectl to map "pod/p". */
  private static final Map<String, String> DISCOVERY = Map.of(
      "/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
          + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}",
      "/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}",
      "/api/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
          + "\"verbs\":[\"get\",\"list\"],\"shortNames\":[\"po\"]},"
          + "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodExecOptions\","
          + "\"verbs\":[\"create\",\"get\"]},"
          + "{\"name\":\"pods/attach\",\"singularName\":\"\",\"namespaced\":true,"
          + "\"kind\":\"PodAttachOptions\",\"verbs\":[\"create\",\"get\"]},"
          + "{\"name\":\"pods/portforward\",\"singularName\":\"\",\"namespaced\":true,"
          + "\"kind\":\"PodPortForwardOptions\",\"verbs\":[\"create\",\"get\"]}]}");
  final ScriptedRuntime runtime;
  final ExecutorService executor = Executors.newCachedThreadPool();
  /** The connections admitted, and the refusal admission answers with when set. */
  final List<AdmissionRequest> admissions = new CopyOnWriteArrayList<>();
  volatile ApiException refusal;
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final PodStreamUpgrader upgrader;
  private final Channel serverChannel;
  final int port;

  StreamTestServer(ScriptedRuntime runtime, SslContext ssl) throws InterruptedException {
    this.runtime = runtime;
    PodLookup lookup = (namespace, name) -> {
      ObjectNode pod = pods.get(namespace + "/" + name);
      if (pod == null) {
        throw ApiException.notFound(ResourceTypes.PODS, name);
      }
      return pod.deepCopy();
    };
    upgrader = new PodStreamUpgrader(lookup, new ScriptedStreams(runtime), executor, request -> {
      admissions.add(request);
      if (refusal != null) {
        throw refusal;
      }
    });
    serverChannel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (ssl != null) {
              channel.pipeline().addLast("ssl", ssl.newHandler(channel.alloc()));
            }
            channel.pipeline().addLast("http", new HttpServerCodec());
            channel.pipeline().addLast("aggregator", new HttpObjectAggregator(1024 * 1024));
            channel.pipeline().addLast("api", new ApiHandler());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Adds a running single-container pod "p" (container "c" → engine id "cid") with pod IP 127.0.0.1. */
  ObjectNode addPod(String namespace, String name, List<String> containerNames) {
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    metadata.put("uid", "0b5c7e9a-1111-2222-3333-444455556666");
    metadata.put("resourceVersion", "1");
    metadata.put("creationTimestamp", "2024-01-01T00:00:00Z");
    ObjectNode annotations = metadata.putObject("annotations");
    ObjectNode spec = pod.putObject("spec");
    spec.put("nodeName", "minicluster");
    for (String container : containerNames) {
      spec.withArray("containers").addObject().put("name", container).put("image", "busybox");
      annotations.put("test/container-" + container, "cid-" + container);
    }
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Running");
    status.put("podIP", "127.0.0.1");
    for (String container : containerNames) {
      ObjectNode containerStatus = status.withArray("containerStatuses").addObject();
      containerStatus.put("name", container);
      containerStatus.put("ready", true);
      containerStatus.put("restartCount", 0);
      containerStatus.put("image", "busybox");
      containerStatus.put("imageID", "sha256:0");
      containerStatus.put("containerID", "docker://cid-" + container);
      containerStatus.putObject("state").putObject("running").put("startedAt", "2024-01-01T00:00:00Z");
    }
    pods.put(namespace + "/" + name, pod);
    return pod;
  }

  private final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    ApiHandler() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      ResourceEndpoints.Route route = ResourceEndpoints.route(path);
      if (request.headers().contains(HttpHeaderNames.UPGRADE) && route != null && route.subresource() != null
          && List.of("exec", "attach", "portforward").contains(route.subresource())) {
        context.pipeline().remove("aggregator");
        upgrader.upgrade(context, request, route, Requester.IN_PROCESS);
        return;
      }
      request.release();
      ObjectNode pod = route == null || route.subresource() != null || route.name() == null ? null
          : pods.get(route.namespace() + "/" + route.name());
      FullHttpResponse response;
      if (DISCOVERY.containsKey(path)) {
        response = json(200, DISCOVERY.get(path).getBytes(StandardCharsets.UTF_8));
      } else if (pod != null) {
        response = json(200, Json.bytes(pod));
      } else {
        response = json(404, Json.bytes(ApiException.notFoundPath().toStatus()));
      }
      context.writeAndFlush(response);
    }

    private FullHttpResponse json(int status, byte[] body) {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
      return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      context.close();
    }
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    executor.shutdownNow();
  }

}
