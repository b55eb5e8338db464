package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's kubectl 1.20 (legacy discovery, SPDY-only exec and port-forward, classic list+watch informers) against
 * a live daemon. It knows only OpenAPI v2, which it reads as protobuf to validate manifests client-side and to
 * explain fields. Fails, never skips,
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
    // default validation: kubectl 1.20 checks the manifest against /openapi/v2 (protobuf) first
    old.run("create", "-f", TutorialIT.example("telescope-pod.json").toString()).assertOk();
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
      HostTools.waitUntil("port-forward listening", Duration.ofSeconds(30),
          () -> Files.readString(out).contains("Forwarding from"));
      assertThat(HostTools.httpGet("http://127.0.0.1:" + port + "/")).contains("<h1>Telescope</h1>");
    } finally {
      forward.destroy();
    }
  }

  @Test
  void validatesManifestsAgainstOpenApiV2() throws Exception {
    Path bad = temp.resolve("bad-pod.json");
    Files.writeString(bad, Files.readString(TutorialIT.example("telescope-pod.json"))
        .replace("telescope-pod", "validated-pod").replace("\"containerPort\"", "\"containerPortt\""));
    Kubectl.Result rejected = old.run("create", "-f", bad.toString());
    assertThat(rejected.exitCode()).isNotZero();
    assertThat(rejected.stderr()).contains("ValidationError(Pod.spec.containers[0].ports[0]): unknown field "
        + "\"containerPortt\" in io.k8s.api.core.v1.ContainerPort", "turn validation off with --validate=false");

    Path wrongType = temp.resolve("wrong-type.yaml");
    Files.writeString(wrongType, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typed}\nspec:\n"
        + "  replicas: many\n  selector: {matchLabels: {app: typed}}\n  template:\n    metadata: {labels: {app: typed}}\n"
        + "    spec: {containers: [{name: c, image: busybox}]}\n");
    assertThat(old.run("apply", "-f", wrongType.toString()).stderr())
        .contains("invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got \"string\", expected \"integer\"");
    assertThat(old.run("get", "deployment", "typed").exitCode()).isNotZero();

    assertThat(old.run("explain", "pod.spec.containers.ports").assertOk().stdout())
        .contains("containerPort", "hostPort", "protocol");
    String podSpec = old.run("explain", "pod.spec").assertOk().stdout();
    assertThat(podSpec).contains("Specification of the desired behavior of the pod.",
        "PodSpec is a description of a pod.", "containers\t<[]Object> -required-",
        "List of containers belonging to the pod.");
  }

  @Test
  void applyMergesListsByTheirKeysFromOpenApiV2() throws Exception {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: envs}
        spec:
          replicas: 0
          selector: {matchLabels: {app: envs}}
          template:
            metadata: {labels: {app: envs}}
            spec:
              containers:
              - name: c
                image: minicluster-test/busybox:1
                env: [%s]
        """;
    Path before = temp.resolve("envs-before.yaml");
    Files.writeString(before, deployment.formatted("{name: FOO, value: '1'}, {name: BAR, value: '2'}"));
    old.run("apply", "-f", before.toString()).assertOk();
    // kubectl 1.20 computes the patch from /openapi/v2: env merges by name, so FOO goes
    Path after = temp.resolve("envs-after.yaml");
    Files.writeString(after, deployment.formatted("{name: BAR, value: '2'}"));
    old.run("apply", "-f", after.toString()).assertOk();
    assertThat(old.run("get", "deployment", "envs", "-o", "jsonpath={.spec.template.spec.containers[0].env}")
        .assertOk().stdout()).isEqualTo("[{\"name\":\"BAR\",\"value\":\"2\"}]");
    old.run("delete", "deployment", "envs").assertOk();
  }
}
