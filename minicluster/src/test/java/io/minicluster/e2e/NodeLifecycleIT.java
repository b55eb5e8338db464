package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node lifecycle and the event TTL as kubectl 1.35 sees them, on a daemon started with a short
 * {@code --node-monitor-grace-period} and {@code --event-ttl} (and no node agent of its own, so the only nodes are
 * the test's): a node registered through the API whose lease is then no longer renewed (a kubelet that stopped) turns
 * NotReady with the unreachable taints, its pod turns not ready, and all comes back when the heartbeat does; an
 * event older than the TTL is gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeLifecycleIT {
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private DaemonProcess daemon;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent", "--socks-port", "-1",
        "--node-monitor-grace-period", GRACE.toSeconds() + "s", "--event-ttl", "5s")).start();
    kubectl = new Kubectl(daemon.kubeconfig());
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      daemon.close();
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String microNow() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
  }

  /** Runs kubectl until its output passes the check (or fails the test after {@link #WAIT}); returns that output. */
  private String await(Predicate<String> check, String... args) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Kubectl.Result result = kubectl.run(args);
      last = result.stdout() + result.stderr();
      if (result.exitCode() == 0 && check.test(result.stdout())) {
        return result.stdout();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("kubectl " + String.join(" ", args) + " did not pass within " + WAIT + "; last: " + last);
  }

  /** The kubelet's heartbeat: Ready True with a new heartbeat time, and the lease renewed. */
  private void heartbeat(String node) throws Exception {
    kubectl.run("patch", "node", node, "--subresource=status", "--type=strategic", "-p",
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
            + "\"message\":\"kubelet is posting ready status\",\"lastHeartbeatTime\":\"" + now() + "\"}]}}")
        .assertOk();
    kubectl.run("patch", "lease", node, "-n", "kube-node-lease", "--type=merge", "-p",
        "{\"spec\":{\"renewTime\":\"" + microNow() + "\"}}").assertOk();
  }

  @Test
  void aNodeWhoseHeartbeatStopsGoesNotReadyAndItsPodNotReadyUntilItComesBack() throws Exception {
    String time = now();
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Node
        metadata:
          name: edge-1
        status:
          conditions:
          - type: Ready
            status: "True"
            reason: KubeletReady
            message: kubelet is posting ready status
            lastHeartbeatTime: "%s"
            lastTransitionTime: "%s"
        """.formatted(time, time), "create", "-f", "-").assertOk();
    if (kubectl.run("get", "namespace", "kube-node-lease").exitCode() != 0) {
      kubectl.run("create", "namespace", "kube-node-lease").assertOk();
    }
    kubectl.runWithInput("""
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: edge-1
          namespace: kube-node-lease
        spec:
          holderIdentity: edge-1
          leaseDurationSeconds: 40
          renewTime: "%s"
        """.formatted(microNow()), "create", "-f", "-").assertOk();
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          nodeName: edge-1
          containers:
          - name: web
            image: minicluster-test/busybox:1
        """, "create", "-f", "-").assertOk();
    kubectl.run("patch", "pod", "web", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
            + "\"lastTransitionTime\":\"" + now() + "\"}]}}").assertOk();
    assertThat(kubectl.run("get", "pod", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
        .assertOk().stdout()).isEqualTo("True");

    // no further heartbeat: NotReady once the grace period has passed
    String nodes = await(out -> out.matches("(?s).*edge-1\\s+NotReady.*"), "get", "nodes");
    assertThat(nodes).containsPattern("edge-1\\s+NotReady");
    assertThat(kubectl.run("get", "node", "edge-1", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason}")
        .assertOk().stdout()).isEqualTo("Unknown NodeStatusUnknown");
    assertThat(kubectl.run("get", "node", "edge-1", "-o", "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}")
        .assertOk().stdout().trim().split(" ")).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule",
        "node.kubernetes.io/unreachable:NoExecute");
    await("False"::equals, "get", "pod", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    assertThat(kubectl.run("describe", "node", "edge-1").assertOk().stdout())
        .contains("Kubelet stopped posting node status.");

    // the kubelet is back
    heartbeat("edge-1");
    await(out -> out.matches("(?s).*edge-1\\s+Ready.*"), "get", "nodes");
    await(String::isEmpty, "get", "node", "edge-1", "-o", "jsonpath={.spec.taints}");
  }

  @Test
  void anEventOlderThanTheTtlIsGone() throws Exception {
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Event
        metadata:
          name: short-lived
        involvedObject:
          kind: ConfigMap
          namespace: default
          name: settings
        reason: Testing
        message: an event to expire
        type: Normal
        source:
          component: test
        """, "create", "-f", "-").assertOk();
    assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=settings").assertOk().stdout())
        .contains("an event to expire");
    await(out -> out.isEmpty(), "get", "events", "short-lived", "--ignore-not-found", "-o", "name");
  }
}
