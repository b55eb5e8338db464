package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser (headless Chromium) opens the Telescope pod's page through the daemon's SOCKS gateway: once with
 * the gateway as its SOCKS5 proxy (pod IP URL) and, configured only by the gateway's PAC file, by the pod's and by a
 * service's cluster.local name. The gateway's access log proves the page came through it. Fails, never skips, without Chromium.
 */
class ChromiumPodIT {
  private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl kubectl;
  static String podIp;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is required at %s (or set CHROMIUM)", CHROMIUM).isTrue();
    cluster = NodeCluster.start(temp, "e2e-chromium");
    kubectl = cluster.kubectl();
    kubectl.run("create", "-f", TutorialIT.example("telescope-pod.json").toString()).assertOk();
    kubectl.run(List.of("wait", "--for=condition=Ready", "pod/telescope-pod", "--timeout=120s"), null, Map.of(), 150)
        .assertOk();
    podIp = kubectl.run("get", "pod", "telescope-pod", "-o", "jsonpath={.status.podIP}").assertOk().stdout().trim();
    HostTools.waitUntil("the pod serves Telescope", Duration.ofSeconds(30),
        () -> HostTools.httpGet("http://" + podIp + "/").contains("<h1>Telescope</h1>"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      try {
        kubectl.run(List.of("delete", "pod", "telescope-pod", "--grace-period=1", "--timeout=60s"), null, Map.of(),
            90);
      } finally {
        cluster.close();
      }
    }
  }

  @Test
  void socks5ProxyServerWithThePodIp() throws Exception {
    String dom = dumpDom("socks5", List.of("--proxy-server=socks5://127.0.0.1:" + cluster.socksPort()),
        "http://" + podIp + "/");
    assertThat(dom).contains("<title>Telescope</title>", "<h1>Telescope</h1>");
    HostTools.waitUntil("the gateway's access log line", Duration.ofSeconds(10),
        () -> TutorialIT.accessLogOutcomes(cluster.log(), podIp + ":80").contains("relayed to " + podIp + ":80"));
    assertThat(TutorialIT.accessLogOutcomes(cluster.log(), podIp + ":80")).as("gateway access log")
        .contains("relayed to " + podIp + ":80");
  }

  @Test
  void pacFileRoutesClusterNamesToTheGateway() throws Exception {
    String name = "telescope-pod.default.pod.cluster.local";
    String dom = dumpDom("pac", List.of("--proxy-pac-url=http://127.0.0.1:" + cluster.socksPort() + "/proxy.pac"),
        "http://" + name + "/");
    assertThat(dom).contains("<title>Telescope</title>", "<h1>Telescope</h1>");
    HostTools.waitUntil("the gateway's access log line", Duration.ofSeconds(10),
        () -> TutorialIT.accessLogOutcomes(cluster.log(), name + ":80").contains("relayed to " + podIp + ":80"));
    assertThat(TutorialIT.accessLogOutcomes(cluster.log(), name + ":80")).as("gateway access log")
        .contains("relayed to " + podIp + ":80");
  }

  @Test
  void pacFileRoutesAServiceNameToTheGateway() throws Exception {
    kubectl.run("label", "pod", "telescope-pod", "app=telescope").assertOk();
    kubectl.run("create", "service", "clusterip", "telescope", "--tcp=80:80").assertOk();
    HostTools.waitUntil("the service has the pod as its endpoint", java.time.Duration.ofSeconds(30),
        () -> kubectl.run("get", "endpoints", "telescope", "-o", "jsonpath={.subsets[*].addresses[*].ip}").stdout()
            .trim().equals(podIp));
    String name = "telescope.default.svc.cluster.local";
    String dom = dumpDom("pac-service", List.of("--proxy-pac-url=http://127.0.0.1:" + cluster.socksPort()
        + "/proxy.pac"), "http://" + name + "/");
    assertThat(dom).contains("<title>Telescope</title>", "<h1>Telescope</h1>");
    HostTools.waitUntil("the gateway's access log line", java.time.Duration.ofSeconds(10),
        () -> TutorialIT.accessLogOutcomes(cluster.log(), name + ":80").contains("relayed to " + podIp + ":80"));
  }

  private static String dumpDom(String label, List<String> proxyArguments, String url) throws Exception {
    Path profile = Files.createDirectories(temp.resolve("chromium-" + label));
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile));
    command.addAll(proxyArguments);
    command.addAll(List.of("--dump-dom", url));
    // a loaded machine can make headless Chromium give up on its first PAC fetch or proxy connection; a browser
    // user would reload: three attempts, each must produce the page or the test fails
    HostTools.Result result = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      result = HostTools.run(command, 90);
      assertThat(result.exitCode()).as("chromium exit code; stderr: %s", result.stderr()).isZero();
      if (result.stdout().contains("<h1>Telescope</h1>")) {
        break;
      }
    }
    return result.stdout();
  }
}
