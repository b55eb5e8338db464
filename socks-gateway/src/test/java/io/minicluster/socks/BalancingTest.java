package io.minicluster.socks;

import static io.minicluster.socks.LoopbackFixtures.LOOPBACK;
import static io.minicluster.socks.LoopbackFixtures.socks5Request;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.policy.DestinationPolicy;
import io.minicluster.socks.policy.DestinationRequest;
import io.minicluster.socks.policy.PolicyDecision;
import io.minicluster.socks.resolve.NameResolver;
import io.minicluster.socks.resolve.Resolution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-connection balancing over the addresses a resolver or a policy supplies (the daemon's ready endpoints of a
 * service), with real backends on loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BalancingTest {

  private static final InetAddress SERVICE_IP = Cidr.parseAddressLiteral("10.96.0.10");
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : cleanup) {
      closeable.close();
    }
  }

  @Test
  void aNameWithSeveralAddressesIsBalancedPerConnection() throws Exception {
    List<EchoServer> backends = samePortOnThreeLoopbackAddresses();
    int backendPort = backends.get(0).port();
    List<InetAddress> addresses = List.of(address("127.0.0.1"), address("127.0.0.2"), address("127.0.0.3"));
    List<String> seenByPolicy = new ArrayList<>();
    DestinationPolicy loopbackOnly = CidrAllowListPolicy.parse(List.of("127.0.0.0/8"));
    int port = start(GatewayConfig.builder()
        .resolver(name -> name.equals("web.test") ? Resolution.resolved(addresses) : Resolution.unknown())
        .policy(request -> {
          synchronized (seenByPolicy) {
            seenByPolicy.add(request.address().getHostAddress());
          }
          return loopbackOnly.evaluate(request);
        }));

    Map<String, Integer> answers = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      answers.merge(greetingVia(port, domainRequest("web.test", backendPort)), 1, Integer::sum);
    }
    assertThat(answers.keySet()).containsExactlyInAnyOrder("b1", "b2", "b3");
    assertThat(seenByPolicy).as("the policy judges the address picked").hasSize(60)
        .containsOnly("127.0.0.1", "127.0.0.2", "127.0.0.3");
  }

  @Test
  void aPolicyMappingAServiceToItsEndpointsIsBalancedAndFollowsTheirChanges() throws Exception {
    EchoServer first = echo("v1-a");
    EchoServer second = echo("v1-b");
    EchoServer third = echo("v1-c");
    AtomicReference<List<InetSocketAddress>> endpoints =
        new AtomicReference<>(List.of(endpoint(first), endpoint(second), endpoint(third)));
    int port = start(GatewayConfig.builder().policy(service(endpoints)));

    Map<String, Integer> answers = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      answers.merge(greetingVia(port, ipv4Request(SERVICE_IP, 80)), 1, Integer::sum);
    }
    assertThat(answers.keySet()).containsExactlyInAnyOrder("v1-a", "v1-b", "v1-c");

    // A rolling update: the daemon's list now holds the new pods only; every new connection follows it.
    EchoServer replacementA = echo("v2-a");
    EchoServer replacementB = echo("v2-b");
    endpoints.set(List.of(endpoint(replacementA), endpoint(replacementB)));
    answers.clear();
    for (int i = 0; i < 30; i++) {
      answers.merge(greetingVia(port, ipv4Request(SERVICE_IP, 80)), 1, Integer::sum);
    }
    assertThat(answers.keySet()).containsExactlyInAnyOrder("v2-a", "v2-b");
  }

  @Test
  void anEndpointThatRefusesIsSkippedForAnother() throws Exception {
    EchoServer live = echo("live");
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = probe.getLocalPort();
    }
    AtomicReference<List<InetSocketAddress>> endpoints = new AtomicReference<>(
        List.of(new InetSocketAddress(LOOPBACK, closedPort), endpoint(live)));
    SocksGateway gateway = new SocksGateway(GatewayConfig.builder().port(0).policy(service(endpoints)).build());
    cleanup.add(gateway);
    int port = gateway.start();
    for (int i = 0; i < 20; i++) {
      assertThat(greetingVia(port, ipv4Request(SERVICE_IP, 80))).isEqualTo("live");
    }
    assertThat(gateway.metrics().snapshot().totalRefusals()).isZero();

    endpoints.set(List.of(new InetSocketAddress(LOOPBACK, closedPort)));
    try (Socket socket = new Socket(LOOPBACK, port)) {
      socket.setSoTimeout(10_000);
      assertThat(socks5Request(socket, ipv4Request(SERVICE_IP, 80))).as("connection refused").isEqualTo(0x05);
    }
  }

  /** A policy that knows one service, 10.96.0.10:80, and sends its connections to the current endpoints. */
  private static DestinationPolicy service(AtomicReference<List<InetSocketAddress>> endpoints) {
    return (DestinationRequest request) -> request.address().equals(SERVICE_IP) && request.port() == 80
        ? PolicyDecision.allowVia(endpoints.get(), "service web")
        : PolicyDecision.deny("not the service");
  }

  private int start(GatewayConfig.Builder builder) {
    SocksGateway gateway = new SocksGateway(builder.port(0).build());
    cleanup.add(gateway);
    return gateway.start();
  }

  private EchoServer echo(String name) throws IOException {
    EchoServer server = new EchoServer(LOOPBACK, name);
    cleanup.add(server);
    return server;
  }

  private static InetSocketAddress endpoint(EchoServer server) {
    return new InetSocketAddress(LOOPBACK, server.port());
  }

  /** Three backends b1, b2, b3 on 127.0.0.1, .2 and .3, all on the same port (retried if the port is taken). */
  private List<EchoServer> samePortOnThreeLoopbackAddresses() throws IOException {
    for (int attempt = 0; ; attempt++) {
      EchoServer first = echo("b1");
      try {
        EchoServer second = new EchoServer(address("127.0.0.2"), "b2", first.port());
        cleanup.add(second);
        EchoServer third = new EchoServer(address("127.0.0.3"), "b3", first.port());
        cleanup.add(third);
        return List.of(first, second, third);
      } catch (IOException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static InetAddress address(String literal) {
    return Cidr.parseAddressLiteral(literal);
  }

  /** Connects through the gateway and returns the first line the backend sends (its name). */
  private static String greetingVia(int gatewayPort, byte[] request) throws IOException {
    try (Socket socket = new Socket(LOOPBACK, gatewayPort)) {
      socket.setSoTimeout(10_000);
      int reply = socks5Request(socket, request);
      assertThat(reply).as("SOCKS5 reply").isZero();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int next;
      while ((next = in.read()) >= 0 && next != '\n') {
        line.write(next);
      }
      return line.toString(StandardCharsets.US_ASCII);
    }
  }

  private static byte[] domainRequest(String host, int port) {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(new byte[] {5, 1, 0, 3, (byte) name.length});
    request.writeBytes(name);
    request.writeBytes(new byte[] {(byte) (port >> 8), (byte) port});
    return request.toByteArray();
  }

  private static byte[] ipv4Request(InetAddress address, int port) {
    byte[] ip = address.getAddress();
    return new byte[] {5, 1, 0, 1, ip[0], ip[1], ip[2], ip[3], (byte) (port >> 8), (byte) port};
  }
}
