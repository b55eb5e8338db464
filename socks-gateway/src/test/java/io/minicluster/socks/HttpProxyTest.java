package io.minicluster.socks;

import static io.minicluster.socks.LoopbackFixtures.LOOPBACK;
import static io.minicluster.socks.LoopbackFixtures.PAGE;
import static io.minicluster.socks.LoopbackFixtures.await;
import static io.minicluster.socks.LoopbackFixtures.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.policy.RefusalReason;
import io.minicluster.socks.resolve.StaticNameResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plain HTTP forward proxying on the gateway port: real sockets, curl, and backends on loopback. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpProxyTest {

  private HttpServer echo;
  private int echoPort;
  private HttpServer web;
  private int webPort;
  private SocksGateway gateway;
  private int port;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    echo = startEchoServer();
    echoPort = echo.getAddress().getPort();
    web = LoopbackFixtures.startHttpServer();
    webPort = web.getAddress().getPort();
    gateway = start(config());
    port = gateway.localAddress().getPort();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : cleanup) {
      closeable.close();
    }
    gateway.close();
    echo.stop(0);
    web.stop(0);
  }

  private static GatewayConfig.Builder config() {
    return GatewayConfig.builder()
        .port(0)
        .policy(CidrAllowListPolicy.parse(List.of("127.0.0.1/32")))
        .resolver(new StaticNameResolver(Map.of("web.test", LOOPBACK, "echo.test", LOOPBACK), List.of(".test")))
        .connectTimeout(Duration.ofSeconds(2));
  }

  private SocksGateway start(GatewayConfig.Builder builder) {
    SocksGateway started = new SocksGateway(builder.build());
    started.start();
    return started;
  }

  @Test
  void curlFetchesThroughTheProxyAndReusesOneConnectionForSeveralHosts() throws Exception {
    String proxy = "http://127.0.0.1:" + port;
    assertThat(curl(Map.of(), "--proxy", proxy, "http://web.test:" + webPort + "/")).isEqualTo(PAGE);
    assertThat(curl(Map.of("http_proxy", proxy), "http://web.test:" + webPort + "/")).isEqualTo(PAGE);
    long before = gateway.metrics().snapshot().totalConnections();

    String both = curl(Map.of("http_proxy", proxy), "http://web.test:" + webPort + "/",
        "http://echo.test:" + echoPort + "/echo?from=curl");
    assertThat(both).startsWith(PAGE).contains("uri=/echo?from=curl", "header Host=echo.test:" + echoPort);
    assertThat(gateway.metrics().snapshot().totalConnections() - before)
        .as("client connections for two URLs on two hosts").isEqualTo(1);
  }

  @Test
  void theRequestGoesOnInOriginFormWithoutHopByHopFields() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/echo?x=1&y=%20 HTTP/1.1\r\n"
          + "Host: somewhere.else\r\n"
          + "Proxy-Connection: keep-alive\r\n"
          + "Connection: keep-alive, X-Hop\r\n"
          + "X-Hop: secret\r\n"
          + "Keep-Alive: timeout=5\r\n"
          + "TE: trailers\r\n"
          + "X-End-To-End: kept\r\n"
          + "\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text())
          .contains("method=GET\n", "uri=/echo?x=1&y=%20\n", "header Host=echo.test:" + echoPort + "\n",
              "header X-end-to-end=kept\n", "header Via=1.1 socks-gateway\n")
          .doesNotContainIgnoringCase("proxy-connection")
          .doesNotContainIgnoringCase("x-hop")
          .doesNotContainIgnoringCase("keep-alive")
          .doesNotContain("header Te=");
      assertThat(response.header("Via")).isEqualTo("1.1 socks-gateway");
      assertThat(response.header("Connection")).isNull();
    }
  }

  @Test
  void severalRequestsToDifferentDestinationsOnOneKeepAliveConnection() throws Exception {
    try (Socket socket = connect()) {
      for (int round = 0; round < 3; round++) {
        get(socket, "http://echo.test:" + echoPort + "/echo?round=" + round, "uri=/echo?round=" + round);
        get(socket, "http://echo.test:" + echoPort + "/echo?again=" + round, "uri=/echo?again=" + round);
        RawHttp.send(socket, "GET http://127.0.0.1:" + webPort + "/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(RawHttp.read(socket, false).text()).isEqualTo(PAGE);
      }
    }
    assertThat(gateway.metrics().snapshot().totalConnections()).as("client connections").isEqualTo(1);
    assertThat(gateway.metrics().snapshot().relayedConnections())
        .as("destination connections: kept for the next request to the same destination only").isEqualTo(6);
    assertThat(gateway.metrics().snapshot().httpRequestsForwarded()).isEqualTo(9);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (Socket socket = connect()) {
      StringBuilder pipelined = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        String host = i % 2 == 0 ? "echo.test:" + echoPort : "127.0.0.1:" + echoPort;
        pipelined.append("GET http://").append(host).append("/echo?n=").append(i).append(" HTTP/1.1\r\nHost: ")
            .append(host).append("\r\n\r\n");
      }
      RawHttp.send(socket, pipelined.toString());
      for (int i = 0; i < 4; i++) {
        assertThat(RawHttp.read(socket, false).text()).contains("uri=/echo?n=" + i + "\n");
      }
    }
  }

  @Test
  void refusalsAnswerAsAProxyAndClose() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = probe.getLocalPort();
    }
    assertRefused("http://127.0.0.2:" + webPort + "/", 403);
    assertRefused("http://example.org/", 403);
    assertRefused("http://missing.test/", 502);
    assertRefused("http://127.0.0.1:" + closedPort + "/", 502);
    assertRefused("https://web.test/", 501);
    assertRefused("http://user@web.test:" + webPort + "/", 400);
    assertThat(gateway.metrics().snapshot().refusals(RefusalReason.DESTINATION_NOT_ALLOWED)).isEqualTo(1);
    assertThat(gateway.metrics().snapshot().refusals(RefusalReason.NAME_NOT_ALLOWED)).isEqualTo(1);
    assertThat(gateway.metrics().snapshot().refusals(RefusalReason.NAME_NOT_FOUND)).isEqualTo(1);
    assertThat(gateway.metrics().snapshot().refusals(RefusalReason.CONNECTION_REFUSED)).isEqualTo(1);
  }

  private void assertRefused(String url, int status) throws IOException {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).as(url).isEqualTo(status);
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(socket.getInputStream().read()).as("closed after refusing " + url).isEqualTo(-1);
    }
  }

  @Test
  void credentialsAreRequiredAsProxyAuthorizationAndNotPassedOn() throws Exception {
    try (SocksGateway guarded = start(config().credentials(new Credentials("alice", "s3cret:x")))) {
      int guardedPort = guarded.localAddress().getPort();
      try (Socket socket = new Socket(LOOPBACK, guardedPort)) {
        socket.setSoTimeout(10_000);
        RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/echo HTTP/1.1\r\nHost: echo.test\r\n\r\n");
        RawHttp.Response response = RawHttp.read(socket, false);
        assertThat(response.status()).isEqualTo(407);
        assertThat(response.header("Proxy-Authenticate")).startsWith("Basic realm=");
      }
      String wrong = Base64.getEncoder().encodeToString("alice:nope".getBytes(StandardCharsets.UTF_8));
      String right = Base64.getEncoder().encodeToString("alice:s3cret:x".getBytes(StandardCharsets.UTF_8));
      try (Socket socket = new Socket(LOOPBACK, guardedPort)) {
        socket.setSoTimeout(10_000);
        RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/echo HTTP/1.1\r\nHost: echo.test\r\n"
            + "Proxy-Authorization: Basic " + wrong + "\r\n\r\n");
        assertThat(RawHttp.read(socket, false).status()).isEqualTo(407);
      }
      try (Socket socket = new Socket(LOOPBACK, guardedPort)) {
        socket.setSoTimeout(10_000);
        RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/echo HTTP/1.1\r\nHost: echo.test\r\n"
            + "Proxy-Authorization: Basic " + right + "\r\n\r\n");
        RawHttp.Response response = RawHttp.read(socket, false);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).doesNotContainIgnoringCase("authorization");
      }
      assertThat(curl(Map.of(), "--proxy", "http://127.0.0.1:" + guardedPort, "--proxy-user", "alice:s3cret:x",
          "http://web.test:" + webPort + "/")).isEqualTo(PAGE);
      assertThat(guarded.metrics().snapshot().refusals(RefusalReason.AUTHENTICATION_FAILED)).isEqualTo(2);
    }
  }

  @Test
  void requestAndResponseBodiesStreamBothWays() throws Exception {
    byte[] upload = new byte[8 << 20];
    long sum = 0;
    for (int i = 0; i < upload.length; i++) {
      upload[i] = pattern(i);
      sum += upload[i] & 0xFF;
    }
    try (Socket socket = connect()) {
      RawHttp.send(socket, "POST http://echo.test:" + echoPort + "/echo HTTP/1.1\r\nHost: echo.test\r\n"
          + "Content-Length: " + upload.length + "\r\n\r\n", upload);
      assertThat(RawHttp.read(socket, false).text())
          .contains("method=POST\n", "body-bytes=" + upload.length + "\n", "body-sum=" + sum + "\n");

      RawHttp.send(socket, "PUT http://echo.test:" + echoPort + "/echo HTTP/1.1\r\nHost: echo.test\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      assertThat(RawHttp.read(socket, false).text()).contains("method=PUT\n", "body-bytes=11\n");

      long size = 48L << 20;
      RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/chunked?n=" + size + " HTTP/1.1\r\n"
          + "Host: echo.test\r\n\r\n");
      RawHttp.Response big = RawHttp.read(socket, false);
      assertThat(big.header("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(big.body()).hasSize((int) size);
      for (int i = 0; i < size; i++) {
        if (big.body()[i] != pattern(i)) {
          throw new AssertionError("corrupt byte at " + i);
        }
      }
      get(socket, "http://echo.test:" + echoPort + "/echo?after=big", "uri=/echo?after=big");
    }
    assertThat(gateway.metrics().snapshot().bytesFromClients()).isGreaterThanOrEqualTo(upload.length);
  }

  @Test
  void expectContinueGetsTheDestinationsInterimAnswerBeforeTheBody() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "POST http://echo.test:" + echoPort + "/echo HTTP/1.1\r\nHost: echo.test\r\n"
          + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawHttp.Response interim = RawHttp.read(socket, false);
      assertThat(interim.status()).as("interim answer before any body byte").isEqualTo(100);
      RawHttp.send(socket, "", "hello".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).contains("body-bytes=5\n", "header Expect=100-continue\n");
      get(socket, "http://echo.test:" + echoPort + "/echo?after=continue", "uri=/echo?after=continue");
    }
    Path upload = Files.createTempFile("upload", ".bin");
    try {
      byte[] data = new byte[3 << 20];
      Arrays.fill(data, (byte) 7);
      Files.write(upload, data);
      assertThat(curl(Map.of(), "--proxy", "http://127.0.0.1:" + port, "-H", "Expect: 100-continue",
          "--data-binary", "@" + upload, "http://echo.test:" + echoPort + "/echo"))
          .contains("method=POST\n", "body-bytes=" + data.length + "\n", "body-sum=" + 7L * data.length + "\n");
    } finally {
      Files.deleteIfExists(upload);
    }
  }

  @Test
  void slowClientStopsTheDestinationInsteadOfBuffering() throws Exception {
    try (Socket socket = connect()) {
      socket.setReceiveBufferSize(64 * 1024);
      RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/chunked?n=" + (512L << 20) + " HTTP/1.1\r\n"
          + "Host: echo.test\r\n\r\n");
      await("back-pressure", Duration.ofSeconds(20), () -> gateway.metrics().snapshot().bytesToClients() > 0);
      long first = gateway.metrics().snapshot().bytesToClients();
      Thread.sleep(1000);
      long later = gateway.metrics().snapshot().bytesToClients();
      assertThat(later).as("bytes taken from the destination while the client reads nothing").isLessThan(32L << 20);
      assertThat(later - first).isLessThan(16L << 20);
      assertThat(gateway.metrics().snapshot().readPauses()).isPositive();
    }
  }

  @Test
  void http10ClientGetsAChunkedBodyPlainAndEndedByClose() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/chunked?n=1000 HTTP/1.0\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Transfer-Encoding")).isNull();
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(response.body()).hasSize(1000);
    }
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET http://echo.test:" + echoPort + "/echo HTTP/1.0\r\nProxy-Connection: keep-alive\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.header("Connection")).isEqualTo("keep-alive");
      get(socket, "http://echo.test:" + echoPort + "/echo?second", "uri=/echo?second");
    }
  }

  @Test
  void headAnswersWithoutABodyAndTheConnectionGoesOn() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "HEAD http://web.test:" + webPort + "/bytes?n=5000 HTTP/1.1\r\nHost: web.test\r\n\r\n");
      RawHttp.Response head = RawHttp.read(socket, true);
      assertThat(head.status()).isEqualTo(200);
      get(socket, "http://echo.test:" + echoPort + "/echo?after=head", "uri=/echo?after=head");
    }
  }

  @Test
  void absoluteFormNamingTheGatewayItselfGetsItsOwnPages() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET http://127.0.0.1:" + port + "/proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).contains("FindProxyForURL");
      get(socket, "http://echo.test:" + echoPort + "/echo?after=pac", "uri=/echo?after=pac");
    }
  }

  @Test
  void aDestinationClosingWithoutAnAnswerIs502() throws Exception {
    ServerSocket rude = new ServerSocket(0, 50, LOOPBACK);
    cleanup.add(rude);
    Thread closer = new Thread(() -> {
      try (Socket accepted = rude.accept()) {
        accepted.getInputStream().read();
      } catch (IOException e) {
        // closed
      }
    });
    closer.setDaemon(true);
    closer.start();
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET http://127.0.0.1:" + rude.getLocalPort() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(502);
    }
  }

  /**
   * The keep-alive race: the destination closes a kept connection just as the next request arrives on it. A
   * request without a body is then sent again on a new connection, as a browser would; one with a body is not.
   */
  @Test
  void aBodylessRequestOnAKeptConnectionThatCloseUnansweredIsSentAgain() throws Exception {
    ServerSocket racer = new ServerSocket(0, 50, LOOPBACK);
    cleanup.add(racer);
    AtomicInteger accepted = new AtomicInteger();
    Thread server = new Thread(() -> {
      while (!racer.isClosed()) {
        try (Socket connection = racer.accept()) {
          int number = accepted.incrementAndGet();
          InputStream in = connection.getInputStream();
          readHead(in);
          String body = "answer from connection " + number;
          connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n"
              + body).getBytes(StandardCharsets.US_ASCII));
          readHead(in);
          // the second request on a connection is never answered: the connection just closes
        } catch (IOException e) {
          // closed
        }
      }
    });
    server.setDaemon(true);
    server.start();
    String url = "http://127.0.0.1:" + racer.getLocalPort() + "/";
    try (Socket socket = connect()) {
      RawHttp.send(socket, "GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawHttp.read(socket, false).text()).isEqualTo("answer from connection 1");
      RawHttp.send(socket, "GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawHttp.read(socket, false).text()).isEqualTo("answer from connection 2");
      RawHttp.send(socket, "POST " + url + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
      assertThat(RawHttp.read(socket, false).status()).as("a request with a body is not sent twice").isEqualTo(502);
    }
    assertThat(accepted.get()).isEqualTo(2);
  }

  @Test
  void anUnsolicitedResponseOnAKeptConnectionDoesNotReachTheClient() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
    cleanup.add(server);
    AtomicInteger accepted = new AtomicInteger();
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket connection = server.accept()) {
          int number = accepted.incrementAndGet();
          readHead(connection.getInputStream());
          String body = "answer " + number;
          // The answer, and at once a 408 nobody asked for, as some servers send before closing an idle connection.
          connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n"
              + body + "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          connection.getInputStream().read();
        } catch (IOException e) {
          // closed
        }
      }
    });
    thread.setDaemon(true);
    thread.start();
    String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
    try (Socket socket = connect()) {
      for (int i = 1; i <= 3; i++) {
        RawHttp.send(socket, "GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");
        RawHttp.Response response = RawHttp.read(socket, false);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("answer " + i);
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    while (matched < 4) {
      int next = in.read();
      if (next < 0) {
        throw new IOException("closed");
      }
      matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : next == '\r' ? 1 : 0;
    }
  }

  @Test
  void proxyingCanBeSwitchedOff() throws Exception {
    try (SocksGateway off = start(config().httpProxyEnabled(false));
        Socket socket = new Socket(LOOPBACK, off.localAddress().getPort())) {
      socket.setSoTimeout(10_000);
      RawHttp.send(socket, "GET http://web.test:" + webPort + "/ HTTP/1.1\r\nHost: web.test\r\n\r\n");
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(501);
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(LOOPBACK, port);
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static void get(Socket socket, String url, String expected) throws IOException {
    RawHttp.send(socket, "GET " + url + " HTTP/1.1\r\nHost: ignored\r\n\r\n");
    RawHttp.Response response = RawHttp.read(socket, false);
    assertThat(response.status()).as(url).isEqualTo(200);
    assertThat(response.text()).as(url).contains(expected + "\n");
  }

  /**
   * {@code /echo} answers with the request line, header fields and body size and sum as text; {@code /chunked?n=N}
   * sends N patterned bytes in chunked coding.
   */
  private static HttpServer startEchoServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 64);
    server.createContext("/echo", exchange -> {
      StringBuilder text = new StringBuilder();
      text.append("method=").append(exchange.getRequestMethod()).append('\n');
      text.append("uri=").append(exchange.getRequestURI().getRawPath());
      if (exchange.getRequestURI().getRawQuery() != null) {
        text.append('?').append(exchange.getRequestURI().getRawQuery());
      }
      text.append('\n');
      Headers headers = exchange.getRequestHeaders();
      for (Map.Entry<String, List<String>> header : new TreeMap<>(headers).entrySet()) {
        for (String value : header.getValue()) {
          text.append("header ").append(header.getKey()).append('=').append(value).append('\n');
        }
      }
      long bytes = 0;
      long sum = 0;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) > 0) {
          bytes += read;
          for (int i = 0; i < read; i++) {
            sum += buffer[i] & 0xFF;
          }
        }
      }
      text.append("body-bytes=").append(bytes).append('\n').append("body-sum=").append(sum).append('\n');
      byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/chunked", exchange -> {
      long count = Long.parseLong(exchange.getRequestURI().getQuery().substring(2));
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = new byte[32 * 1024];
        long written = 0;
        while (written < count) {
          int length = (int) Math.min(chunk.length, count - written);
          for (int i = 0; i < length; i++) {
            chunk[i] = pattern(written + i);
          }
          out.write(chunk, 0, length);
          written += length;
        }
      } catch (IOException e) {
        // the client went away
      }
    });
    server.setExecutor(Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "echo-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
    return server;
  }

  private static String curl(Map<String, String> environment, String... arguments) throws Exception {
    assertThat(Files.isExecutable(Path.of("/usr/bin/curl"))).as("curl is required at /usr/bin/curl").isTrue();
    List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "20"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("curl %s: %s", command, output).isZero();
    return output;
  }
}
