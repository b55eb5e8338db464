package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics.k8s.io with the real daemon, Docker and kubectl 1.35: a pod burning CPU and an idle one are sampled from the
 * engine's stats; {@code kubectl top pods|pod|nodes} show them, the busy pod with clearly more CPU, and the raw API
 * answers metrics-server's PodMetrics shape.
 */
class MetricsApiIT {
  private static final String IMAGE = "minicluster-test/busybox:1";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void kubectlTopShowsTheBusyPodAboveTheIdleOneAndTheNode(@TempDir Path temp) throws Exception {
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-metrics")) {
      Kubectl kubectl = cluster.kubectl();
      kubectl.run("run", "busy", "--image=" + IMAGE, "--restart=Never", "--labels=load=busy", "--",
          "sh", "-c", "while :; do :; done").assertOk();
      kubectl.run("run", "idle", "--image=" + IMAGE, "--restart=Never", "--labels=load=idle", "--",
          "sleep", "3600").assertOk();
      kubectl.run(List.of("wait", "--for=condition=Ready", "pod/busy", "pod/idle", "--timeout=90s"), null,
          Map.of(), 120).assertOk();

      // a pod is reported from its second sample on (samples every 10 s)
      Map<String, Long> cpu = new HashMap<>();
      HostTools.waitUntil("kubectl top pods lists busy and idle", Duration.ofSeconds(60), () -> {
        Kubectl.Result top = kubectl.run("top", "pods", "--no-headers");
        cpu.clear();
        if (top.exitCode() == 0) {
          top.stdout().lines().map(line -> line.trim().split("\\s+"))
              .forEach(columns -> cpu.put(columns[0], millicores(columns[1])));
        }
        return cpu.containsKey("busy") && cpu.containsKey("idle");
      });
      assertThat(cpu.get("busy")).as("busy CPU (m) %s", cpu).isGreaterThanOrEqualTo(100);
      assertThat(cpu.get("idle")).as("idle CPU (m) %s", cpu).isLessThan(cpu.get("busy") / 5);

      String header = kubectl.run("top", "pods", "-A", "--containers").assertOk().stdout().lines().findFirst()
          .orElseThrow();
      assertThat(header.split("\\s+")).containsExactly("NAMESPACE", "POD", "NAME", "CPU(cores)", "MEMORY(bytes)");
      assertThat(kubectl.run("top", "pods", "-A", "--containers").stdout())
          .containsPattern("default\\s+busy\\s+busy\\s+\\d+m\\s+\\d+Mi");
      assertThat(kubectl.run("top", "pod", "busy", "--no-headers").assertOk().stdout()).startsWith("busy ");
      assertThat(kubectl.run("top", "pods", "-l", "load=idle", "--no-headers").assertOk().stdout().trim())
          .startsWith("idle ");

      String nodes = kubectl.run("top", "nodes", "--no-headers").assertOk().stdout();
      assertThat(nodes).containsPattern("^e2e-metrics\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%");

      JsonNode busy = MAPPER.readTree(kubectl.run("get", "--raw",
          "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy").assertOk().stdout());
      assertThat(busy.path("kind").asText()).isEqualTo("PodMetrics");
      assertThat(busy.path("apiVersion").asText()).isEqualTo("metrics.k8s.io/v1beta1");
      assertThat(busy.at("/metadata/name").asText()).isEqualTo("busy");
      assertThat(busy.at("/metadata/namespace").asText()).isEqualTo("default");
      assertThat(busy.at("/metadata/labels/load").asText()).isEqualTo("busy");
      assertThat(busy.at("/metadata/creationTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z");
      assertThat(busy.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z");
      assertThat(busy.path("window").asText()).matches("\\d+(\\.\\d+)?s");
      assertThat(busy.at("/containers/0/name").asText()).isEqualTo("busy");
      assertThat(busy.at("/containers/0/usage/cpu").asText()).matches("\\d+(n|u|m)?");
      assertThat(busy.at("/containers/0/usage/memory").asText()).matches("\\d+(Ki|Mi|k)?");

      Kubectl.Result missing = kubectl.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/none");
      assertThat(missing.exitCode()).isNotZero();
      assertThat(missing.stderr()).contains("NotFound");
      kubectl.run("delete", "pod", "busy", "idle", "--grace-period=1").assertOk();
    }
  }

  private static long millicores(String text) {
    return text.endsWith("m") ? Long.parseLong(text.substring(0, text.length() - 1))
        : Long.parseLong(text) * 1000;
  }
}
