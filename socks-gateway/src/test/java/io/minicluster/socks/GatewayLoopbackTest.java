package io.minicluster.socks;

import static io.minicluster.socks.LoopbackFixtures.LOOPBACK;
import static io.minicluster.socks.LoopbackFixtures.PAGE;
import static io.minicluster.socks.LoopbackFixtures.await;
import static io.minicluster.socks.LoopbackFixtures.httpGet;
import static io.minicluster.socks.LoopbackFixtures.pattern;
import static io.minicluster.socks.LoopbackFixtures.socks5Connect;
import static io.minicluster.socks.LoopbackFixtures.socks5Request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.minicluster.socks.metrics.MetricsSnapshot;
import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.policy.RefusalReason;
import io.minicluster.socks.resolve.StaticNameResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real sockets on loopback: JDK and curl clients, refusal codes, half-close, back-pressure, fuzzing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayLoopbackTest {

  private HttpServer web;
  private int webPort;
  private SocksGateway gateway;
  private int port;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    web = LoopbackFixtures.startHttpServer();
    webPort = web.getAddress().getPort();
    gateway = new SocksGateway(allowLoopback().build());
    port = gateway.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : cleanup) {
      closeable.close();
    }
    gateway.close();
    web.stop(0);
  }

  private static GatewayConfig.Builder allowLoopback() {
    return GatewayConfig.builder()
        .port(0)
        .policy(CidrAllowListPolicy.parse(List.of("127.0.0.1/32")))
        .resolver(new StaticNameResolver(Map.of("web.test", LOOPBACK), List.of(".test")))
        .connectTimeout(Duration.ofMillis(800));
  }

  @Test
  void jdkSocksSocketFetchesByAddressAndByName() throws IOException {
    Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(LOOPBACK, port));
    try (Socket socket = new Socket(proxy)) {
      socket.connect(new InetSocketAddress(LOOPBACK, webPort), 5000);
      assertThat(httpGet(socket, "127.0.0.1", "/")).startsWith("HTTP/1.1 200").endsWith(PAGE);
    }
    try (Socket socket = new Socket(proxy)) {
      socket.connect(InetSocketAddress.createUnresolved("web.test", webPort), 5000);
      assertThat(httpGet(socket, "web.test", "/")).endsWith(PAGE);
    }
    MetricsSnapshot metrics = gateway.metrics().snapshot();
    assertThat(metrics.relayedConnections()).isEqualTo(2);
    assertThat(metrics.bytesToClients()).isGreaterThan(2L * PAGE.length());
  }

  @Test
  void curlThroughEverySocksFlavourAndHttpConnect() throws Exception {
    // curl is required (CI installs it): a missing client fails the test, it is never skipped
    assertThat(Files.isExecutable(Path.of("/usr/bin/curl"))).as("curl is required at /usr/bin/curl").isTrue();
    String proxy = "127.0.0.1:" + port;
    assertThat(curl("--socks5-hostname", proxy, "http://web.test:" + webPort + "/")).isEqualTo(PAGE);
    assertThat(curl("--socks5", proxy, "http://127.0.0.1:" + webPort + "/")).isEqualTo(PAGE);
    assertThat(curl("--socks4", proxy, "http://127.0.0.1:" + webPort + "/")).isEqualTo(PAGE);
    assertThat(curl("--socks4a", proxy, "http://web.test:" + webPort + "/")).isEqualTo(PAGE);
    assertThat(curl("--proxytunnel", "--proxy", "http://" + proxy, "http://web.test:" + webPort + "/")).isEqualTo(PAGE);
    assertThat(curl("http://" + proxy + "/proxy.pac")).contains("FindProxyForURL");
    assertThat(gateway.metrics().snapshot().relayedConnections()).isEqualTo(5);
  }

  @Test
  void refusalCodesOnRawSockets() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = probe.getLocalPort();
    }
    assertThat(rawRequest(port, ipv4Request(new byte[] {127, 0, 0, 1}, closedPort))).isEqualTo(0x05);
    assertThat(rawRequest(port, ipv4Request(new byte[] {127, 0, 0, 2}, webPort))).isEqualTo(0x02);
    assertThat(rawRequest(port, new byte[] {5, 2, 0, 1, 127, 0, 0, 1, 0, 80})).isEqualTo(0x07);
    assertThat(rawRequest(port, new byte[] {5, 3, 0, 1, 0, 0, 0, 0, 0, 0})).isEqualTo(0x07);
    assertThat(rawRequest(port, new byte[] {5, 1, 0, 7, 0, 0})).isEqualTo(0x08);

    try (SocksGateway strict = new SocksGateway(GatewayConfig.builder().port(0).build())) {
      int strictPort = strict.start();
      assertThat(rawRequest(strictPort, ipv4Request(new byte[] {127, 0, 0, 1}, webPort))).isEqualTo(0x02);
      assertThat(strict.metrics().snapshot().refusals(RefusalReason.DESTINATION_NOT_ALLOWED)).isEqualTo(1);
    }
    MetricsSnapshot metrics = gateway.metrics().snapshot();
    assertThat(metrics.refusals(RefusalReason.CONNECTION_REFUSED)).isEqualTo(1);
    assertThat(metrics.refusals(RefusalReason.COMMAND_NOT_SUPPORTED)).isEqualTo(2);
    assertThat(metrics.refusals(RefusalReason.ADDRESS_TYPE_NOT_SUPPORTED)).isEqualTo(1);
  }

  @Test
  void connectTimeoutAnswersTtlExpired() throws Exception {
    // A listener that never accepts, with its accept queue filled: Linux then drops further SYNs.
    ServerSocket stuck = new ServerSocket(0, 1, LOOPBACK);
    cleanup.add(stuck);
    for (int i = 0; i < 16; i++) {
      Socket filler = new Socket();
      cleanup.add(filler);
      try {
        filler.connect(new InetSocketAddress(LOOPBACK, stuck.getLocalPort()), 200);
      } catch (IOException e) {
        break;
      }
    }
    assertThat(rawRequest(port, ipv4Request(new byte[] {127, 0, 0, 1}, stuck.getLocalPort()))).isEqualTo(0x06);
    assertThat(gateway.metrics().snapshot().refusals(RefusalReason.CONNECT_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void tlsClientHelloIsClosedAtOnceNotAtTheHandshakeTimeout() throws Exception {
    try (SocksGateway patient = new SocksGateway(allowLoopback().handshakeTimeout(Duration.ofSeconds(60)).build())) {
      int patientPort = patient.start();
      try (Socket socket = new Socket(LOOPBACK, patientPort)) {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
        long start = System.nanoTime();
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      }
      assertThat(patient.metrics().snapshot().refusals(RefusalReason.MALFORMED_HANDSHAKE)).isEqualTo(1);
    }
  }

  @Test
  void socks4RejectionIs5B() throws IOException {
    try (Socket socket = new Socket(LOOPBACK, port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(new byte[] {4, 1, 0, 80, 10, 0, 0, 1, 0});
      byte[] reply = socket.getInputStream().readNBytes(8);
      assertThat(reply[1]).isEqualTo((byte) 0x5B);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  /** A destination that reads until end of input, answers "got N bytes", ends its output and waits for the close. */
  private record CountingDestination(int port, Thread thread) {
  }

  private CountingDestination startCountingDestination() throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, LOOPBACK);
    cleanup.add(listener);
    Thread server = new Thread(() -> {
      try (Socket accepted = listener.accept()) {
        byte[] all = accepted.getInputStream().readAllBytes();
        accepted.getOutputStream().write(("got " + all.length + " bytes").getBytes(StandardCharsets.US_ASCII));
        accepted.shutdownOutput();
        accepted.getInputStream().read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    server.setDaemon(true);
    server.start();
    return new CountingDestination(listener.getLocalPort(), server);
  }

  @Test
  void halfCloseIsPassedThroughBothWays() throws Exception {
    CountingDestination destination = startCountingDestination();
    try (Socket socket = socks5Connect(port, new byte[] {127, 0, 0, 1}, destination.port())) {
      socket.getOutputStream().write(new byte[12345]);
      socket.shutdownOutput();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("got 12345 bytes");
    }
    destination.thread().join(5000);
    await("connection closed", Duration.ofSeconds(5), () -> gateway.metrics().activeConnections() == 0);
  }

  /**
   * A client that does not wait for replies: greeting, request, payload and end-of-input arrive before the
   * destination is connected. The payload and the end-of-input must both reach the destination.
   */
  @Test
  void endOfInputBeforeTheDestinationConnectsIsPassedOn() throws Exception {
    CountingDestination destination = startCountingDestination();
    ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
    pipelined.writeBytes(new byte[] {5, 1, 0});
    pipelined.writeBytes(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (destination.port() >> 8),
        (byte) destination.port()});
    pipelined.writeBytes(new byte[777]);
    try (Socket socket = new Socket(LOOPBACK, port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(pipelined.toByteArray());
      socket.shutdownOutput();
      byte[] replies = socket.getInputStream().readNBytes(2 + 10);
      assertThat(replies[1]).as("method").isEqualTo((byte) 0);
      assertThat(replies[3]).as("reply").isEqualTo((byte) 0);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("got 777 bytes");
    }
    destination.thread().join(5000);
    await("connection closed", Duration.ofSeconds(5), () -> gateway.metrics().activeConnections() == 0);
  }

  @Test
  void clientKeepsSendingAfterTheDestinationHalfCloses() throws Exception {
    ServerSocket answerFirst = new ServerSocket(0, 50, LOOPBACK);
    cleanup.add(answerFirst);
    AtomicLong received = new AtomicLong(-1);
    Thread server = new Thread(() -> {
      try (Socket accepted = answerFirst.accept()) {
        accepted.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        accepted.shutdownOutput();
        received.set(accepted.getInputStream().readAllBytes().length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    server.setDaemon(true);
    server.start();
    try (Socket socket = socks5Connect(port, new byte[] {127, 0, 0, 1}, answerFirst.getLocalPort())) {
      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
      socket.getOutputStream().write(new byte[54321]);
      socket.shutdownOutput();
      server.join(5000);
      assertThat(received.get()).as("bytes the destination read after its own half-close").isEqualTo(54321);
    }
    await("connection closed", Duration.ofSeconds(5), () -> gateway.metrics().activeConnections() == 0);
  }

  @Test
  void slowReaderStopsTheDestinationReadInsteadOfBuffering() throws Exception {
    ServerSocket firehose = new ServerSocket(0, 50, LOOPBACK);
    cleanup.add(firehose);
    AtomicLong written = new AtomicLong();
    long limit = 1L << 30;
    Thread server = new Thread(() -> {
      try (Socket accepted = firehose.accept()) {
        OutputStream out = accepted.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        while (written.get() < limit) {
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = pattern(written.get() + i);
          }
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        // the client closed: expected at the end of the test
      }
    });
    server.setDaemon(true);
    server.start();
    try (Socket socket = socks5Connect(port, new byte[] {127, 0, 0, 1}, firehose.getLocalPort())) {
      await("back-pressure", Duration.ofSeconds(20), () -> gateway.metrics().snapshot().readPauses() > 0);
      long settled = awaitStable(() -> gateway.metrics().snapshot().bytesToClients());
      assertThat(settled).as("bytes the gateway took from the destination while the client read nothing")
          .isLessThan(64L << 20);
      assertThat(written.get()).isLessThan(96L << 20);

      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long offset = 0;
      long target = 256L << 20;
      while (offset < target) {
        int read = in.read(buffer);
        assertThat(read).isPositive();
        for (int i = 0; i < read; i++) {
          if (buffer[i] != pattern(offset + i)) {
            throw new AssertionError("corrupt byte at " + (offset + i));
          }
        }
        offset += read;
      }
      assertThat(gateway.metrics().snapshot().bytesToClients()).isGreaterThanOrEqualTo(target);
    }
  }

  @Test
  void fuzzedHandshakesDoNotDisturbARealTransfer() throws Exception {
    long size = 128L << 20;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    AtomicLong received = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    Thread transfer = new Thread(() -> {
      try (Socket socket = socks5Connect(port, new byte[] {127, 0, 0, 1}, webPort)) {
        socket.getOutputStream().write(("GET /bytes?n=" + size + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        byte[] header = readHeader(in);
        sink.write(header);
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) > 0) {
          for (int i = 0; i < read; i++) {
            if (buffer[i] != pattern(received.get() + i)) {
              mismatches.incrementAndGet();
            }
          }
          received.addAndGet(read);
          Thread.sleep(0, 200_000);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    transfer.start();

    Random random = new Random(42);
    byte[][] seeds = {
        {5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80},
        {5, 2, 0, 2, 1, 1, 'u', 1, 'p'},
        {5, 1, 0, 5, 1, 0, 3, 8, 'w', 'e', 'b', '.', 't', 'e', 's', 't', 0, 80},
        {4, 1, 0, 80, 0, 0, 0, 1, 'u', 0, 'x', 0},
        "GET /proxy.pac HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
    };
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    int sent = 0;
    List<Socket> lingering = new ArrayList<>();
    for (; sent < 3000 && System.nanoTime() < deadline; sent++) {
      byte[] seed = seeds[random.nextInt(seeds.length)];
      byte[] input;
      switch (random.nextInt(3)) {
        case 0 -> input = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
        case 1 -> {
          input = seed.clone();
          for (int flips = 0; flips < 3; flips++) {
            input[random.nextInt(input.length)] = (byte) random.nextInt(256);
          }
        }
        default -> {
          input = new byte[random.nextInt(600)];
          random.nextBytes(input);
        }
      }
      Socket socket = new Socket(LOOPBACK, port);
      socket.setSoLinger(true, 0);
      socket.getOutputStream().write(input);
      if (sent % 100 == 0) {
        lingering.add(socket);
      } else {
        socket.close();
      }
    }
    transfer.join(60_000);
    for (Socket socket : lingering) {
      socket.close();
    }
    assertThat(sent).isGreaterThan(500);
    assertThat(mismatches.get()).isZero();
    assertThat(received.get()).isEqualTo(size);
    assertThat(new String(sink.toByteArray(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
    try (Socket socket = socks5Connect(port, new byte[] {127, 0, 0, 1}, webPort)) {
      assertThat(httpGet(socket, "127.0.0.1", "/")).endsWith(PAGE);
    }
    await("all fuzz connections closed", Duration.ofSeconds(15), () -> gateway.metrics().activeConnections() == 0);
  }

  @Test
  void nonLoopbackBindWithoutProtectionRefusesToStart() {
    assertThatThrownBy(() -> GatewayConfig.builder().bindAddress(InetAddress.getByName("0.0.0.0")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without credentials or a client allow-list");
  }

  @Test
  void portInUseIsAClearError() {
    GatewayConfig sameport = GatewayConfig.builder().port(port).build();
    try (SocksGateway second = new SocksGateway(sameport)) {
      assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot listen");
    }
  }

  private static byte[] readHeader(InputStream in) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int next = in.read();
      if (next < 0) {
        throw new IOException("EOF in header");
      }
      header.write(next);
      matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
    }
    return header.toByteArray();
  }

  private static long awaitStable(LongSupplier value) throws InterruptedException {
    long previous = -1;
    for (int i = 0; i < 100; i++) {
      long current = value.getAsLong();
      if (current == previous) {
        return current;
      }
      previous = current;
      Thread.sleep(300);
    }
    throw new AssertionError("value never settled: " + previous);
  }

  private static byte[] ipv4Request(byte[] address, int destinationPort) {
    return new byte[] {5, 1, 0, 1, address[0], address[1], address[2], address[3], (byte) (destinationPort >> 8),
        (byte) destinationPort};
  }

  private static int rawRequest(int gatewayPort, byte[] request) throws IOException {
    try (Socket socket = new Socket(LOOPBACK, gatewayPort)) {
      socket.setSoTimeout(10_000);
      int code = socks5Request(socket, request);
      if (code != 0) {
        assertThat(socket.getInputStream().read()).as("closed after refusal").isEqualTo(-1);
      }
      return code;
    }
  }

  private static String curl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "10", "--noproxy", ""));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("curl %s: %s", command, output).isZero();
    return output;
  }
}
