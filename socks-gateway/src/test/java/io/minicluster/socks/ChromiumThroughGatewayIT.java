package io.minicluster.socks;

import static io.minicluster.socks.LoopbackFixtures.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.resolve.StaticNameResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Headless Chromium loads a loopback page through the gateway: with {@code --proxy-server=socks5://}, with
 * {@code --proxy-server=http://} (the gateway as a plain HTTP proxy) and through the gateway's own PAC file. Fails (never skips) when /usr/bin/chromium is missing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChromiumThroughGatewayIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private HttpServer web;
  private int webPort;
  private SocksGateway gateway;
  private int port;
  private Path profile;

  @BeforeEach
  void setUp() throws IOException {
    assertThat(Files.isExecutable(CHROMIUM)).as("%s must be installed (apt-get install -y chromium)", CHROMIUM)
        .isTrue();
    web = LoopbackFixtures.startHttpServer();
    webPort = web.getAddress().getPort();
    gateway = new SocksGateway(GatewayConfig.builder()
        .port(0)
        .policy(CidrAllowListPolicy.parse(List.of("127.0.0.1/32")))
        .resolver(new StaticNameResolver(Map.of("web.test", LOOPBACK), List.of(".test")))
        .pacDomain(".test")
        .pacCidr(Cidr.parse("127.0.0.1/32"))
        .build());
    port = gateway.start();
    profile = Files.createTempDirectory("chromium-profile");
  }

  @AfterEach
  void tearDown() throws IOException {
    gateway.close();
    web.stop(0);
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void socks5ProxyServerFlagLoadsAPageByNameThroughTheGateway() throws Exception {
    String dom = chromium("--proxy-server=socks5://127.0.0.1:" + port, "--proxy-bypass-list=<-loopback>",
        "http://web.test:" + webPort + "/");
    assertThat(dom).contains("hello-through-gateway");
    assertThat(gateway.metrics().snapshot().relayedConnections()).isGreaterThanOrEqualTo(1);
    assertThat(gateway.metrics().snapshot().bytesToClients()).isGreaterThan(LoopbackFixtures.PAGE.length());
  }

  @Test
  void httpProxyServerFlagLoadsAPageByNameThroughTheGateway() throws Exception {
    String dom = chromium("--proxy-server=http://127.0.0.1:" + port, "--proxy-bypass-list=<-loopback>",
        "http://web.test:" + webPort + "/");
    assertThat(dom).contains("hello-through-gateway");
    // Chromium sent the request to the gateway as an HTTP proxy (GET http://web.test:.../), not through CONNECT.
    assertThat(gateway.metrics().snapshot().httpRequestsForwarded()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void pacFileRoutesTheTestDomainAndAddressThroughTheGateway() throws Exception {
    String pacUrl = "--proxy-pac-url=http://127.0.0.1:" + port + "/proxy.pac";
    String byName = chromium(pacUrl, "--proxy-bypass-list=<-loopback>", "http://web.test:" + webPort + "/");
    assertThat(byName).contains("hello-through-gateway");
    // web.test exists only in the gateway's resolver (Chromium's own resolver maps every name to NOTFOUND), so the
    // page can only have come through the gateway. An IP-literal 127.0.0.1 URL is not tried: Chromium's implicit
    // loopback bypass also applies to PAC results, so it would go DIRECT whatever the PAC says.
    assertThat(gateway.metrics().snapshot().relayedConnections()).isGreaterThanOrEqualTo(1);
    assertThat(gateway.metrics().snapshot().bytesToClients()).isGreaterThan(LoopbackFixtures.PAGE.length());
  }

  private String chromium(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--dump-dom"));
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile("chromium", ".out");
    Path errors = Files.createTempFile("chromium", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile())
          .redirectError(errors.toFile());
      builder.environment().put("HOME", profile.toString());
      Process process = builder.start();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("chromium did not finish: " + Files.readString(errors));
      }
      String dom = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("chromium exit; stderr: %s", Files.readString(errors)).isZero();
      return dom;
    } finally {
      Files.deleteIfExists(output);
      Files.deleteIfExists(errors);
    }
  }
}
