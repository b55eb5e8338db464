package io.minicluster.apiserver.streams;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.AdmissionRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;


class PodStreamUpgraderTest {
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

  private StreamTestServer server;
  private ScriptedRuntime runtime;

  @BeforeEach
  void start() throws Exception {
    runtime = new ScriptedRuntime(Map.of("cid-c", true, "cid-a", true, "cid-b", true, "cid-stopped", false));
    server = new StreamTestServer(runtime, null);
    server.addPod("default", "p", List.of("c"));
    server.addPod("default", "two", List.of("a", "b"));
    server.addPod("default", "stopped", List.of("stopped"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String ws(String pathAndQuery) {
    return "ws://127.0.0.1:" + server.port + pathAndQuery;
  }

  private static String text(byte[] message) {
    return new String(message, 1, message.length - 1, StandardCharsets.UTF_8);
  }

  @Test
  void webSocketExecSendsReadyStdoutStatusAndClose() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=echo&command=hi&container=c&stdout=true&stderr=true"),
        "v5.channel.k8s.io");

    assertThat(client.socket.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
    assertThat(client.next()).containsExactly(1);
    byte[] output = client.next();
    assertThat(output[0]).isEqualTo((byte) 1);
    assertThat(text(output)).isEqualTo("hi\n");
    byte[] status = client.next();
    assertThat(status[0]).isEqualTo((byte) 3);
    assertThat(text(status)).isEqualTo(SUCCESS);
    assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(runtime.calls).containsExactly("exec cid-c [echo, hi] tty=false stdin=false");
  }

  @Test
  void webSocketExecReportsNonZeroExitCode() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=exit%203&stdout=true&stderr=true"),
        "v5.channel.k8s.io");

    client.next(); // ready
    byte[] status = client.next();
    assertThat(status[0]).isEqualTo((byte) 3);
    assertThat(text(status)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with "
        + "non-zero exit code: error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
  }

  @Test
  void webSocketStdinIsForwardedAndCloseSignalEndsIt() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true&stderr=true"),
        "v5.channel.k8s.io");
    client.next(); // ready

    client.send(concat(new byte[] {0}, "hello\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(text(client.next())).isEqualTo("hello\n");
    client.send(new byte[] {(byte) 255, 0});

    runtime.stdinClosed.get(10, TimeUnit.SECONDS);
    assertThat(text(client.next())).isEqualTo(SUCCESS);
    assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void webSocketTtyMergesStderrIntoStdoutAndResizes() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=warn&command=oops&stdin=true&stdout=true&tty=true"),
        "v5.channel.k8s.io");

    List<byte[]> received = new ArrayList<>();
    byte[] message;
    do {
      message = client.next();
      received.add(message);
    } while (message[0] != 3);
    assertThat(received).noneMatch(m -> m[0] == 2);
    assertThat(received).anyMatch(m -> m[0] == 1 && text(m).equals("oops\n"));
    assertThat(runtime.calls).containsExactly("exec cid-c [warn, oops] tty=true stdin=true");
  }

  @Test
  void webSocketResizeReachesTheSession() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true&tty=true"),
        "v5.channel.k8s.io");
    client.send(concat(new byte[] {4}, "{\"Width\":80,\"Height\":24}".getBytes(StandardCharsets.UTF_8)));
    client.send(concat(new byte[] {4}, "{\"Width\":0,\"Height\":0}".getBytes(StandardCharsets.UTF_8)));
    client.send(concat(new byte[] {4}, "{\"Width\":132,\"Height\":50}".getBytes(StandardCharsets.UTF_8)));
    client.send(new byte[] {(byte) 255, 0});
    client.closed.get(10, TimeUnit.SECONDS);

    assertThat(runtime.resizes).containsExactly("80x24", "132x50");
  }

  @Test
  void webSocketStderrHasItsOwnChannelWithoutTty() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=warn&command=oops&stdout=true&stderr=true"),
        "v5.channel.k8s.io");
    client.next(); // ready
    byte[] message = client.next();

    assertThat(message[0]).isEqualTo((byte) 2);
    assertThat(text(message)).isEqualTo("oops\n");
  }

  @Test
  void webSocketNegotiatesTheFirstSupportedProtocolOfTheClientsList() throws Exception {
    WebSocketTestClient v4 = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=echo&command=x&stdout=true"),
        "v9.channel.k8s.io", "v4.channel.k8s.io", "base64.channel.k8s.io");
    WebSocketTestClient base64 = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=echo&command=x&stdout=true"),
        "base64.channel.k8s.io", "v4.channel.k8s.io");

    assertThat(v4.socket.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
    assertThat(base64.socket.getSubprotocol()).isEqualTo("base64.channel.k8s.io");
  }

  @Test
  void webSocketTextFramesAreChannelMessagesLikeBinaryOnes() throws Exception {
    // the Python client writes stdin (a str) as text frames: "\u0000" + data
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true&stderr=true"),
        "v4.channel.k8s.io");
    client.next(); // ready

    client.sendText("\u0000hello text\n");
    assertThat(text(client.next())).isEqualTo("hello text\n");
    client.sendText("\u0004{\"Width\":100,\"Height\":30}");
    client.send(concat(new byte[] {0}, "binary too\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(text(client.next())).isEqualTo("binary too\n");

    assertThat(runtime.resizes).containsExactly("100x30");
  }

  @Test
  void webSocketV4Base64EncodesEveryChannelInTextFrames() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true&stderr=true&tty=true"),
        "v4.base64.channel.k8s.io");

    assertThat(client.socket.getSubprotocol()).isEqualTo("v4.base64.channel.k8s.io");
    assertThat(client.nextText()).isEqualTo("1"); // ready: channel '1', no data
    client.sendText("0" + base64("h\u00e9llo\n"));
    assertThat(client.nextText()).isEqualTo("1" + base64("h\u00e9llo\n"));
    client.sendText("4" + base64("{\"Width\":90,\"Height\":20}"));
    client.sendText("0not base64!"); // dropped, as the kubelet does
    client.sendText("0" + base64("again\n"));
    assertThat(client.nextText()).isEqualTo("1" + base64("again\n"));

    assertThat(runtime.resizes).containsExactly("90x20");
    assertThat(client.messages).isEmpty();
  }

  @Test
  void webSocketV4Base64EndsWithTheStatusJsonOnChannelThree() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=echo&command=hi&stdout=true&stderr=true"),
        "v4.base64.channel.k8s.io");

    assertThat(client.nextText()).isEqualTo("1");
    assertThat(client.nextText()).isEqualTo("1" + base64("hi\n"));
    assertThat(client.nextText()).isEqualTo("3" + base64(SUCCESS));
    assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void webSocketBase64BeforeV4WritesOnlyTheErrorText() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=exit%203&stderr=true"),
        "base64.channel.k8s.io");

    assertThat(client.socket.getSubprotocol()).isEqualTo("base64.channel.k8s.io");
    assertThat(client.nextText()).isEqualTo("2"); // ready on stderr, the lowest writable channel
    assertThat(client.nextText()).isEqualTo("3" + base64(
        "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"));
    assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void webSocketBase64HasNoCloseSignal() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/attach?stdin=true&stdout=true"), "v4.base64.channel.k8s.io");
    client.nextText(); // ready
    client.sendText("/" + base64("\u0000")); // '/' - '0' is channel 255 as a byte: not a close signal here
    client.sendText("0" + base64("still open\n"));

    assertThat(client.nextText()).isEqualTo("1" + base64("still open\n"));
    assertThat(runtime.stdinClosed).isNotDone();
  }

  @Test
  void failureToStartIsAnInternalErrorStatus() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=nosuch&stdout=true"), "v5.channel.k8s.io");
    client.next(); // ready
    String status = text(client.next());

    assertThat(status).contains("\"status\":\"Failure\"", "\"reason\":\"InternalError\"", "\"code\":500",
        "executable file not found");
  }

  @Test
  void attachStreamsTheMainProcess() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/attach?container=c&stdin=true&stdout=true"), "v5.channel.k8s.io");
    client.next(); // ready
    client.send(concat(new byte[] {0}, "x\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(text(client.next())).isEqualTo("x\n");
    client.send(new byte[] {(byte) 255, 0});
    assertThat(text(client.next())).isEqualTo(SUCCESS);
    assertThat(runtime.calls).containsExactly("attach cid-c stdin=true");
  }

  @Test
  void aConnectionIsAdmittedWithItsOptionsBeforeItOpensAndARefusalIsItsAnswer() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        ws("/api/v1/namespaces/default/pods/p/exec?command=echo&command=hi&container=c&stdout=true&stderr=true"),
        "v5.channel.k8s.io");
    client.next(); // ready
    assertThat(server.admissions).singleElement().satisfies(request -> {
      assertThat(request.operation()).isEqualTo(AdmissionRequest.Operation.CONNECT);
      assertThat(request.type()).isEqualTo(ResourceTypes.PODS);
      assertThat(request.subresource()).isEqualTo("exec");
      assertThat(request.namespace() + "/" + request.name()).isEqualTo("default/p");
      assertThat(request.object().toString()).isEqualTo("{\"kind\":\"PodExecOptions\",\"apiVersion\":\"v1\","
          + "\"stdout\":true,\"stderr\":true,\"container\":\"c\",\"command\":[\"echo\",\"hi\"]}");
    });

    server.refusal = new ApiException(403, "Forbidden", "pods \"p\" is forbidden: admission webhook "
        + "\"deny-exec.example.com\" denied the request: no exec here", "p", "", "pods", null);
    String refused = rawUpgrade("/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true");
    assertThat(refused).startsWith("HTTP/1.1 403").contains("denied the request: no exec here");
    // refused before the pod is even looked up, as the apiserver's connect handler does
    assertThat(rawUpgrade("/api/v1/namespaces/default/pods/nope/portforward?ports=80", "v4.channel.k8s.io"))
        .startsWith("HTTP/1.1 403");
    assertThat(server.admissions.get(server.admissions.size() - 1).object().toString())
        .isEqualTo("{\"kind\":\"PodPortForwardOptions\",\"apiVersion\":\"v1\",\"ports\":[80]}");
    assertThat(runtime.calls).containsExactly("exec cid-c [echo, hi] tty=false stdin=false");
  }

  @Test
  void errorsBeforeTheUpgradeAreHttpAnswers() throws Exception {
    String missing = rawUpgrade("/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true");
    assertThat(missing).startsWith("HTTP/1.1 404").contains("\"reason\":\"NotFound\"", "pods \\\"nope\\\" not found");
    // the Status body as the apiserver's JSON encoder writes it: ending with a newline
    assertThat(missing).endsWith("}\n");

    String ambiguous = rawUpgrade("/api/v1/namespaces/default/pods/two/exec?command=ls&stdout=true");
    assertThat(ambiguous).startsWith("HTTP/1.1 400")
        .contains("a container name must be specified for pod two, choose one of: [a b]");

    String invalid = rawUpgrade("/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true&container=x");
    assertThat(invalid).startsWith("HTTP/1.1 400").contains("container x is not valid for pod p");

    String stopped = rawUpgrade("/api/v1/namespaces/default/pods/stopped/exec?command=ls&stdout=true");
    assertThat(stopped).startsWith("HTTP/1.1 500").endsWith("container not found (\"stopped\")");

    String noStreams = rawUpgrade("/api/v1/namespaces/default/pods/p/exec?command=ls");
    assertThat(noStreams).startsWith("HTTP/1.1 400").contains("you must specify at least 1 of stdin, stdout, stderr");

    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void spdyExecNegotiatesV4AndReportsTheStatusOnTheErrorStream() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
      socket.setSoTimeout(10_000);
      String head = upgradeSpdy(socket, "/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true"
          + "&stderr=true", List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io",
              "v2.channel.k8s.io", "channel.k8s.io"));
      assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("X-Stream-Protocol-Version: v4.channel.k8s.io")
          .containsIgnoringCase("Upgrade: SPDY/3.1");

      SpdyTestWire wire = new SpdyTestWire();
      OutputStream out = socket.getOutputStream();
      out.write(wire.encode(syn(1, Map.of("streamtype", "error"))));
      out.write(wire.encode(syn(3, Map.of("streamtype", "stdin"))));
      out.write(wire.encode(syn(5, Map.of("streamtype", "stdout"))));
      out.write(wire.encode(syn(7, Map.of("streamtype", "stderr"))));
      out.write(wire.encode(new DefaultSpdyPingFrame(1)));
      out.write(wire.encode(new DefaultSpdyDataFrame(3, Unpooled.copiedBuffer("hi-spdy\n", StandardCharsets.UTF_8))));
      SpdyDataFrame finStdin = new DefaultSpdyDataFrame(3);
      finStdin.setLast(true);
      out.write(wire.encode(finStdin));
      out.flush();

      List<Object> frames = readFrames(socket, wire, all -> all.stream().anyMatch(
          f -> f instanceof SpdyDataFrame d && d.streamId() == 1 && d.isLast()));

      assertThat(frames).filteredOn(f -> f instanceof SpdySynReplyFrame)
          .extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(1, 3, 5, 7);
      // Go's SPDY framer rejects a SYN_REPLY without a header block
      assertThat(frames).filteredOn(f -> f instanceof SpdySynReplyFrame)
          .allMatch(f -> !((SpdySynReplyFrame) f).headers().isEmpty());
      assertThat(frames).filteredOn(f -> f instanceof SpdyPingFrame)
          .extracting(f -> ((SpdyPingFrame) f).id()).containsExactly(1);
      assertThat(dataOf(frames, 5)).isEqualTo("hi-spdy\n");
      assertThat(dataOf(frames, 1)).isEqualTo(SUCCESS);
      assertThat(finished(frames)).contains(1, 5, 7);
    }
  }

  @Test
  void portForwardOverWebSocketTunnelledSpdyReachesThePodPort() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
      Thread echoThread = echoServer(echo);
      socket.setSoTimeout(10_000);
      String head = rawWebSocketHandshake(socket, "/api/v1/namespaces/default/pods/p/portforward",
          "SPDY/3.1+portforward.k8s.io");
      assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io");
      WebSocketTestWire webSocket = new WebSocketTestWire();
      SpdyTestWire wire = new SpdyTestWire();
      String port = Integer.toString(echo.getLocalPort());
      OutputStream out = socket.getOutputStream();

      // split the first frame into single-byte messages (and an empty one): the payloads are one byte stream
      out.write(webSocket.binary(new byte[0]));
      for (byte b : wire.encode(syn(1, Map.of("streamtype", "error", "port", port, "requestid", "0")))) {
        out.write(webSocket.binary(new byte[] {b}));
      }
      SpdyDataFrame finError = new DefaultSpdyDataFrame(1);
      finError.setLast(true);
      out.write(webSocket.binary(concat(wire.encode(finError),
          wire.encode(syn(3, Map.of("streamtype", "data", "port", port, "requestid", "0"))))));
      out.write(webSocket.binary(wire.encode(new DefaultSpdyDataFrame(3,
          Unpooled.copiedBuffer("ping-pong", StandardCharsets.UTF_8)))));
      SpdyDataFrame finData = new DefaultSpdyDataFrame(3);
      finData.setLast(true);
      out.write(webSocket.binary(wire.encode(finData)));
      out.flush();

      List<Object> frames = new ArrayList<>();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      while (!(finished(frames).contains(1) && finished(frames).contains(3))) {
        int count = in.read(buffer);
        assertThat(count).as("connection open; frames so far %s", frames).isPositive();
        for (byte[] payload : webSocket.binaryPayloads(Arrays.copyOf(buffer, count))) {
          frames.addAll(wire.decode(payload));
        }
      }
      assertThat(frames).filteredOn(f -> f instanceof SpdySynReplyFrame)
          .extracting(f -> ((SpdySynReplyFrame) f).streamId()).containsExactly(1, 3);
      assertThat(dataOf(frames, 3)).isEqualTo("ping-pong");
      assertThat(dataOf(frames, 1)).isEmpty();
      echoThread.join(5000);
    }
  }

  @Test
  void portForwardOverWebSocketChannelsAnnouncesThePortThenCarriesTheData() throws Exception {
    try (ServerSocket pod = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      replyServer(pod);
      int port = pod.getLocalPort();
      WebSocketTestClient client = WebSocketTestClient.connect(
          ws("/api/v1/namespaces/default/pods/p/portforward?ports=" + port), "v4.channel.k8s.io");

      assertThat(client.socket.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
      assertThat(client.next()).containsExactly(0, port & 0xFF, port >>> 8);
      assertThat(client.next()).containsExactly(1, port & 0xFF, port >>> 8);
      client.send(concat(new byte[] {0}, "ping\n".getBytes(StandardCharsets.UTF_8)));

      // the pod answers and closes: the server then closes the WebSocket
      assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
      assertThat(channelData(client.messages, 0)).isEqualTo("pong:ping\n");
      assertThat(channelData(client.messages, 1)).isEmpty();
    }
  }

  @Test
  void portForwardOverWebSocketChannelsGivesEachPortTwoChannelsAndReportsDialErrors() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    try (ServerSocket pod = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      replyServer(pod);
      int port = pod.getLocalPort();
      WebSocketTestClient client = WebSocketTestClient.connect(
          ws("/api/v1/namespaces/default/pods/p/portforward?ports=" + closedPort + "," + port), "v4.channel.k8s.io");

      assertThat(client.next()).containsExactly(0, closedPort & 0xFF, closedPort >>> 8);
      assertThat(client.next()).containsExactly(1, closedPort & 0xFF, closedPort >>> 8);
      assertThat(client.next()).containsExactly(2, port & 0xFF, port >>> 8);
      assertThat(client.next()).containsExactly(3, port & 0xFF, port >>> 8);
      byte[] error = client.next();
      assertThat(error[0]).isEqualTo((byte) 1);
      assertThat(text(error)).startsWith("error forwarding port " + closedPort + " to pod p_default, uid ")
          .endsWith("dial tcp 127.0.0.1:" + closedPort + ": connect: connection refused");
      client.send(concat(new byte[] {2}, "second\n".getBytes(StandardCharsets.UTF_8)));

      assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
      assertThat(channelData(client.messages, 2)).isEqualTo("pong:second\n");
      assertThat(channelData(client.messages, 3)).isEmpty();
    }
  }

  @Test
  void portForwardOverWebSocketBase64Channels() throws Exception {
    try (ServerSocket pod = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      replyServer(pod);
      int port = pod.getLocalPort();
      WebSocketTestClient client = WebSocketTestClient.connect(
          ws("/api/v1/namespaces/default/pods/p/portforward?ports=" + port), "v4.base64.channel.k8s.io");
      String portBase64 = Base64.getEncoder().encodeToString(new byte[] {(byte) port, (byte) (port >>> 8)});

      assertThat(client.socket.getSubprotocol()).isEqualTo("v4.base64.channel.k8s.io");
      assertThat(client.nextText()).isEqualTo("0" + portBase64);
      assertThat(client.nextText()).isEqualTo("1" + portBase64);
      client.sendText("0" + base64("b64\n"));

      assertThat(client.nextText()).isEqualTo("0" + base64("pong:b64\n"));
      assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }
  }

  @Test
  void portForwardOverWebSocketChannelsRefusals() throws Exception {
    String path = "/api/v1/namespaces/default/pods/p/portforward";
    assertThat(rawUpgrade(path, "v4.channel.k8s.io")).startsWith("HTTP/1.1 400")
        .endsWith("query parameter \"port\" is required");
    assertThat(rawUpgrade(path + "?ports=0", "v4.channel.k8s.io")).startsWith("HTTP/1.1 400")
        .endsWith("port \"0\" must be > 0");
    assertThat(rawUpgrade(path + "?ports=80&ports=8080,0", "v4.channel.k8s.io")).startsWith("HTTP/1.1 400")
        .endsWith("port \"80,8080,0\" must be > 0");
    assertThat(rawUpgrade(path + "?ports=80,http", "v4.channel.k8s.io")).startsWith("HTTP/1.1 400")
        .contains("\"reason\":\"BadRequest\"",
            "cannot convert to []int32: strconv.ParseUint: parsing \\\"http\\\": invalid syntax");
    assertThat(rawUpgrade(path + "?ports=80", "channel.k8s.io")).startsWith("HTTP/1.1 400")
        .endsWith("supports [SPDY/3.1+portforward.k8s.io, v4.channel.k8s.io, v4.base64.channel.k8s.io]");
    // the pod is looked up first, as the apiserver does before it asks the kubelet
    assertThat(rawUpgrade("/api/v1/namespaces/default/pods/nope/portforward", "v4.channel.k8s.io"))
        .startsWith("HTTP/1.1 404").contains("pods \\\"nope\\\" not found");
  }

  private static String rawWebSocketHandshake(Socket socket, String pathAndQuery, String protocol) throws Exception {
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Protocol: " + protocol + "\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    return readHead(socket.getInputStream());
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.write(next);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void portForwardOverPlainSpdyReportsConnectFailuresOnTheErrorStream() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
      socket.setSoTimeout(10_000);
      String head = upgradeSpdy(socket, "/api/v1/namespaces/default/pods/p/portforward",
          List.of("portforward.k8s.io"));
      assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("X-Stream-Protocol-Version: portforward.k8s.io");
      SpdyTestWire wire = new SpdyTestWire();
      String port = Integer.toString(closedPort);
      OutputStream out = socket.getOutputStream();
      out.write(wire.encode(syn(1, Map.of("streamtype", "error", "port", port, "requestid", "0"))));
      out.write(wire.encode(syn(3, Map.of("streamtype", "data", "port", port, "requestid", "0"))));
      out.flush();

      List<Object> frames = readFrames(socket, wire, all -> finished(all).contains(1));

      assertThat(dataOf(frames, 1)).startsWith("error forwarding port " + port + " to pod p_default, uid ")
          .endsWith("dial tcp 127.0.0.1:" + port + ": connect: connection refused");
    }
  }

  // ------------------------------------------------------------------ helpers

  private static SpdySynStreamFrame syn(int streamId, Map<String, String> headers) {
    SpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(streamId, 0, (byte) 0);
    headers.forEach((name, value) -> frame.headers().set(name, value));
    return frame;
  }

  private static String dataOf(List<Object> frames, int streamId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object frame : frames) {
      if (frame instanceof SpdyDataFrame data && data.streamId() == streamId) {
        out.writeBytes(ByteBufUtil.getBytes(data.content()));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<Integer> finished(List<Object> frames) {
    List<Integer> ids = new ArrayList<>();
    for (Object frame : frames) {
      if (frame instanceof SpdyDataFrame data && data.isLast()) {
        ids.add(data.streamId());
      }
    }
    return ids;
  }

  private static List<Object> readFrames(Socket socket, SpdyTestWire wire, Predicate<List<Object>> done)
      throws Exception {
    List<Object> frames = new ArrayList<>();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.test(frames)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; frames so far: " + frames);
      }
      int count = in.read(buffer);
      if (count < 0) {
        break;
      }
      frames.addAll(wire.decode(Arrays.copyOf(buffer, count)));
    }
    return frames;
  }

  private String upgradeSpdy(Socket socket, String pathAndQuery, List<String> protocols) throws Exception {
    StringBuilder request = new StringBuilder("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nContent-Length: 0\r\n");
    for (String protocol : protocols) {
      request.append("X-Stream-Protocol-Version: ").append(protocol).append("\r\n");
    }
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.write(next);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** A WebSocket upgrade request on a raw socket; returns the whole answer (the server closes after errors). */
  private String rawUpgrade(String pathAndQuery) throws Exception {
    return rawUpgrade(pathAndQuery, "v5.channel.k8s.io");
  }

  private String rawUpgrade(String pathAndQuery, String protocol) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
      socket.setSoTimeout(10_000);
      String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
          + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Protocol: " + protocol + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(answer);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("connection not closed; got " + answer, e);
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  /** Accepts one connection, reads a line and answers "pong:" and the line, then closes (an HTTP/1.0-like pod). */
  private static void replyServer(ServerSocket listener) {
    Thread thread = new Thread(() -> {
      try (Socket accepted = listener.accept()) {
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        accepted.getOutputStream().write(("pong:" + line + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (Exception e) {
        // the test fails on its own assertions
      }
    }, "reply");
    thread.setDaemon(true);
    thread.start();
  }

  /** The data of the messages received on {@code channel}, in order. */
  private static String channelData(Collection<byte[]> messages, int channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      if (message.length > 0 && (message[0] & 0xFF) == channel) {
        out.write(message, 1, message.length - 1);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Thread echoServer(ServerSocket listener) {
    Thread thread = new Thread(() -> {
      try (Socket accepted = listener.accept()) {
        accepted.getInputStream().transferTo(accepted.getOutputStream());
      } catch (Exception e) {
        // the test fails on its own assertions
      }
    }, "echo");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] result = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, result, first.length, second.length);
    return result;
  }
}
