package io.minicluster.socks;

import static io.minicluster.socks.LoopbackFixtures.LOOPBACK;
import static io.minicluster.socks.LoopbackFixtures.await;
import static io.minicluster.socks.LoopbackFixtures.socks5Connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.socks.policy.CidrAllowListPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Established relays: no idle timeout by default, TCP keepalive on both legs, a configured timeout still works. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayIdleTest {

  private static final Duration SHORT = Duration.ofMillis(300);
  private static final byte[] LOCALHOST = {127, 0, 0, 1};

  private EchoServer backend;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    backend = new EchoServer(LOOPBACK, "backend");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : cleanup) {
      closeable.close();
    }
    backend.close();
  }

  private SocksGateway start(GatewayConfig.Builder builder) {
    SocksGateway gateway = new SocksGateway(builder.port(0)
        .policy(CidrAllowListPolicy.parse(List.of("127.0.0.1/32"))).build());
    cleanup.add(gateway);
    gateway.start();
    return gateway;
  }

  @Test
  void idleRelayIsClosedOnlyWhenATimeoutIsConfigured() throws Exception {
    SocksGateway withTimeout = start(GatewayConfig.builder().idleTimeout(SHORT));
    SocksGateway byDefault = start(GatewayConfig.builder());
    assertThat(byDefault.config().idleTimeout()).isEmpty();

    try (Socket short1 = socks5Connect(withTimeout.localAddress().getPort(), LOCALHOST, backend.port());
        Socket kept = socks5Connect(byDefault.localAddress().getPort(), LOCALHOST, backend.port())) {
      assertThat(readLine(short1)).isEqualTo("backend");
      assertThat(readLine(kept)).isEqualTo("backend");
      long idleSince = System.nanoTime();

      short1.setSoTimeout(5_000);
      assertThat(short1.getInputStream().read()).as("relay with a %s idle timeout closed", SHORT).isEqualTo(-1);
      await("closed relay forgotten", Duration.ofSeconds(5), () -> withTimeout.metrics().activeConnections() == 0);

      // The default relay has now been idle at least as long as the configured one; keep it idle for five times
      // the short timeout in all, then it must still carry data both ways.
      long idleFor = System.nanoTime() - idleSince;
      long wanted = 5 * SHORT.toNanos();
      if (idleFor < wanted) {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wanted - idleFor));
      }
      assertThat(byDefault.metrics().activeConnections()).isEqualTo(1);
      kept.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readLine(kept)).isEqualTo("still here");
    }
  }

  @Test
  void configuredIdleTimeoutCountsTrafficEitherWay() throws Exception {
    SocksGateway gateway = start(GatewayConfig.builder().idleTimeout(Duration.ofMillis(600)));
    try (Socket socket = socks5Connect(gateway.localAddress().getPort(), LOCALHOST, backend.port())) {
      assertThat(readLine(socket)).isEqualTo("backend");
      for (int i = 0; i < 5; i++) {
        Thread.sleep(250);
        socket.getOutputStream().write(("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readLine(socket)).isEqualTo("ping " + i);
      }
      socket.setSoTimeout(5_000);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void bothLegsHaveTcpKeepAliveWithTheConfiguredTiming() throws Exception {
    assertThat(Files.isReadable(Path.of("/proc/net/tcp"))).as("Linux /proc/net/tcp").isTrue();
    SocksGateway byDefault = start(GatewayConfig.builder());
    SocksGateway tuned = start(GatewayConfig.builder()
        .tcpKeepAlive(new TcpKeepAlive(Duration.ofSeconds(7), Duration.ofSeconds(3), 2)));
    try (EchoServer other = new EchoServer(LOOPBACK, "other");
        Socket viaDefault = socks5Connect(byDefault.localAddress().getPort(), LOCALHOST, backend.port());
        Socket viaTuned = socks5Connect(tuned.localAddress().getPort(), LOCALHOST, other.port())) {
      assertThat(readLine(viaDefault)).isEqualTo("backend");
      assertThat(readLine(viaTuned)).isEqualTo("other");

      // The test's own client socket has no keepalive: the check can tell the difference.
      assertThat(timer(viaDefault.getLocalPort(), byDefault.localAddress().getPort())).isNotEqualTo(KEEPALIVE_TIMER);
      // Client leg: the gateway's accepted socket. Destination leg: the gateway's socket to the backend.
      assertKeepAlive(byDefault.localAddress().getPort(), viaDefault.getLocalPort(), 60);
      assertKeepAlive(-1, backend.port(), 60);
      assertKeepAlive(tuned.localAddress().getPort(), viaTuned.getLocalPort(), 7);
      assertKeepAlive(-1, other.port(), 7);
    }
  }

  private static final int KEEPALIVE_TIMER = 2;

  /**
   * Asserts that the socket with this local port (-1: any) and remote port has its keepalive timer armed, due in at
   * most {@code idleSeconds} (the kernel reports in USER_HZ ticks, 100 a second).
   */
  private static void assertKeepAlive(int localPort, int remotePort, int idleSeconds) throws Exception {
    await("keepalive timer on " + localPort + "->" + remotePort, Duration.ofSeconds(5),
        () -> timer(localPort, remotePort) == KEEPALIVE_TIMER);
    long due = timerDue(localPort, remotePort);
    assertThat(due).as("ticks until the first probe").isPositive().isLessThanOrEqualTo(idleSeconds * 100L);
  }

  private static int timer(int localPort, int remotePort) {
    String[] row = row(localPort, remotePort);
    return row == null ? -1 : Integer.parseInt(row[5].substring(0, 2), 16);
  }

  private static long timerDue(int localPort, int remotePort) {
    return Long.parseLong(row(localPort, remotePort)[5].substring(3), 16);
  }

  /**
   * The established TCP socket's row in /proc/net/tcp or /proc/net/tcp6 (a dual-stack socket carrying IPv4), split
   * on blanks.
   */
  private static String[] row(int localPort, int remotePort) {
    List<String> lines = new ArrayList<>();
    try {
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Path path = Path.of(table);
        if (Files.isReadable(path)) {
          List<String> rows = Files.readAllLines(path);
          lines.addAll(rows.subList(1, rows.size()));
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    for (String line : lines) {
      String[] fields = line.trim().split("\\s+");
      int local = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
      int remote = Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16);
      boolean established = fields[3].equals("01");
      if (established && remote == remotePort && (localPort < 0 || local == localPort)) {
        return fields;
      }
    }
    return null;
  }

  private static String readLine(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    int next;
    try {
      while ((next = in.read()) >= 0 && next != '\n') {
        line.append((char) next);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no line within 5 s, got '" + line + "'", e);
    }
    return line.toString();
  }
}
