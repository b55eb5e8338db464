package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The horizontal pod autoscaler with the real daemon, Docker and kubectl 1.35: {@code kubectl autoscale} makes an
 * autoscaling/v2 autoscaler of a deployment with CPU requests; a CPU-burning loop started in its pod scales it up
 * (SuccessfulRescale "cpu resource utilization (percentage of request) above target"), and once the loop stops it
 * scales back to one pod after a 15 s scale-down stabilization window. kubectl 1.32 and 1.20 read it too (1.20
 * through autoscaling/v1 for {@code autoscale}).
 */
class HorizontalPodAutoscalerIT {
  private static final String IMAGE = "minicluster-test/busybox:1";
  private static final Path KUBECTL_132 = Paths.get(System.getenv().getOrDefault("KUBECTL_132",
      "../.ci/tools/kubectl132"));
  private static final Path KUBECTL_120 = Paths.get(System.getenv().getOrDefault("KUBECTL_120",
      "../.ci/tools/kubectl120"));
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: web
              image: %s
              command: ["sleep", "3600"]
              resources:
                requests: {cpu: 100m}
      """.formatted(IMAGE);

  @Test
  void scalesUpUnderLoadAndBackDownAfterIt(@TempDir Path temp) throws Exception {
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-hpa")) {
      Kubectl kubectl = cluster.kubectl();
      kubectl.runWithInput(DEPLOYMENT, "apply", "-f", "-").assertOk();
      kubectl.run(List.of("rollout", "status", "deployment/web", "--timeout=90s"), null, Map.of(), 120).assertOk();
      String pod = kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}")
          .assertOk().stdout().trim();
      // the load: a busy loop in the pod while /tmp/load exists
      kubectl.run("exec", pod, "--", "sh", "-c",
          "touch /tmp/load; (while [ -f /tmp/load ]; do :; done) >/dev/null 2>&1 &").assertOk();
      HostTools.waitUntil("kubectl top pods shows the loaded pod's CPU", Duration.ofSeconds(60), () -> {
        Kubectl.Result top = kubectl.run("top", "pods", "-l", "app=web", "--no-headers");
        return top.exitCode() == 0 && top.stdout().contains(pod)
            && millicores(top.stdout().trim().split("\\s+")[1]) >= 100;
      });

      assertThat(kubectl.run("autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=5")
          .assertOk().stdout()).contains("horizontalpodautoscaler.autoscaling/web autoscaled");
      kubectl.run("patch", "hpa", "web", "--type=merge", "-p",
          "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":15}}}}").assertOk();
      assertThat(kubectl.run("get", "hpa", "web", "-o", "jsonpath={.spec.behavior.scaleDown.policies[0].type}")
          .assertOk().stdout()).isEqualTo("Percent");

      long autoscaled = System.nanoTime();
      HostTools.waitUntil("the deployment scaled up", Duration.ofSeconds(120), () -> replicas(kubectl) > 1);
      System.out.printf("HPA scale-up %d ms after kubectl autoscale%n", (System.nanoTime() - autoscaled) / 1_000_000);
      String table = kubectl.run("get", "hpa", "web").assertOk().stdout();
      assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
          .containsExactly("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE");
      assertThat(table).containsPattern("web\\s+Deployment/web\\s+cpu: \\d+%/50%\\s+1\\s+5\\s+\\d+");
      String events = kubectl.run("get", "events", "--field-selector",
          "involvedObject.kind=HorizontalPodAutoscaler", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}").assertOk().stdout();
      assertThat(events).containsPattern(
          "SuccessfulRescale: New size: \\d; reason: cpu resource utilization \\(percentage of request\\) above target");
      String described = kubectl.run("describe", "hpa", "web").assertOk().stdout();
      assertThat(described).contains("Reference:", "Deployment/web", "Min replicas:", "Max replicas:",
          "AbleToScale", "ScalingActive", "ValidMetricFound", "SuccessfulRescale");

      // older clients read the same autoscaler
      assertThat(new Kubectl(cluster.daemon().kubeconfig(), KUBECTL_132.toAbsolutePath().toString())
          .run("get", "hpa", "web").assertOk().stdout()).contains("Deployment/web");
      Kubectl old = new Kubectl(cluster.daemon().kubeconfig(), KUBECTL_120.toAbsolutePath().toString());
      assertThat(old.run("get", "hpa.v1.autoscaling", "web", "-o", "jsonpath={.spec.targetCPUUtilizationPercentage}")
          .assertOk().stdout()).isEqualTo("50");
      // kubectl 1.20's describe tries autoscaling/v2beta2 (not served) and falls back to v1
      assertThat(old.run("describe", "hpa", "web").assertOk().stdout()).contains("Reference:", "Deployment/web",
          "Min replicas:", "Max replicas:");

      kubectl.run("exec", pod, "--", "rm", "/tmp/load").assertOk();
      long unloaded = System.nanoTime();
      HostTools.waitUntil("the deployment scaled back to 1", Duration.ofSeconds(150), () -> replicas(kubectl) == 1);
      System.out.printf("HPA scale-down to 1 %d ms after the load stopped (15 s stabilization window)%n",
          (System.nanoTime() - unloaded) / 1_000_000);
      assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.kind=HorizontalPodAutoscaler",
          "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}").assertOk().stdout())
          .contains("New size: 1; reason: All metrics below target");

      // kubectl 1.20 writes autoscaling/v1
      old.run("create", "deployment", "old", "--image=" + IMAGE).assertOk();
      old.run("autoscale", "deployment", "old", "--max=3").assertOk();
      assertThat(kubectl.run("get", "hpa", "old", "-o",
          "jsonpath={.spec.metrics[0].resource.target.averageUtilization}").assertOk().stdout()).isEqualTo("80");
    }
  }

  private static int replicas(Kubectl kubectl) throws Exception {
    String text = kubectl.run("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").assertOk().stdout();
    return Integer.parseInt(text.trim());
  }

  private static long millicores(String text) {
    return text.endsWith("m") ? Long.parseLong(text.substring(0, text.length() - 1)) : Long.parseLong(text) * 1000;
  }
}
