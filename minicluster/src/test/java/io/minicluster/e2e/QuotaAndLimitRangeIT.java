package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LimitRange and ResourceQuota as kubectl 1.35 sees them, on the daemon with a simulated node (admission is what is
 * checked, no container runs): a LimitRange gives a container its default resources and refuses one over its max;
 * a quota of two pods refuses the third with the apiserver's message, its status counts the pods, and deleting a pod
 * frees its place once the quota controller has counted again; get and describe show used/hard.
 */
class QuotaAndLimitRangeIT {
  private static final String NS = "quota-it";

  private static String pod(String name, String resources) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: %s
        spec:
          containers:
          - name: app
            image: busybox
            resources: %s
        """.formatted(name, NS, resources);
  }

  @Test
  void limitRangeDefaultsAndMaximumsThenAQuotaOfTwoPods(@TempDir Path temp) throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of("--simulated-node",
        "--no-service-proxy", "--socks-port", "-1", "--node-name", "quota-node", "--pod-cidr", "10.124.0.0/16"))
        .environment(Map.of("DOCKER_HOST", "unix://" + temp.resolve("no-docker.sock")))
        .start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      kubectl.run("create", "namespace", NS).assertOk();
      kubectl.runWithInput("""
          apiVersion: v1
          kind: LimitRange
          metadata:
            name: limits
          spec:
            limits:
            - type: Container
              max: {cpu: "1"}
              default: {cpu: 500m, memory: 128Mi}
              defaultRequest: {cpu: 100m}
          """, "apply", "-n", NS, "-f", "-").assertOk();
      assertThat(kubectl.run("get", "limits", "-n", NS).assertOk().stdout())
          .startsWith("NAME     CREATED AT\nlimits   ");

      // defaults: the limits of default, the cpu request of defaultRequest, the memory request of the limit
      kubectl.runWithInput(pod("defaulted", "{}"), "apply", "-f", "-").assertOk();
      assertThat(kubectl.run("get", "pod", "defaulted", "-n", NS, "-o",
          "jsonpath={.spec.containers[0].resources}").assertOk().stdout())
          .isEqualTo("{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"},"
              + "\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}");
      assertThat(kubectl.run("get", "pod", "defaulted", "-n", NS, "-o",
          "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}").assertOk().stdout())
          .isEqualTo("LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for "
              + "container app");

      Kubectl.Result tooBig = kubectl.runWithInput(pod("too-big", "{limits: {cpu: \"2\"}}"), "apply", "-f", "-");
      assertThat(tooBig.exitCode()).isNotZero();
      assertThat(tooBig.stderr()).contains("pods \"too-big\" is forbidden: maximum cpu usage per Container is 1, "
          + "but limit is 2");

      // a quota of two pods: the controller counts the one there
      kubectl.run("create", "quota", "q", "--hard=pods=2", "-n", NS).assertOk();
      HostTools.waitUntil("the quota's usage", Duration.ofSeconds(20), () -> "1".equals(kubectl.run("get",
          "quota", "q", "-n", NS, "-o", "jsonpath={.status.used.pods}").stdout()));
      kubectl.runWithInput(pod("second", "{}"), "apply", "-f", "-").assertOk();

      Kubectl.Result third = kubectl.runWithInput(pod("third", "{}"), "apply", "-f", "-");
      assertThat(third.exitCode()).isNotZero();
      assertThat(third.stderr()).contains("pods \"third\" is forbidden: exceeded quota: q, requested: pods=1, "
          + "used: pods=2, limited: pods=2");

      assertThat(kubectl.run("get", "quota", "-n", NS).assertOk().stdout())
          .matches("NAME   REQUEST     LIMIT   AGE\nq      pods: 2/2           \\S+\n");
      assertThat(kubectl.run("describe", "quota", "q", "-n", NS).assertOk().stdout())
          .isEqualTo("Name:       q\nNamespace:  " + NS + "\nResource    Used  Hard\n--------    ----  ----\n"
              + "pods        2     2\n");

      // deleting a pod frees its place once the controller has counted again
      kubectl.run("delete", "pod", "defaulted", "-n", NS, "--wait=true", "--timeout=30s").assertOk();
      HostTools.waitUntil("the quota's usage after the delete", Duration.ofSeconds(20), () -> "1".equals(
          kubectl.run("get", "quota", "q", "-n", NS, "-o", "jsonpath={.status.used.pods}").stdout()));
      kubectl.runWithInput(pod("third", "{}"), "apply", "-f", "-").assertOk();
      assertThat(kubectl.run("describe", "quota", "q", "-n", NS).assertOk().stdout()).endsWith("pods        2     2\n");
    }
  }
}
