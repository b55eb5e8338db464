package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's kubectl 1.20 (legacy discovery, SPDY-only exec and port-forward, classic list+watch informers) against
 * a live daemon. It has no OpenAPI v3 support, so manifests are created with --validate=false. Fails, never skips,
 * when the binary is missing: .ci/run unpacks it from Debian's kubernetes-client package ($KUBECTL_120).
 */
class OldKubectlIT {
  private static final Path KUBECTL_120 = Paths.get(System.getenv().getOrDefault("KUBECTL_120",
      "../.ci/tools/kubectl120"));

  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl old;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(KUBECTL_120)).as("kubectl 1.20 is required at %s (or set KUBECTL_120)",
        KUBECTL_120.toAbsolutePath()).isTrue();
    cluster = NodeCluster.start(temp, "e2e-kubectl120");
    old = new Kubectl(cluster.daemon().kubeconfig(), KUBECTL_120.toAbsolutePath().toString());
    assertThat(old.run("version", "--client", "--short").assertOk().stdout()).contains("v1.20");
    old.run("create", "-f", TutorialIT.example("telescope-pod.json").toString(), "--validate=false").assertOk();
    old.run(List.of("wait", "--for=condition=Ready", "pod/telescope-pod", "--timeout=120s"), null, Map.of(), 150)
        .assertOk();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      try {
        cluster.kubectl().run(List.of("delete", "pod", "telescope-pod", "--grace-period=1", "--timeout=60s"), null,
            Map.of(), 90);
      } finally {
        cluster.close();
      }
    }
  }

  @Test
  void legacyDiscoveryAndTables() throws Exception {
    assertThat(old.run("get", "pods").assertOk().stdout()).contains("telescope-pod", "2/2", "Running");
    assertThat(old.run("api-resources").assertOk().stdout()).contains("deployments", "apps/v1");
  }

  @Test
  void execOverSpdy() throws Exception {
    assertThat(old.run("exec", "telescope-pod", "-c", "telescope", "--", "echo", "over spdy").assertOk().stdout())
        .isEqualTo("over spdy\n");
    Kubectl.Result failed = old.run("exec", "telescope-pod", "-c", "telescope", "--", "sh", "-c", "exit 3");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(old.runWithInput("piped through cat\n", "exec", "-i", "telescope-pod", "-c", "telescope", "--", "cat")
        .assertOk().stdout()).isEqualTo("piped through cat\n");
  }

  @Test
  void portForwardOverSpdy() throws Exception {
    int port = DaemonProcess.freePort();
    Path out = temp.resolve("port-forward.out");
    Process forward = old.start(List.of("port-forward", "pod/telescope-pod", port + ":80"), out);
    try {
      HostTools.waitUntil("port-forward listening", java.time.Duration.ofSeconds(30),
          () -> Files.readString(out).contains("Forwarding from"));
      assertThat(HostTools.httpGet("http://127.0.0.1:" + port + "/")).contains("<h1>Telescope</h1>");
    } finally {
      forward.destroy();
    }
  }
}
