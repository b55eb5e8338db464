package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DaemonSets and StatefulSets as kubectl 1.35 drives them against the daemon running pods on the local Docker
 * engine: rollout status, history and undo of a DaemonSet; a StatefulSet coming up in ordinal order, scaled down in
 * reverse, and updated past a partition.
 */
class DaemonSetAndStatefulSetIT {
  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    cluster = NodeCluster.start(temp, "e2e-sets");
    kubectl = cluster.kubectl();
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

  @Test
  void daemonSetRollsOutAndBack() throws Exception {
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
        """, "create", "-f", "-").assertOk();
    assertThat(kubectl(150, "rollout", "status", "ds/agent", "--timeout=120s").assertOk().stdout())
        .contains("daemon set \"agent\" successfully rolled out");
    assertThat(podNames("agent")).singleElement().satisfies(name -> assertThat(name).startsWith("agent-"));
    assertThat(get("get", "ds", "agent", "-o", "jsonpath={.status.desiredNumberScheduled}/"
        + "{.status.numberReady}/{.status.updatedNumberScheduled}")).isEqualTo("1/1/1");

    kubectl.run("set", "env", "ds/agent", "VERSION=2").assertOk();
    assertThat(kubectl(150, "rollout", "status", "ds/agent", "--timeout=120s").assertOk().stdout())
        .contains("daemon set \"agent\" successfully rolled out");
    HostTools.waitUntil("one updated agent pod", Duration.ofSeconds(60), () -> podNames("agent").size() == 1
        && get("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[0].spec.containers[0].env[0].value}")
        .equals("2"));
    String history = get("rollout", "history", "ds/agent");
    assertThat(history).contains("REVISION").containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

    assertThat(get("rollout", "undo", "ds/agent")).isEqualTo("daemonset.apps/agent rolled back");
    assertThat(kubectl(150, "rollout", "status", "ds/agent", "--timeout=120s").assertOk().stdout())
        .contains("successfully rolled out");
    assertThat(get("get", "ds", "agent", "-o", "jsonpath={.spec.template.spec.containers[0].env}")).isEmpty();
    HostTools.waitUntil("one agent pod without VERSION", Duration.ofSeconds(60), () -> podNames("agent").size() == 1
        && get("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[0].spec.containers[0].env}").isEmpty());
    assertThat(get("rollout", "history", "ds/agent")).containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s");
  }

  @Test
  void statefulSetComesUpInOrderScalesDownInReverseAndUpdatesPastAPartition() throws Exception {
    kubectl.runWithInput("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          replicas: 3
          serviceName: web
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              # sleep as PID 1 ignores SIGTERM: each pod takes the whole grace period to go, long enough for the
              # test's polls to see one ordinal gone while the next remains
              terminationGracePeriodSeconds: 4
              containers:
              - name: sleep
                image: minicluster-test/busybox:1
                command: [sleep, "3600"]
        """, "create", "-f", "-").assertOk();
    // the registry defaults rollingUpdate.partition to 0, so kubectl reports a partitioned rollout, as on a cluster
    assertThat(kubectl(200, "rollout", "status", "sts/web", "--timeout=180s").assertOk().stdout())
        .contains("partitioned roll out complete: 3 new pods have been updated...");
    assertThat(podNames("web")).containsExactlyInAnyOrder("web-0", "web-1", "web-2");
    // OrderedReady: each pod was created once its predecessor was ready
    for (int ordinal = 1; ordinal < 3; ordinal++) {
      Instant created = Instant.parse(get("get", "pod", "web-" + ordinal, "-o",
          "jsonpath={.metadata.creationTimestamp}"));
      Instant predecessorReady = Instant.parse(get("get", "pod", "web-" + (ordinal - 1), "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"));
      assertThat(created).as("web-%d created after web-%d was ready", ordinal, ordinal - 1)
          .isAfterOrEqualTo(predecessorReady);
    }
    assertThat(get("get", "pod", "web-1", "-o", "jsonpath={.spec.hostname}.{.spec.subdomain}")).isEqualTo("web-1.web");

    assertThat(get("scale", "sts", "web", "--replicas=1")).isEqualTo("statefulset.apps/web scaled");
    HostTools.waitUntil("web-2 gone while web-1 remains", Duration.ofSeconds(60), () -> {
      List<String> names = podNames("web");
      assertThat(names).contains("web-1");
      return !names.contains("web-2");
    });
    HostTools.waitUntil("only web-0 left", Duration.ofSeconds(60), () -> podNames("web").equals(List.of("web-0")));

    kubectl.run("scale", "sts", "web", "--replicas=3").assertOk();
    kubectl(200, "rollout", "status", "sts/web", "--timeout=180s").assertOk();
    kubectl.run("patch", "sts", "web", "-p", "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}")
        .assertOk();
    kubectl.run("set", "env", "sts/web", "VERSION=2").assertOk();
    assertThat(kubectl(200, "rollout", "status", "sts/web", "--timeout=180s").assertOk().stdout())
        .contains("partitioned roll out complete: 1 new pods have been updated...");
    assertThat(get("get", "pod", "web-2", "-o", "jsonpath={.spec.containers[0].env[0].value}")).isEqualTo("2");
    assertThat(get("get", "pod", "web-1", "-o", "jsonpath={.spec.containers[0].env}")).isEmpty();
    assertThat(get("rollout", "history", "sts/web")).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

    assertThat(get("rollout", "undo", "sts/web")).isEqualTo("statefulset.apps/web rolled back");
    kubectl(200, "rollout", "status", "sts/web", "--timeout=180s").assertOk();
    HostTools.waitUntil("web-2 back at the first revision", Duration.ofSeconds(90),
        () -> get("get", "pod", "web-2", "-o", "jsonpath={.spec.containers[0].env}").isEmpty());
    assertThat(get("rollout", "history", "sts/web")).containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s");
  }
}
