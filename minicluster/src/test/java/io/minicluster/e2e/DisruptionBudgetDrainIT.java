package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PodDisruptionBudgets, cordon and drain as kubectl 1.35 drives them on the single-node daemon.
 *
 * <p>The drain scenario is what a real single-node cluster does: with minAvailable 2 over the 2 pods of a
 * Deployment, drain waits and reports the budget until its timeout. With a third replica ready (scaled while the node
 * is schedulable) the budget allows one disruption: drain evicts one pod, whose replacement cannot schedule on the
 * cordoned node, so the two others stay protected and drain times out again. Relaxing the budget (minAvailable 0)
 * lets drain finish; uncordoning brings the Deployment back.
 */
class DisruptionBudgetDrainIT {
  private static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl kubectl;
  static String node;

  @BeforeAll
  static void start() throws Exception {
    cluster = NodeCluster.start(temp, "e2e-drain");
    kubectl = cluster.kubectl();
    node = cluster.nodeName();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Kubectl.Result kubectl(long timeoutSeconds, String... args) throws Exception {
    return kubectl.run(Arrays.asList(args), null, Map.of(), timeoutSeconds);
  }

  private static String get(String... args) throws Exception {
    return kubectl.run(args).assertOk().stdout().trim();
  }

  private static List<String> podNames(String app) throws Exception {
    String names = get("get", "pods", "-l", "app=" + app, "-o", "jsonpath={.items[*].metadata.name}");
    return names.isEmpty() ? List.of() : List.of(names.split(" "));
  }

  private static String schedulingFailure(String pod) throws Exception {
    return get("get", "events", "--field-selector", "involvedObject.name=" + pod + ",reason=FailedScheduling",
        "-o", "jsonpath={.items[0].message}");
  }

  private static Kubectl.Result drain(int timeoutSeconds, String... flags) throws Exception {
    String[] args = new String[flags.length + 3];
    args[0] = "drain";
    args[1] = node;
    System.arraycopy(flags, 0, args, 2, flags.length);
    args[args.length - 1] = "--timeout=" + timeoutSeconds + "s";
    return kubectl(timeoutSeconds + 60, args);
  }

  private static int count(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  @Test
  void cordonUncordonAndADrainThatABudgetHoldsBack() throws Exception {
    kubectl.runWithInput("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels: {app: agent}
          template:
            metadata:
              labels: {app: agent}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: sleep
                image: minicluster-test/busybox:1
                command: [sleep, "3600"]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: sleep
                image: minicluster-test/busybox:1
                command: [sleep, "3600"]
                volumeMounts:
                - {name: scratch, mountPath: /scratch}
              volumes:
              - name: scratch
                emptyDir: {}
        """, "create", "-f", "-").assertOk();
    kubectl(150, "rollout", "status", "ds/agent", "--timeout=120s").assertOk();
    kubectl(150, "rollout", "status", "deploy/web", "--timeout=120s").assertOk();

    // cordon: the node is marked and the scheduler leaves new pods Pending
    assertThat(get("cordon", node)).isEqualTo("node/" + node + " cordoned");
    assertThat(get("get", "node", node, "-o", "jsonpath={.spec.unschedulable}")).isEqualTo("true");
    assertThat(get("get", "nodes", "--no-headers")).contains(" Ready,SchedulingDisabled ");
    kubectl.run("run", "lonely", "--image=minicluster-test/busybox:1", "--restart=Never", "--", "sleep", "3600")
        .assertOk();
    HostTools.waitUntil("lonely's FailedScheduling event", Duration.ofSeconds(30),
        () -> !schedulingFailure("lonely").isEmpty());
    assertThat(schedulingFailure("lonely")).isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable. "
        + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    assertThat(get("get", "pod", "lonely", "-o", "jsonpath={.status.phase}/{.spec.nodeName}")).isEqualTo("Pending/");
    assertThat(get("uncordon", node)).isEqualTo("node/" + node + " uncordoned");
    assertThat(get("get", "nodes", "--no-headers")).doesNotContain("SchedulingDisabled");
    kubectl(100, "wait", "--for=condition=Ready", "pod/lonely", "--timeout=90s").assertOk();
    kubectl.run("delete", "pod", "lonely", "--grace-period=1").assertOk();

    // the budget, as kubectl creates, lists and describes it
    assertThat(get("create", "pdb", "web", "--selector=app=web", "--min-available=2"))
        .isEqualTo("poddisruptionbudget.policy/web created");
    HostTools.waitUntil("the budget's status", Duration.ofSeconds(30),
        () -> get("get", "pdb", "web", "-o", "jsonpath={.status.currentHealthy}/{.status.desiredHealthy}/"
            + "{.status.expectedPods}/{.status.disruptionsAllowed}").equals("2/2/2/0"));
    String table = get("get", "pdb");
    assertThat(table.lines().findFirst().orElseThrow().split("\\s{2,}"))
        .containsExactly("NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE");
    assertThat(table).containsPattern("(?m)^web\\s+2\\s+N/A\\s+0\\s+\\d+s$");
    assertThat(get("describe", "pdb", "web")).containsPattern("Min available:\\s+2")
        .containsPattern("Selector:\\s+app=web").containsPattern("Allowed disruptions:\\s+0")
        .containsPattern("Current:\\s+2").containsPattern("Desired:\\s+2").containsPattern("Total:\\s+2");

    // kubectl's own checks need the DaemonSet's pods and the emptyDir pods named
    Kubectl.Result refused = drain(10);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stdout() + refused.stderr())
        .contains("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-")
        .contains("cannot delete Pods with local storage (use --delete-emptydir-data to override): default/web-");
    assertThat(podNames("web")).hasSize(2);

    // the budget holds the drain back until its timeout
    Kubectl.Result blocked = drain(15, "--ignore-daemonsets", "--delete-emptydir-data");
    String blockedOutput = blocked.stdout() + blocked.stderr();
    assertThat(blocked.exitCode()).as(blockedOutput).isNotZero();
    assertThat(blockedOutput).contains("Warning: ignoring DaemonSet-managed Pods: default/agent-")
        .contains("(will retry after 5s): " + VIOLATION).doesNotContain(" evicted");
    assertThat(get("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.deletionTimestamp}"))
        .isEmpty();

    // a third replica, scaled while the node takes pods, gives the budget one disruption
    kubectl.run("uncordon", node).assertOk();
    kubectl.run("scale", "deploy/web", "--replicas=3").assertOk();
    kubectl(150, "rollout", "status", "deploy/web", "--timeout=120s").assertOk();
    HostTools.waitUntil("one allowed disruption", Duration.ofSeconds(30),
        () -> get("get", "pdb", "web", "-o", "jsonpath={.status.disruptionsAllowed}").equals("1"));
    Kubectl.Result oneEvicted = drain(20, "--ignore-daemonsets", "--delete-emptydir-data");
    String oneEvictedOutput = oneEvicted.stdout() + oneEvicted.stderr();
    assertThat(oneEvicted.exitCode()).as(oneEvictedOutput).isNotZero();
    assertThat(count(oneEvictedOutput, "pod/web-[a-z0-9-]+ evicted")).as(oneEvictedOutput).isEqualTo(1);
    assertThat(oneEvictedOutput).contains(VIOLATION);
    // the evicted pod's replacement cannot schedule on the cordoned node
    String pending = get("get", "pods", "-l", "app=web", "--field-selector=status.phase=Pending", "-o",
        "jsonpath={.items[0].metadata.name}");
    assertThat(pending).startsWith("web-");
    HostTools.waitUntil("the replacement's FailedScheduling event", Duration.ofSeconds(30),
        () -> schedulingFailure(pending).startsWith("0/1 nodes are available: 1 node(s) were unschedulable."));

    // relaxing the budget lets the drain finish; the DaemonSet's pod stays
    kubectl.run("patch", "pdb", "web", "--type=merge", "-p", "{\"spec\":{\"minAvailable\":0}}").assertOk();
    HostTools.waitUntil("the relaxed budget", Duration.ofSeconds(30),
        () -> get("get", "pdb", "web", "-o", "jsonpath={.status.disruptionsAllowed}").equals("2"));
    Kubectl.Result drained = drain(60, "--ignore-daemonsets", "--delete-emptydir-data");
    String drainedOutput = drained.stdout() + drained.stderr();
    assertThat(drained.exitCode()).as(drainedOutput).isZero();
    assertThat(drainedOutput).contains("node/" + node + " drained");
    assertThat(count(drainedOutput, "pod/web-[a-z0-9-]+ evicted")).as(drainedOutput).isEqualTo(2);
    assertThat(get("get", "pods", "-l", "app=web", "--field-selector=spec.nodeName=" + node, "-o",
        "jsonpath={.items[*].metadata.name}")).isEmpty();
    assertThat(podNames("agent")).hasSize(1);

    kubectl.run("uncordon", node).assertOk();
    kubectl(150, "rollout", "status", "deploy/web", "--timeout=120s").assertOk();
    assertThat(get("get", "pdb", "web", "-o", "jsonpath={.status.currentHealthy}")).isEqualTo("3");
  }
}
