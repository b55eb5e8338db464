package io.minicluster.apiserver.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.streams.PodStreamService;
import io.minicluster.api.ApiException;
import io.minicluster.apiserver.ResourceEndpoints;
import io.minicluster.apiserver.UpgradeHandler;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.Requester;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import static java.util.Objects.requireNonNull;


/**
 * Serves pods/{name}/exec, /attach and /portforward upgrades, as the apiserver and kubelet together do (the node
 * agent's {@link PodStreamService} runs the sessions; this class adapts it to the wire):
 * <ul>
 *   <li>WebSocket with the channel protocol ({@code v5.channel.k8s.io} down to {@code channel.k8s.io}, binary, and
 *       the base64 variants {@code v4.base64.channel.k8s.io} and {@code base64.channel.k8s.io}) for exec and attach
 *       (kubectl 1.30+, the Python client, browsers);</li>
 *   <li>WebSocket carrying SPDY/3.1 ({@code SPDY/3.1+portforward.k8s.io}) for port-forward (kubectl 1.30+);</li>
 *   <li>WebSocket with channels ({@code v4.channel.k8s.io}, {@code v4.base64.channel.k8s.io}, two per port of the
 *       {@code ports} query) for port-forward (the Python client, browsers);</li>
 *   <li>plain {@code Upgrade: SPDY/3.1} with {@code X-Stream-Protocol-Version} for all three (older kubectl, and
 *       the fallback when a WebSocket upgrade is refused).</li>
 * </ul>
 * Lookups and engine calls run on the given executor; the event loop never blocks. Errors found before the upgrade
 * are answered as HTTP: Status JSON for API errors, plain text for the kubelet's refusals.
 */
public final class PodStreamUpgrader implements UpgradeHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PodStreamUpgrader.class);
  static final String SPDY_UPGRADE = "SPDY/3.1";
  static final String STREAM_PROTOCOL_HEADER = "X-Stream-Protocol-Version";
  static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
  static final String TUNNELED_PORT_FORWARD_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
  /** Largest WebSocket message accepted from the client. */
  static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  private final PodLookup pods;
  private final PodStreamService streams;
  private final Executor executor;
  private final Consumer<AdmissionRequest> admission;

  /**
   * @param pods reads the pod a request is about
   * @param streams the node agent's streaming service, which runs the sessions
   * @param executor runs lookups, admission and engine calls off the event loop
   * @param admission admits a connection (CONNECT) before it is opened; throws ApiException to refuse it
   */
  public PodStreamUpgrader(PodLookup pods, PodStreamService streams, Executor executor,
      Consumer<AdmissionRequest> admission) {
    this.pods = requireNonNull(pods, "pods is null");
    this.streams = requireNonNull(streams, "streams is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.admission = requireNonNull(admission, "admission is null");
  }

  /**
   * What the upgrade will speak.
   *
   * @param encoding how WebSocket channel messages are framed; null for SPDY, plain or tunnelled
   * @param protocolHeader the negotiated protocol to answer with, null for none
   * @param forward the port-forward query, null for exec and attach
   */
  private record Plan(boolean webSocket, String subresource, ExecProtocol execProtocol, ChannelEncoding encoding,
      String protocolHeader, StreamOptions options, PortForwardOptions forward) {

    /** Port forwarding with WebSocket channels, rather than SPDY (plain or tunnelled). */
    boolean channelPortForward() {
      return webSocket && encoding != null && forward != null;
    }
  }

  @Override
  public void upgrade(ChannelHandlerContext context, FullHttpRequest request, ResourceEndpoints.Route route,
      Requester requester) {
    Plan plan;
    try {
      plan = plan(request, route);
    } catch (ApiException e) {
      request.release();
      respond(context.channel(), e);
      return;
    } catch (UpgradeRefusal e) {
      request.release();
      respondText(context.channel(), e.status(), e.getMessage());
      return;
    }
    try {
      executor.execute(() -> resolveThenSwitch(context, request, route, plan, requester));
    } catch (RejectedExecutionException e) {
      request.release();
      respond(context.channel(), ApiException.serviceUnavailable("the server is overloaded"));
    }
  }

  private Plan plan(FullHttpRequest request, ResourceEndpoints.Route route) {
    if (route.type() == null || !route.type().group().isEmpty() || !route.type().plural().equals("pods")
        || route.namespace() == null || route.name() == null) {
      throw ApiException.notFoundPath();
    }
    String subresource = route.subresource();
    boolean portForward = subresource.equals("portforward");
    PortForwardOptions forward = portForward ? PortForwardOptions.parse(request.uri()) : null;
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "");
    boolean webSocket = upgrade.equalsIgnoreCase("websocket");
    if (!webSocket && !upgrade.equalsIgnoreCase(SPDY_UPGRADE)) {
      throw new UpgradeRefusal(400, "unable to upgrade: unsupported protocol upgrade \"" + upgrade + "\"");
    }
    StreamOptions options = StreamOptions.parse(request.uri());
    if (!portForward) {
      if (!options.anyStream()) {
        throw ApiException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
      }
      if (subresource.equals("exec") && options.command().isEmpty()) {
        throw ApiException.badRequest("you must specify at least one command for the container");
      }
    }
    if (webSocket) {
      List<String> offered = ExecProtocol.tokens(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
      if (portForward && offered.contains(TUNNELED_PORT_FORWARD_PROTOCOL)) {
        // the apiserver serves this one itself, whatever else is offered
        return new Plan(true, subresource, null, null, TUNNELED_PORT_FORWARD_PROTOCOL, options, forward);
      }
      List<ChannelSubprotocol> supported = portForward ? ChannelSubprotocol.PORT_FORWARD : ChannelSubprotocol.EXEC;
      ChannelSubprotocol protocol = ChannelSubprotocol.negotiate(offered, supported).orElseThrow(() -> {
        List<String> names = new ArrayList<>();
        if (portForward) {
          names.add(TUNNELED_PORT_FORWARD_PROTOCOL);
        }
        names.addAll(ChannelSubprotocol.names(supported));
        return new UpgradeRefusal(400, "unable to upgrade: requested protocol(s) are not supported: " + offered
            + "; supports " + names);
      });
      return new Plan(true, subresource, portForward ? null : protocol.version(), protocol.encoding(),
          protocol.wireName().isEmpty() ? null : protocol.wireName(), options, forward);
    }
    List<String> offered = ExecProtocol.tokens(request.headers().getAll(STREAM_PROTOCOL_HEADER));
    if (portForward) {
      if (!offered.isEmpty() && !offered.contains(PORT_FORWARD_PROTOCOL)) {
        throw new UpgradeRefusal(403, "unable to upgrade: unable to negotiate protocol: client supports " + offered
            + ", server accepts [" + PORT_FORWARD_PROTOCOL + "]");
      }
      return new Plan(false, subresource, null, null, offered.isEmpty() ? null : PORT_FORWARD_PROTOCOL, options,
          forward);
    }
    if (offered.isEmpty()) {
      // Kubernetes 1.0 clients did not negotiate: protocol v1 and no header in the answer
      return new Plan(false, subresource, ExecProtocol.V1, null, null, options, null);
    }
    List<ExecProtocol> spdyProtocols = List.of(ExecProtocol.V4, ExecProtocol.V3, ExecProtocol.V2, ExecProtocol.V1);
    ExecProtocol protocol = ExecProtocol.negotiateSpdy(offered).orElseThrow(() -> new UpgradeRefusal(403,
        "unable to upgrade: unable to negotiate protocol: client supports " + offered + ", server accepts "
            + supportedNames(spdyProtocols)));
    return new Plan(false, subresource, protocol, null, protocol.wireName(), options, null);
  }

  private static String supportedNames(List<ExecProtocol> protocols) {
    return protocols.stream().map(ExecProtocol::wireName).toList().toString();
  }

  /** On the executor: finds the pod and container, then switches protocols on the event loop. */
  private void resolveThenSwitch(ChannelHandlerContext context, FullHttpRequest request,
      ResourceEndpoints.Route route, Plan plan, Requester requester) {
    Channel channel = context.channel();
    StreamTarget target;
    try {
      // the apiserver's connect handler admits the connection before it looks for the pod
      admission.accept(new AdmissionRequest(AdmissionRequest.Operation.CONNECT, route.type(), plan.subresource(),
          route.namespace(), route.name(), connectOptions(plan), null, false, requester));
      target = resolve(route, plan);
    } catch (ApiException e) {
      channel.eventLoop().execute(() -> {
        request.release();
        respond(channel, e);
      });
      return;
    } catch (UpgradeRefusal e) {
      channel.eventLoop().execute(() -> {
        request.release();
        respondText(channel, e.status(), e.getMessage());
      });
      return;
    } catch (RuntimeException e) {
      LOG.warn("resolving {} of pod {}/{} failed", plan.subresource(), route.namespace(), route.name(), e);
      channel.eventLoop().execute(() -> {
        request.release();
        respond(channel, ApiException.internal(String.valueOf(e.getMessage())));
      });
      return;
    }
    channel.eventLoop().execute(() -> {
      try {
        if (!channel.isActive()) {
          return;
        }
        if (plan.webSocket()) {
          switchToWebSocket(context, request, plan, target);
        } else {
          switchToSpdy(context, plan, target);
        }
      } finally {
        request.release();
      }
    });
  }

  /**
   * The connection's options as its admission sees them: a v1 PodExecOptions, PodAttachOptions or
   * PodPortForwardOptions.
   */
  private static ObjectNode connectOptions(Plan plan) {
    ObjectNode options = Json.object();
    options.put("kind", switch (plan.subresource()) {
      case "exec" -> "PodExecOptions";
      case "attach" -> "PodAttachOptions";
      default -> "PodPortForwardOptions";
    });
    options.put("apiVersion", "v1");
    if (plan.forward() != null) {
      if (!plan.forward().ports().isEmpty()) {
        plan.forward().ports().forEach(options.putArray("ports")::add);
      }
      return options;
    }
    StreamOptions streamOptions = plan.options();
    putIfTrue(options, "stdin", streamOptions.stdin());
    putIfTrue(options, "stdout", streamOptions.stdout());
    putIfTrue(options, "stderr", streamOptions.stderr());
    putIfTrue(options, "tty", streamOptions.tty());
    if (!streamOptions.container().isEmpty()) {
      options.put("container", streamOptions.container());
    }
    if (plan.subresource().equals("exec")) {
      streamOptions.command().forEach(options.putArray("command")::add);
    }
    return options;
  }

  private static void putIfTrue(ObjectNode options, String field, boolean value) {
    if (value) {
      options.put(field, true);
    }
  }

  private StreamTarget resolve(ResourceEndpoints.Route route, Plan plan) {
    ObjectNode pod = pods.pod(route.namespace(), route.name());
    if (plan.subresource().equals("portforward")) {
      if (plan.channelPortForward()) {
        plan.forward().requireForWebSocket();
      }
      return new StreamTarget(pod, null, null);
    }
    String container = StreamTarget.containerName(pod, plan.options().container());
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
      throw ApiException.badRequest("pod " + route.name() + " does not have a host assigned");
    }
    Optional<String> containerId = streams.containerId(pod, container);
    boolean running = containerId.map(streams::running).orElse(false);
    if (!running) {
      throw new UpgradeRefusal(500, "container not found (\"" + container + "\")");
    }
    return new StreamTarget(pod, container, containerId.get());
  }

  private void switchToWebSocket(ChannelHandlerContext context, FullHttpRequest request, Plan plan,
      StreamTarget target) {
    Channel channel = context.channel();
    String scheme = channel.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://";
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(scheme + host + request.uri(),
        plan.protocolHeader(), false, MAX_MESSAGE_BYTES);
    WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandler apiHandler = context.handler();
    ChannelFuture handshake;
    try {
      handshake = handshaker.handshake(channel, request);
    } catch (RuntimeException e) {
      respondText(channel, 400, "unable to upgrade: " + e.getMessage());
      return;
    }
    pipeline.remove(apiHandler);
    if (plan.channelPortForward()) {
      WebSocketPortForwardHandler handler = new WebSocketPortForwardHandler(plan.encoding(), plan.forward().ports(),
          StreamTarget.describe(target.pod()), streams.forwardAddress(target.pod()));
      pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
      pipeline.addLast("portforward", handler);
      handshake.addListener(future -> {
        if (!future.isSuccess()) {
          channel.close();
          return;
        }
        handler.start();
      });
      return;
    }
    if (plan.subresource().equals("portforward")) {
      pipeline.addLast("ws-tunnel", new WebSocketByteTunnel());
      pipeline.addLast("spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
      pipeline.addLast("portforward", new PortForwardHandler(StreamTarget.describe(target.pod()),
          streams.forwardAddress(target.pod())));
      handshake.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      return;
    }
    WebSocketExecHandler handler = new WebSocketExecHandler(channel, plan.execProtocol(), plan.encoding(),
        plan.options(), executor);
    pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
    pipeline.addLast("exec", handler);
    handshake.addListener(future -> {
      if (!future.isSuccess()) {
        channel.close();
        return;
      }
      handler.sendReady();
      handler.bridge().start(opener(plan, target), resultOf(plan));
    });
  }

  private void switchToSpdy(ChannelHandlerContext context, Plan plan, StreamTarget target) {
    Channel channel = context.channel();
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
    if (codec == null) {
      respondText(channel, 500, "unable to upgrade: no HTTP codec");
      return;
    }
    String codecName = codec.name();
    ChannelHandler handler;
    if (plan.subresource().equals("portforward")) {
      handler = new PortForwardHandler(StreamTarget.describe(target.pod()), streams.forwardAddress(target.pod()));
    } else {
      Function<FrameSink, InteractiveSession> opener = opener(plan, target);
      IntFunction<ExecResult> resultOf = resultOf(plan);
      handler = new SpdyExecHandler(channel, plan.execProtocol(), plan.options(), executor,
          bridge -> bridge.start(opener, resultOf));
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    response.headers().set(HttpHeaderNames.UPGRADE, SPDY_UPGRADE);
    if (plan.protocolHeader() != null) {
      response.headers().set(STREAM_PROTOCOL_HEADER, plan.protocolHeader());
    }
    pipeline.remove(context.handler());
    channel.writeAndFlush(response).addListener(future -> {
      if (!future.isSuccess()) {
        channel.close();
        return;
      }
      // the handler first: bytes left in the HTTP decoder are passed on to the SPDY codec when it replaces it
      pipeline.addLast("spdy-streams", handler);
      pipeline.replace(codecName, "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    });
  }

  private Function<FrameSink, InteractiveSession> opener(Plan plan,
      StreamTarget target) {
    StreamOptions options = plan.options();
    if (plan.subresource().equals("exec")) {
      return sink -> streams.exec(target.containerId(), options.command(), options.tty(), options.stdin(), sink);
    }
    return sink -> streams.attach(target.containerId(), options.stdin(), sink);
  }

  private static IntFunction<ExecResult> resultOf(Plan plan) {
    if (plan.subresource().equals("exec")) {
      List<String> command = plan.options().command();
      return code -> code == 0 ? new ExecResult.Success()
          : code > 0 ? new ExecResult.NonZeroExit(command, code)
              : new ExecResult.Error("could not determine the exit code of the command");
    }
    return code -> new ExecResult.Success();
  }

  private static void respond(Channel channel, ApiException error) {
    ObjectNode status = error.toStatus();
    respondBytes(channel, error.code(), "application/json", Json.encoded(status));
  }

  private static void respondText(Channel channel, int status, String text) {
    respondBytes(channel, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  private static void respondBytes(Channel channel, int status, String contentType, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    response.headers().set("Cache-Control", "no-cache, private");
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
