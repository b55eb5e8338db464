package io.minicluster.dns;

import static io.minicluster.dns.InMemoryDirectory.port;
import static io.minicluster.dns.InMemoryDirectory.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.dns.ClusterDirectory.EndpointAddress;
import io.minicluster.dns.TestDns.Reply;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server over real UDP and TCP on loopback, with an upstream resolver of the test's own on loopback. */
class DnsServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final InMemoryDirectory directory = new InMemoryDirectory()
      .clusterIp("default", "web", List.of("10.96.0.20"), port("http", 80, "TCP"))
      .externalName("default", "ext", "www.example.com");
  private StubUpstream upstream;
  private DnsServer server;

  @BeforeEach
  void start() throws Exception {
    List<EndpointAddress> many = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      many.add(ready("10.244.1." + i, ""));
    }
    directory.headless("default", "many", false, port("http", 80, "TCP"))
        .endpoints("default", "many", List.of(port("http", 80, "TCP")), many.toArray(EndpointAddress[]::new));
    upstream = new StubUpstream().a("www.example.com", 300, "192.0.2.10").a("example.org", 120, "192.0.2.20");
    server = start(List.of(upstream.address()), 0);
  }

  private DnsServer start(List<InetSocketAddress> upstreams, int port) throws InterruptedException {
    return DnsServer.start(DnsServerConfig.defaults(LOOPBACK, port, List.of(IpAddresses.parse("10.96.0.10")),
        upstreams).withUpstreamTimeout(Duration.ofMillis(300)), directory);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    upstream.close();
  }

  @Test
  void answersClusterNamesOverUdpAndTcp() throws IOException {
    byte[] query = TestDns.query(4711, "Web.Default.svc.cluster.local", RecordTypes.A, 0);
    for (Reply reply : List.of(TestDns.udp(server.address(), query), TestDns.tcp(server.address(), query))) {
      assertThat(reply.id()).isEqualTo(4711);
      assertThat(reply.rcode()).isEqualTo(RecordTypes.NOERROR);
      assertThat(reply.authoritative()).isTrue();
      assertThat(reply.questions()).isEqualTo(1);
      assertThat(reply.answers()).containsExactly("Web.Default.svc.cluster.local. 5 A 10.96.0.20");
    }
  }

  @Test
  void negativeAnswersCarryTheSoaForNegativeCaching() throws IOException {
    Reply nx = TestDns.udp(server.address(), TestDns.query(1, "nope.default.svc.cluster.local", RecordTypes.A, 0));
    assertThat(nx.rcode()).isEqualTo(RecordTypes.NXDOMAIN);
    assertThat(nx.authority()).containsExactly("cluster.local. 5 SOA ns.dns.cluster.local. minimum 5");
    Reply nodata = TestDns.udp(server.address(), TestDns.query(2, "web.default.svc.cluster.local",
        RecordTypes.AAAA, 0));
    assertThat(nodata.rcode()).isEqualTo(RecordTypes.NOERROR);
    assertThat(nodata.answers()).isEmpty();
    assertThat(nodata.authority()).hasSize(1);
  }

  @Test
  void udpAnswersLargerThanTheClientAcceptsAreTruncatedAndWholeOverTcp() throws IOException {
    Reply plain = TestDns.udp(server.address(), TestDns.query(1, "many.default.svc.cluster.local", 1, 0));
    assertThat(plain.truncated()).isTrue();
    assertThat(plain.length()).isLessThanOrEqualTo(512);
    assertThat(plain.answers()).hasSizeLessThan(60);

    Reply small = TestDns.udp(server.address(), TestDns.query(2, "many.default.svc.cluster.local", 1, 600));
    assertThat(small.truncated()).isTrue();
    assertThat(small.length()).isLessThanOrEqualTo(600);
    assertThat(small.optSize()).isEqualTo(DnsWire.ADVERTISED_UDP_SIZE);

    Reply large = TestDns.udp(server.address(), TestDns.query(3, "many.default.svc.cluster.local", 1, 4096));
    assertThat(large.truncated()).isFalse();
    assertThat(large.answers()).hasSize(60);

    Reply tcp = TestDns.tcp(server.address(), TestDns.query(4, "many.default.svc.cluster.local", 1, 0));
    assertThat(tcp.truncated()).isFalse();
    assertThat(tcp.answers()).hasSize(60).contains("many.default.svc.cluster.local. 5 A 10.244.1.60");
    // owner names are compressed (a pointer to the question): 16 bytes an address record, not 50
    assertThat(tcp.length()).isLessThan(12 + 36 + 60 * 16 + 100);
  }

  @Test
  void srvAnswersCarryTheTargetsAddresses() throws IOException {
    Reply reply = TestDns.tcp(server.address(), TestDns.query(1, "_http._tcp.web.default.svc.cluster.local",
        RecordTypes.SRV, 0));
    assertThat(reply.answers()).containsExactly(
        "_http._tcp.web.default.svc.cluster.local. 5 SRV 0 100 80 web.default.svc.cluster.local.");
    assertThat(reply.additional()).containsExactly("web.default.svc.cluster.local. 5 A 10.96.0.20");
  }

  @Test
  void unreadableQueriesGetFormerrOrNotimpAndResponsesNothing() throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5000);
      byte[] twoQuestions = TestDns.query(7, "web.default.svc.cluster.local", 1, 0);
      twoQuestions[5] = 2;
      send(socket, twoQuestions);
      Reply formerr = TestDns.receive(socket);
      assertThat(formerr.id()).isEqualTo(7);
      assertThat(formerr.rcode()).isEqualTo(RecordTypes.FORMERR);

      byte[] status = TestDns.query(8, "web.default.svc.cluster.local", 1, 0);
      status[2] = (byte) (2 << 3);
      send(socket, status);
      assertThat(TestDns.receive(socket).rcode()).isEqualTo(RecordTypes.NOTIMP);

      byte[] cut = TestDns.query(9, "web.default.svc.cluster.local", 1, 0);
      send(socket, Arrays.copyOf(cut, cut.length - 3));
      Reply truncatedQuery = TestDns.receive(socket);
      assertThat(truncatedQuery.id()).isEqualTo(9);
      assertThat(truncatedQuery.rcode()).isEqualTo(RecordTypes.FORMERR);

      // a response (QR set) is not answered: the next thing this socket receives answers the next query
      byte[] response = TestDns.query(10, "web.default.svc.cluster.local", 1, 0);
      response[2] |= (byte) 0x80;
      send(socket, response);
      send(socket, TestDns.query(11, "web.default.svc.cluster.local", 1, 0));
      assertThat(TestDns.receive(socket).id()).isEqualTo(11);
    }
  }

  @Test
  void unsupportedEdnsVersionIsBadvers() throws IOException {
    byte[] query = TestDns.query(1, "web.default.svc.cluster.local", 1, 1232);
    query[query.length - 5] = 1; // the OPT record's version byte
    Reply reply = TestDns.udp(server.address(), query);
    assertThat(reply.rcode()).isEqualTo(RecordTypes.BADVERS);
  }

  @Test
  void thousandsOfGarbledPacketsLeaveTheServerAnswering() throws IOException {
    Random random = new Random(42);
    byte[] valid = TestDns.query(1, "web.default.svc.cluster.local", RecordTypes.SRV, 1232);
    try (DatagramSocket socket = new DatagramSocket()) {
      for (int i = 0; i < 5000; i++) {
        if (i % 50 == 49) {
          // between bursts (no more than a socket buffer holds), a query still answers
          Reply reply = TestDns.udp(server.address(), TestDns.query(i, "web.default.svc.cluster.local", 1, 0));
          assertThat(reply.id()).isEqualTo(i);
          assertThat(reply.answers()).hasSize(1);
        }
        byte[] packet;
        switch (i % 4) {
          case 0 -> {
            packet = new byte[random.nextInt(600)];
            random.nextBytes(packet);
          }
          case 1 -> {
            packet = valid.clone();
            for (int flips = 0; flips < 1 + random.nextInt(6); flips++) {
              packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
            }
          }
          case 2 -> packet = Arrays.copyOf(valid, random.nextInt(valid.length));
          default -> {
            // compression pointers pointing at themselves or past the end
            packet = valid.clone();
            packet[12] = (byte) 0xC0;
            packet[13] = (byte) (random.nextBoolean() ? 12 : random.nextInt(256));
          }
        }
        if (packet.length > 2) {
          packet[2] &= 0x7F; // queries, so that the server reads them
        }
        send(socket, packet);
      }
    }
    for (int i = 0; i < 3; i++) {
      Reply reply = TestDns.udp(server.address(), TestDns.query(100 + i, "web.default.svc.cluster.local", 1, 0));
      assertThat(reply.id()).isEqualTo(100 + i);
      assertThat(reply.answers()).containsExactly("web.default.svc.cluster.local. 5 A 10.96.0.20");
    }
    byte[] tcpGarbage = new byte[300];
    random.nextBytes(tcpGarbage);
    try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
      socket.getOutputStream().write(tcpGarbage);
    }
    assertThat(TestDns.tcp(server.address(), TestDns.query(5, "web.default.svc.cluster.local", 1, 0)).answers())
        .hasSize(1);
  }

  private void send(DatagramSocket socket, byte[] packet) throws IOException {
    socket.send(new DatagramPacket(packet, packet.length, server.address()));
  }

  @Test
  void otherNamesAreForwardedAndCached() throws IOException {
    Reply first = TestDns.udp(server.address(), TestDns.query(1, "Example.ORG", RecordTypes.A, 0));
    assertThat(first.id()).isEqualTo(1);
    assertThat(first.rcode()).isEqualTo(RecordTypes.NOERROR);
    assertThat(first.authoritative()).isFalse();
    assertThat(first.optSize()).isZero();
    assertThat(first.answers()).singleElement().asString().startsWith("example.org. ").endsWith(" A 192.0.2.20");
    assertThat(Long.parseLong(first.answers().get(0).split(" ")[1])).isBetween(1L, 30L);

    Reply second = TestDns.tcp(server.address(), TestDns.query(2, "example.org", RecordTypes.A, 1232));
    assertThat(second.id()).isEqualTo(2);
    assertThat(second.answers()).hasSize(1);
    assertThat(second.optSize()).isEqualTo(DnsWire.ADVERTISED_UDP_SIZE);
    assertThat(upstream.questions("example.org")).isEqualTo(1);
  }

  @Test
  void forwardedAnswersTooLargeForTheClientAreTruncatedAndWholeOverTcp() throws IOException {
    String[] ips = new String[60];
    for (int i = 0; i < ips.length; i++) {
      ips[i] = "192.0.2." + (i + 1);
    }
    upstream.a("big.example", 300, ips);
    Reply udp = TestDns.udp(server.address(), TestDns.query(1, "big.example", RecordTypes.A, 0));
    assertThat(udp.truncated()).isTrue();
    assertThat(udp.length()).isLessThanOrEqualTo(512);
    Reply tcp = TestDns.tcp(server.address(), TestDns.query(2, "big.example", RecordTypes.A, 0));
    assertThat(tcp.truncated()).isFalse();
    assertThat(tcp.answers()).hasSize(60);
    assertThat(upstream.questions("big.example")).isEqualTo(1);
  }

  @Test
  void negativeUpstreamAnswersAreCachedToo() throws IOException {
    for (int i = 0; i < 3; i++) {
      Reply reply = TestDns.udp(server.address(), TestDns.query(i, "missing.example", RecordTypes.A, 0));
      assertThat(reply.rcode()).isEqualTo(RecordTypes.NXDOMAIN);
      assertThat(reply.authority()).hasSize(1);
    }
    assertThat(upstream.questions("missing.example")).isEqualTo(1);
  }

  @Test
  void aTruncatedUpstreamAnswerIsFetchedAgainOverTcp() throws IOException {
    Reply reply = TestDns.udp(server.address(), TestDns.query(1, "tc-big.example", RecordTypes.A, 0));
    assertThat(reply.truncated()).isFalse();
    assertThat(reply.answers()).singleElement().asString().endsWith(" A 192.0.2.99");
    assertThat(upstream.tcpQueries()).isEqualTo(1);
  }

  @Test
  void anUpstreamThatDoesNotAnswerIsPassedOver() throws Exception {
    try (StubUpstream down = new StubUpstream().silent()) {
      server.close();
      server = start(List.of(down.address(), upstream.address()), 0);
      Reply reply = TestDns.udp(server.address(), TestDns.query(1, "example.org", RecordTypes.A, 0));
      assertThat(reply.answers()).hasSize(1);
      assertThat(down.questions("example.org")).isEqualTo(1);
    }
  }

  @Test
  void withNoUpstreamAnsweringTheAnswerIsServfail() throws Exception {
    try (StubUpstream down = new StubUpstream().silent()) {
      server.close();
      server = start(List.of(down.address()), 0);
      Reply reply = TestDns.udp(server.address(), TestDns.query(1, "example.org", RecordTypes.A, 0));
      assertThat(reply.rcode()).isEqualTo(RecordTypes.SERVFAIL);
    }
  }

  @Test
  void answersFromAnotherPortOrWithAnotherIdAreNotTaken() throws Exception {
    for (StubUpstream.Spoof spoof : StubUpstream.Spoof.values()) {
      try (StubUpstream spoofing = new StubUpstream().a("example.org", 60, "203.0.113.66").spoofing(spoof)) {
        server.close();
        server = start(List.of(spoofing.address()), 0);
        Reply reply = TestDns.udp(server.address(), TestDns.query(1, "example.org", RecordTypes.A, 0));
        assertThat(reply.rcode()).as(spoof.name()).isEqualTo(RecordTypes.SERVFAIL);
        assertThat(spoofing.questions("example.org")).isEqualTo(1);
      }
    }
  }

  @Test
  void neverForwardsToItself() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      port = probe.getLocalPort();
    }
    server.close();
    InetSocketAddress self = new InetSocketAddress(LOOPBACK, port);
    server = start(List.of(self, upstream.address()), port);
    assertThat(server.upstreams()).containsExactly(upstream.address());
    assertThat(TestDns.udp(server.address(), TestDns.query(1, "example.org", 1, 0)).answers()).hasSize(1);

    InetSocketAddress wildcard = new InetSocketAddress(53);
    assertThat(DnsServer.withoutSelf(List.of(new InetSocketAddress(LOOPBACK, 53),
        new InetSocketAddress(IpAddresses.parse("192.0.2.1"), 53)), wildcard))
        .containsExactly(new InetSocketAddress(IpAddresses.parse("192.0.2.1"), 53));
  }

  @Test
  void externalNamesAreCompletedThroughTheUpstream() throws IOException {
    Reply reply = TestDns.udp(server.address(), TestDns.query(1, "ext.default.svc.cluster.local", 1, 0));
    assertThat(reply.rcode()).isEqualTo(RecordTypes.NOERROR);
    assertThat(reply.answers()).hasSize(2);
    assertThat(reply.answers().get(0)).isEqualTo("ext.default.svc.cluster.local. 5 CNAME www.example.com.");
    assertThat(reply.answers().get(1)).startsWith("www.example.com. ").endsWith(" A 192.0.2.10");
  }

  @Test
  void reverseNamesOutsideTheClusterAreForwarded() throws IOException {
    Reply cluster = TestDns.udp(server.address(), TestDns.query(1, "20.0.96.10.in-addr.arpa", RecordTypes.PTR, 0));
    assertThat(cluster.answers()).containsExactly("20.0.96.10.in-addr.arpa. 5 PTR web.default.svc.cluster.local.");
    Reply other = TestDns.udp(server.address(), TestDns.query(2, "1.2.0.192.in-addr.arpa", RecordTypes.PTR, 0));
    assertThat(other.rcode()).isEqualTo(RecordTypes.NXDOMAIN);
    assertThat(upstream.questions("1.2.0.192.in-addr.arpa")).isEqualTo(1);
    assertThat(upstream.questions("20.0.96.10.in-addr.arpa")).isZero();
  }
}
