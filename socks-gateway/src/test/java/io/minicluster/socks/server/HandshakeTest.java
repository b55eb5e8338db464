package io.minicluster.socks.server;

import static io.minicluster.socks.server.EmbeddedGateway.bytes;
import static io.minicluster.socks.server.EmbeddedGateway.received;
import static io.minicluster.socks.server.EmbeddedGateway.send;
import static io.minicluster.socks.server.EmbeddedGateway.sendRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.socks.Credentials;
import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.StatusEntry;
import io.minicluster.socks.StatusLink;
import io.minicluster.socks.StatusSection;
import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.policy.RefusalReason;
import io.minicluster.socks.resolve.StaticNameResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  private static final int[] SOCKS5_NO_AUTH = {5, 1, 0};
  private static final int[] CONNECT_10_0_0_5_80 = {5, 1, 0, 1, 10, 0, 0, 5, 0, 80};

  private static GatewayConfig.Builder config() {
    return GatewayConfig.builder()
        .policy(CidrAllowListPolicy.parse(List.of("10.0.0.0/8", "fd00::/8")))
        .resolver(new StaticNameResolver(Map.of("web.test", address("10.0.0.7"), "lo.test", address("127.0.0.1")),
            List.of(".test")));
  }

  private static InetAddress address(String literal) {
    return Cidr.parseAddressLiteral(literal);
  }

  @Test
  void socks5NoAuthIpv4ConnectRelaysBothWays() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();

    send(client, SOCKS5_NO_AUTH);
    assertThat(received(client)).containsExactly(5, 0);
    send(client, CONNECT_10_0_0_5_80);

    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("10.0.0.5"), 80));
    byte[] reply = received(client);
    assertThat(reply).hasSize(10);
    assertThat(reply[0]).isEqualTo((byte) 5);
    assertThat(reply[1]).isEqualTo((byte) 0);
    assertThat(reply[3]).isEqualTo((byte) 1);
    assertThat(gateway.policyRequests.get(0).requestedHost()).isNull();

    EmbeddedChannel upstream = gateway.upstreams.get(0);
    sendRaw(client, "hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(received(upstream)).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
    upstream.writeInbound(Unpooled.copiedBuffer("world!", StandardCharsets.US_ASCII));
    assertThat(received(client)).asString(StandardCharsets.US_ASCII).isEqualTo("world!");

    assertThat(gateway.metrics.snapshot().bytesFromClients()).isEqualTo(5);
    assertThat(gateway.metrics.snapshot().bytesToClients()).isEqualTo(6);
    assertThat(gateway.metrics.snapshot().relayedConnections()).isEqualTo(1);
    assertThat(ConnectionContext.of(client).accessLogLine()).contains(" destination=10.0.0.5:80 outcome=\"relayed to ");
    assertThat(client.pipeline().get(Socks5Handshake.NAME)).isNull();
    assertThat(ConnectionContext.of(client).handshakeDone()).isTrue();
  }

  @Test
  void closingEitherSideClosesTheOther() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    send(client, CONNECT_10_0_0_5_80);
    EmbeddedChannel upstream = gateway.upstreams.get(0);
    upstream.close();
    client.runPendingTasks();
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.metrics.activeConnections()).isZero();
  }

  @Test
  void earlyDataSentWithTheRequestReachesTheDestination() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    byte[] request = bytes(CONNECT_10_0_0_5_80);
    byte[] withData = new byte[request.length + 3];
    System.arraycopy(request, 0, withData, 0, request.length);
    withData[request.length] = 'G';
    withData[request.length + 1] = 'E';
    withData[request.length + 2] = 'T';
    sendRaw(client, withData);
    assertThat(received(gateway.upstreams.get(0))).asString(StandardCharsets.US_ASCII).isEqualTo("GET");
  }

  /** A client whose SOCKS5 request was read and whose destination stays connecting until completeConnects. */
  private static EmbeddedChannel connectingClient(EmbeddedGateway gateway) {
    gateway.deferConnects = true;
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    send(client, CONNECT_10_0_0_5_80);
    return client;
  }

  @Test
  void earlyDataPastTheLimitPausesReadingUntilTheRelayStarts() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = connectingClient(gateway);
    sendRaw(client, new byte[1000]);
    assertThat(client.config().isAutoRead()).as("reading on under the limit").isTrue();
    sendRaw(client, new byte[SocksHandshakeDecoder.EARLY_DATA_LIMIT]);
    assertThat(client.config().isAutoRead()).as("reading paused past the limit").isFalse();

    gateway.completeConnects(client);
    assertThat(client.config().isAutoRead()).isTrue();
    assertThat(received(gateway.upstreams.get(0))).hasSize(1000 + SocksHandshakeDecoder.EARLY_DATA_LIMIT);
  }

  @Test
  void endOfInputWhileConnectingKeepsTheEarlyData() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = connectingClient(gateway);
    sendRaw(client, "last words".getBytes(StandardCharsets.US_ASCII));
    client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(client.isOpen()).as("kept open while connecting").isTrue();

    gateway.completeConnects(client);
    EmbeddedChannel upstream = gateway.upstreams.get(0);
    assertThat(received(upstream)).asString(StandardCharsets.US_ASCII).isEqualTo("last words");
  }

  @Test
  void endOfInputBeforeTheRequestIsCompleteCloses() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    send(client, 5, 1, 0);
    client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.connects).isEmpty();
  }

  @Test
  void greetingAndRequestInOneSegmentWork() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, 5, 1, 0, 5, 1, 0, 1, 10, 0, 0, 5, 0, 80);
    byte[] reply = received(client);
    assertThat(reply).hasSize(2 + 10);
    assertThat(reply[3]).isEqualTo((byte) 0);
    assertThat(gateway.connects).hasSize(1);
  }

  @Test
  void usernamePasswordAccepted() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().credentials(new Credentials("user", "pass")).build());
    EmbeddedChannel client = gateway.newClient();
    send(client, 5, 2, 0, 2);
    assertThat(received(client)).containsExactly(5, 2);
    send(client, 1, 4, 'u', 's', 'e', 'r', 4, 'p', 'a', 's', 's');
    assertThat(received(client)).containsExactly(1, 0);
    send(client, CONNECT_10_0_0_5_80);
    assertThat(received(client)[1]).isEqualTo((byte) 0);
    assertThat(gateway.connects).hasSize(1);
  }

  @Test
  void wrongPasswordRejectedAndClosed() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().credentials(new Credentials("user", "pass")).build());
    EmbeddedChannel client = gateway.newClient();
    send(client, 5, 1, 2);
    assertThat(received(client)).containsExactly(5, 2);
    send(client, 1, 4, 'u', 's', 'e', 'r', 4, 'p', 'a', 's', 'x');
    assertThat(received(client)).containsExactly(1, 1);
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.connects).isEmpty();
    assertThat(gateway.metrics.snapshot().refusals(RefusalReason.AUTHENTICATION_FAILED)).isEqualTo(1);
  }

  @Test
  void noAcceptableMethodWhenCredentialsRequiredButNotOffered() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().credentials(new Credentials("user", "pass")).build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    assertThat(received(client)).containsExactly(5, 0xFF);
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.metrics.snapshot().refusals(RefusalReason.NO_ACCEPTABLE_AUTH_METHOD)).isEqualTo(1);
  }

  @Test
  void ipv6Connect() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    assertThat(received(client)).containsExactly(5, 0);
    send(client, 5, 1, 0, 4, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0xBB);
    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("fd00::1"), 443));
    assertThat(received(client)).startsWith(5, 0, 0);
    assertThat(ConnectionContext.of(client).accessLogLine()).contains(" destination=[fd00::1]:443 ");
  }

  @Test
  void domainNameResolvedByPluggedResolverAndPassedToPolicy() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    assertThat(received(client)).containsExactly(5, 0);
    sendRaw(client, domainRequest("WEB.test.", 8080));
    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("10.0.0.7"), 8080));
    assertThat(gateway.policyRequests.get(0).requestedHost()).isEqualTo("web.test");
    assertThat(received(client)).startsWith(5, 0, 0);
    assertThat(ConnectionContext.of(client).accessLogLine())
        .contains(" protocol=SOCKS5 destination=WEB.test.:8080 outcome=\"relayed to ");
  }

  @Test
  void domainHoldingAnIpLiteralSkipsTheResolver() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    sendRaw(client, domainRequest("10.1.2.3", 80));
    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("10.1.2.3"), 80));
  }

  @Test
  void nameNotServedIsRefusedAsNotAllowedWithoutSystemDns() {
    assertSocks5Refusal(config().build(), domainRequest("example.com", 80), 0x02, RefusalReason.NAME_NOT_ALLOWED);
  }

  @Test
  void unknownNameInOwnedZoneIsHostUnreachable() {
    assertSocks5Refusal(config().build(), domainRequest("nope.test", 80), 0x04, RefusalReason.NAME_NOT_FOUND);
  }

  @Test
  void systemDnsUsedOnlyWhenAllowed() {
    GatewayConfig allowingLoopback = config()
        .policy(CidrAllowListPolicy.parse(List.of("127.0.0.1/32")))
        .systemDnsAllowed(true)
        .build();
    EmbeddedGateway gateway = new EmbeddedGateway(allowingLoopback);
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    sendRaw(client, domainRequest("localhost", 80));
    assertThat(gateway.connects).hasSize(1);
    assertThat(gateway.connects.get(0).getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void destinationOutsideAllowListRefusedByRuleset() {
    assertSocks5Refusal(config().build(), bytes(5, 1, 0, 1, 192, 168, 1, 1, 0, 80), 0x02,
        RefusalReason.DESTINATION_NOT_ALLOWED);
  }

  @Test
  void loopbackRefusedByDefaultEvenThroughAName() {
    assertSocks5Refusal(config().build(), bytes(5, 1, 0, 1, 127, 0, 0, 1, 0, 80), 0x02,
        RefusalReason.DESTINATION_NOT_ALLOWED);
    assertSocks5Refusal(config().build(), domainRequest("lo.test", 80), 0x02,
        RefusalReason.DESTINATION_NOT_ALLOWED);
  }

  @Test
  void defaultConfigRefusesEverything() {
    assertSocks5Refusal(GatewayConfig.builder().build(), bytes(CONNECT_10_0_0_5_80), 0x02,
        RefusalReason.DESTINATION_NOT_ALLOWED);
  }

  @Test
  void connectFailuresMapToReplyCodes() {
    assertConnectFailure(new ConnectException("Connection refused"), 0x05, RefusalReason.CONNECTION_REFUSED);
    assertConnectFailure(new ConnectTimeoutException("connection timed out: /10.0.0.5:80"), 0x06,
        RefusalReason.CONNECT_TIMEOUT);
    assertConnectFailure(new NoRouteToHostException("No route to host"), 0x04, RefusalReason.HOST_UNREACHABLE);
    assertConnectFailure(new ConnectException("connect(..) failed: Network is unreachable"), 0x03,
        RefusalReason.NETWORK_UNREACHABLE);
  }

  @Test
  void bindAndUdpAssociateAreCommandNotSupported() {
    assertSocks5Refusal(config().build(), bytes(5, 2, 0, 1, 10, 0, 0, 5, 0, 80), 0x07,
        RefusalReason.COMMAND_NOT_SUPPORTED);
    assertSocks5Refusal(config().build(), bytes(5, 3, 0, 1, 0, 0, 0, 0, 0, 0), 0x07,
        RefusalReason.COMMAND_NOT_SUPPORTED);
  }

  @Test
  void unknownAddressTypeIsAddressTypeNotSupported() {
    assertSocks5Refusal(config().build(), bytes(5, 1, 0, 9, 1, 2, 3, 4, 0, 80), 0x08,
        RefusalReason.ADDRESS_TYPE_NOT_SUPPORTED);
  }

  @Test
  void socks4Connect() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, 4, 1, 0, 80, 10, 0, 0, 5, 'b', 'o', 'b', 0);
    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("10.0.0.5"), 80));
    assertThat(received(client)).containsExactly(0, 0x5A, 0, 80, 10, 0, 0, 5);
    sendRaw(client, "ping".getBytes(StandardCharsets.US_ASCII));
    assertThat(received(gateway.upstreams.get(0))).asString(StandardCharsets.US_ASCII).isEqualTo("ping");
  }

  @Test
  void socks4aResolvesTheName() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, 4, 1, 0x1F, 0x90, 0, 0, 0, 1, 0, 'w', 'e', 'b', '.', 't', 'e', 's', 't', 0);
    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("10.0.0.7"), 8080));
    assertThat(received(client)[1]).isEqualTo((byte) 0x5A);
    assertThat(gateway.policyRequests.get(0).requestedHost()).isEqualTo("web.test");
  }

  @Test
  void socks4RefusalsAnswer5B() {
    assertSocks4Refusal(config().build(), bytes(4, 1, 0, 80, 127, 0, 0, 1, 0), RefusalReason.DESTINATION_NOT_ALLOWED);
    assertSocks4Refusal(config().build(), bytes(4, 2, 0, 80, 10, 0, 0, 5, 0), RefusalReason.COMMAND_NOT_SUPPORTED);
    assertSocks4Refusal(config().credentials(new Credentials("u", "p")).build(), bytes(4, 1, 0, 80, 10, 0, 0, 5, 0),
        RefusalReason.AUTHENTICATION_FAILED);
    assertSocks4Refusal(config().build(), bytes(4, 1, 0, 80, 0, 0, 0, 1, 0, 'x', '.', 'o', 'r', 'g', 0),
        RefusalReason.NAME_NOT_ALLOWED);
  }

  @Test
  void truncatedHandshakeWaitsThenTimesOut() {
    GatewayConfig config = config().handshakeTimeout(Duration.ofSeconds(5)).build();
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    client.freezeTime();
    send(client, 5, 1, 0, 5, 1, 0, 1, 10, 0);
    assertThat(received(client)).containsExactly(5, 0);
    assertThat(client.isOpen()).isTrue();
    assertThat(gateway.connects).isEmpty();
    client.advanceTimeBy(6, TimeUnit.SECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.metrics.snapshot().refusals(RefusalReason.HANDSHAKE_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void idleRelayClosesAfterTheIdleTimeoutAndTrafficEitherWayResetsIt() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().idleTimeout(Duration.ofSeconds(2)).build());
    EmbeddedChannel client = gateway.newClient();
    client.freezeTime();
    send(client, SOCKS5_NO_AUTH);
    send(client, CONNECT_10_0_0_5_80);
    EmbeddedChannel upstream = gateway.upstreams.get(0);
    for (int i = 0; i < 3; i++) {
      client.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
      client.runScheduledPendingTasks();
      if (i % 2 == 0) {
        sendRaw(client, new byte[] {1});
      } else {
        upstream.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));
      }
    }
    assertThat(client.isOpen()).as("open while traffic flows every 1.5 s").isTrue();
    client.advanceTimeBy(2500, TimeUnit.MILLISECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.isOpen()).as("closed after 2.5 s without traffic").isFalse();
    assertThat(gateway.metrics.activeConnections()).isZero();
  }

  @Test
  void idleRelayIsNeverClosedWithoutAConfiguredTimeout() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    client.freezeTime();
    send(client, SOCKS5_NO_AUTH);
    send(client, CONNECT_10_0_0_5_80);
    client.advanceTimeBy(3, TimeUnit.HOURS);
    client.runScheduledPendingTasks();
    assertThat(client.isOpen()).isTrue();
    assertThat(gateway.upstreams.get(0).isOpen()).isTrue();
  }

  @Test
  void httpConnectionWaitingForItsNextRequestClosesAfterTheHttpIdleTimeout() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().httpIdleTimeout(Duration.ofSeconds(3)).build());
    EmbeddedChannel client = gateway.newClient();
    client.freezeTime();
    sendRaw(client, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
    client.advanceTimeBy(2, TimeUnit.SECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.isOpen()).as("open within the keep-alive timeout").isTrue();
    client.advanceTimeBy(2, TimeUnit.SECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.isOpen()).as("closed after it").isFalse();
  }

  @Test
  void truncatedSocks4UserIdWaits() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    send(client, 4, 1, 0, 80, 10, 0, 0, 5, 'b', 'o');
    assertThat(client.isOpen()).isTrue();
    assertThat(received(client)).isEmpty();
    send(client, 'b', 0);
    assertThat(received(client)[1]).isEqualTo((byte) 0x5A);
  }

  @Test
  void garbageAfterSocksVersionIsClosedAsMalformed() {
    assertMalformed(bytes(5, 0));
    assertMalformed(bytes(5, 1, 0, 4, 1, 0, 1));
    assertMalformed(bytes(5, 1, 0, 5, 1, 0, 3, 0, 0, 80));
    assertMalformed(overlongSocks4UserId());
  }

  @Test
  void firstByteNeitherSocksNorHttpClosesAtOnce() {
    for (int first : new int[] {0x16, 0x00, 0xff, '\r', 'g', 0x05 + 1}) {
      EmbeddedGateway gateway = new EmbeddedGateway(config().build());
      EmbeddedChannel client = gateway.newClient();
      sendRaw(client, bytes(first, 0x03, 0x01, 0x00, 0xa5, '\r', '\n', '\r', '\n'));
      assertThat(received(client)).as("answer to first byte 0x%02x", first).isEmpty();
      assertThat(client.isOpen()).as("open after first byte 0x%02x", first).isFalse();
      assertThat(gateway.metrics.snapshot().refusals(RefusalReason.MALFORMED_HANDSHAKE)).isEqualTo(1);
    }
  }

  @Test
  void badHttpAfterAMethodLetterGetsAnHttp400() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void ownPagesAreServedOnlyUnderTheGatewaysOwnNames() {
    GatewayConfig config = config().localName("Gateway.Example").advertisedHost("advertised.example").build();
    for (String path : List.of("/", "/proxy.pac", "/metrics")) {
      assertThat(pageStatus(config, path, "Host: evil.example:1080\r\n")).as(path + " rebinding").isEqualTo(421);
      assertThat(pageStatus(config, path, "Host: localhost.evil.example\r\n")).as(path).isEqualTo(421);
      assertThat(pageStatus(config, path, "Host: localhost:8080\r\n")).as(path).isEqualTo(200);
      assertThat(pageStatus(config, path, "Host: LOCALHOST.\r\n")).as(path).isEqualTo(200);
      assertThat(pageStatus(config, path, "Host: 192.0.2.7:1080\r\n")).as(path).isEqualTo(200);
      assertThat(pageStatus(config, path, "Host: [::1]:1080\r\n")).as(path).isEqualTo(200);
      assertThat(pageStatus(config, path, "Host: gateway.example:1080\r\n")).as(path).isEqualTo(200);
      assertThat(pageStatus(config, path, "Host: advertised.example\r\n")).as(path).isEqualTo(200);
      assertThat(pageStatus(config, path, "")).as(path + " without Host").isEqualTo(400);
    }
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "GET /proxy.pac HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.UTF_8)).as("HTTP/1.0 without Host")
        .startsWith("HTTP/1.1 200").doesNotContain("evil");
  }

  private static int pageStatus(GatewayConfig config, String path, String hostLine) {
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, ("GET " + path + " HTTP/1.1\r\n" + hostLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
    String response = new String(received(client), StandardCharsets.UTF_8);
    if (!response.startsWith("HTTP/1.1 200")) {
      assertThat(response).doesNotContain("FindProxyForURL", "socks_gateway_");
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void pacFileServedWithHostFromHostHeader() {
    GatewayConfig config = config().pacCidr(Cidr.parse("10.244.0.0/16")).pacDomain(".cluster.local").build();
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:1090\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String response = new String(received(client), StandardCharsets.UTF_8);
    assertThat(response).startsWith("HTTP/1.1 200 OK");
    assertThat(response).containsIgnoringCase("content-type: application/x-ns-proxy-autoconfig");
    assertThat(response).contains("\"SOCKS5 127.0.0.1:1090; SOCKS 127.0.0.1:1090\"");
    assertThat(response).contains("isInNet(host, \"10.244.0.0\", \"255.255.0.0\")");
    assertThat(response).contains("dnsDomainIs(host, \".cluster.local\")");
    assertThat(response).contains("return \"DIRECT\"");
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void pacFileUsesAdvertisedHost() {
    GatewayConfig config = config().advertisedHost("gateway.example").build();
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "GET /proxy.pac HTTP/1.0\r\nHost: 127.0.0.1:1090\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.UTF_8)).contains("SOCKS5 gateway.example:1080;");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void statusPageShowsReachableInstructionsMetricsAndExtensions() {
    GatewayConfig config = config()
        .statusPageExtension(() -> List.of(StatusSection.ofLines("Pods <live>", List.of("web-1 10.244.0.5")),
            new StatusSection("Services", List.of(
                StatusEntry.ready("default/web ClusterIP 10.96.0.12",
                    List.of(new StatusLink("80/TCP http", "http://web.default.svc.cluster.local:80/?a=1&b=<2>"))),
                StatusEntry.notReady("default/db", List.of(), "no ready endpoints: db-0 readiness probe failed")))))
        .statusPageTitle("minicluster")
        .build();
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    gateway.metrics.refused(RefusalReason.CONNECTION_REFUSED);
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "GET / HTTP/1.1\r\nHost: localhost:1080\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String response = new String(received(client), StandardCharsets.UTF_8);
    assertThat(response).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-type: text/html");
    assertThat(response).contains("<li>10.0.0.0/8</li>", "<li>fd00::/8</li>");
    assertThat(response).contains("ssh -L 1080:127.0.0.1:1080 user@vm");
    assertThat(response).contains("--proxy-server=socks5://localhost:1080");
    assertThat(response).contains("Firefox");
    assertThat(response).contains("refused: connection_refused</td><td>1");
    assertThat(response).contains("<h2>Pods &lt;live&gt;</h2>", "web-1 10.244.0.5");
    assertThat(response).contains("<title>minicluster</title>", "<h1>minicluster on localhost:1080</h1>");
    assertThat(response).contains("<li>default/web ClusterIP 10.96.0.12 <a href=\"http://web.default.svc.cluster.local:80/"
        + "?a=1&amp;b=&lt;2&gt;\">80/TCP http</a></li>");
    assertThat(response).contains("<li class=\"not-ready\">default/db &mdash; <em>not ready:</em> no ready endpoints:"
        + " db-0 readiness probe failed</li>");
    assertThat(response.indexOf("<h2>Services</h2>")).as("extension sections come first")
        .isLessThan(response.indexOf("<h2>Reachable</h2>"));
  }

  @Test
  void statusLinksAcceptOnlyHttpUrls() {
    assertThat(new StatusLink("x", "HTTPS://a.b/").url()).isEqualTo("HTTPS://a.b/");
    for (String url : List.of("javascript:alert(1)", "data:text/html,x", "http://a b/", "//a/", "ftp://a/")) {
      assertThatThrownBy(() -> new StatusLink("x", url)).as(url).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void metricsEndpointServesPrometheusText() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String response = new String(received(client), StandardCharsets.UTF_8);
    assertThat(response).contains("socks_gateway_connections_active 1");
    assertThat(response).contains("socks_gateway_refusals_total{reason=\"destination_not_allowed\"} 0");
  }

  @Test
  void unknownPathIs404() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 404");
  }

  @Test
  void httpConnectRelaysUnderThePolicy() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "CONNECT web.test:443 HTTP/1.1\r\nHost: web.test:443\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(gateway.connects).containsExactly(new InetSocketAddress(address("10.0.0.7"), 443));
    assertThat(new String(received(client), StandardCharsets.US_ASCII))
        .isEqualTo("HTTP/1.1 200 Connection established\r\n\r\n");
    sendRaw(client, bytes(0x16, 0x03, 0x01));
    assertThat(received(gateway.upstreams.get(0))).containsExactly(0x16, 0x03, 0x01);
    gateway.upstreams.get(0).writeInbound(Unpooled.wrappedBuffer(bytes(1, 2)));
    assertThat(received(client)).containsExactly(1, 2);
  }

  @Test
  void httpConnectRefusedByPolicyAnswers403() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 403");
    assertThat(gateway.connects).isEmpty();
  }

  @Test
  void httpConnectNeedsProxyAuthorizationWhenCredentialsSet() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().credentials(new Credentials("u", "p")).build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, "CONNECT web.test:443 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(client), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 407");

    EmbeddedChannel authorized = gateway.newClient();
    sendRaw(authorized, ("CONNECT web.test:443 HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(received(authorized), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
  }

  @Test
  void connectionsBeyondTheCapAreClosed() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().maxConnections(1).build());
    EmbeddedChannel first = gateway.newClient();
    EmbeddedChannel second = gateway.newClient();
    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isFalse();
    assertThat(gateway.metrics.snapshot().refusals(RefusalReason.TOO_MANY_CONNECTIONS)).isEqualTo(1);
    first.close();
    assertThat(gateway.newClient().isOpen()).isTrue();
  }

  @Test
  void clientsOutsideTheAllowListAreClosed() {
    EmbeddedGateway gateway = new EmbeddedGateway(config().allowClient(Cidr.parse("10.0.0.0/8")).build());
    EmbeddedChannel client = gateway.newClient();
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.metrics.snapshot().refusals(RefusalReason.CLIENT_NOT_ALLOWED)).isEqualTo(1);
  }

  private static byte[] overlongSocks4UserId() {
    byte[] request = new byte[8 + 300];
    request[0] = 4;
    request[1] = 1;
    request[3] = 80;
    request[4] = 10;
    request[7] = 5;
    for (int i = 8; i < request.length; i++) {
      request[i] = 'a';
    }
    return request;
  }

  private static void assertMalformed(byte[] input) {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, input);
    assertThat(client.isOpen()).as("closed after %s", Arrays.toString(input)).isFalse();
    assertThat(gateway.connects).isEmpty();
    assertThat(gateway.metrics.snapshot().refusals(RefusalReason.MALFORMED_HANDSHAKE)).isEqualTo(1);
  }

  private static void assertSocks5Refusal(GatewayConfig config, byte[] request, int code, RefusalReason reason) {
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    assertThat(received(client)).containsExactly(5, 0);
    sendRaw(client, request);
    byte[] reply = received(client);
    assertThat(reply).hasSize(10);
    assertThat(reply[0]).isEqualTo((byte) 5);
    assertThat(reply[1]).as("reply code").isEqualTo((byte) code);
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.metrics.snapshot().refusals(reason)).isEqualTo(1);
    assertThat(gateway.metrics.snapshot().totalRefusals()).isEqualTo(1);
  }

  private static void assertSocks4Refusal(GatewayConfig config, byte[] request, RefusalReason reason) {
    EmbeddedGateway gateway = new EmbeddedGateway(config);
    EmbeddedChannel client = gateway.newClient();
    sendRaw(client, request);
    byte[] reply = received(client);
    assertThat(reply).hasSize(8);
    assertThat(reply[0]).isEqualTo((byte) 0);
    assertThat(reply[1]).isEqualTo((byte) 0x5B);
    assertThat(client.isOpen()).isFalse();
    assertThat(gateway.metrics.snapshot().refusals(reason)).isEqualTo(1);
  }

  private static void assertConnectFailure(Throwable failure, int code, RefusalReason reason) {
    EmbeddedGateway gateway = new EmbeddedGateway(config().build());
    gateway.connectFailure = failure;
    EmbeddedChannel client = gateway.newClient();
    send(client, SOCKS5_NO_AUTH);
    received(client);
    send(client, CONNECT_10_0_0_5_80);
    byte[] reply = received(client);
    assertThat(reply[1]).as("reply code for %s", failure).isEqualTo((byte) code);
    assertThat(gateway.metrics.snapshot().refusals(reason)).isEqualTo(1);
  }

  static byte[] domainRequest(String host, int port) {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    ByteBuf request = Unpooled.buffer();
    request.writeByte(5).writeByte(1).writeByte(0).writeByte(3).writeByte(name.length).writeBytes(name)
        .writeShort(port);
    byte[] raw = new byte[request.readableBytes()];
    request.readBytes(raw);
    return raw;
  }
}
