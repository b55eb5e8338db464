package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon with a simulated node (setting simulated-node), with no Docker engine to reach, driven by the real kubectl
 * 1.35: the node is Ready with a large pods capacity, a deployment's pods go Running and Ready with addresses of the
 * pod CIDR, and they are gone once the deployment is deleted.
 */
class SimulatedNodeIT {
  private static final int REPLICAS = 30;

  @Test
  void aDeploymentRunsOnTheSimulatedNodeWithoutDocker(@TempDir Path temp) throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of("--simulated-node",
        "--no-service-proxy", "--socks-port", "-1", "--node-name", "sim-node", "--pod-cidr", "10.123.0.0/16"))
        // nothing answers there: the simulated node must not need the engine
        .environment(Map.of("DOCKER_HOST", "unix://" + temp.resolve("no-docker.sock")))
        .start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      kubectl.run("wait", "--for=condition=Ready", "node/sim-node", "--timeout=60s").assertOk();
      assertThat(kubectl.run("get", "node", "sim-node", "-o",
          "jsonpath={.status.capacity.pods} {.status.allocatable.pods} {.status.nodeInfo.containerRuntimeVersion}")
          .assertOk().stdout()).isEqualTo("65533 65533 simulated://1.0");
      assertThat(kubectl.run("get", "lease", "-n", "kube-node-lease", "sim-node", "-o",
          "jsonpath={.spec.holderIdentity}").assertOk().stdout()).isEqualTo("sim-node");

      kubectl.run("create", "deployment", "web", "--image=nginx", "--replicas=" + REPLICAS).assertOk();
      kubectl.run("rollout", "status", "deployment/web", "--timeout=120s").assertOk();
      kubectl.run("wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=60s").assertOk();

      String wide = kubectl.run("get", "pods", "-l", "app=web", "-o", "wide", "--no-headers").assertOk().stdout();
      List<String> lines = wide.lines().toList();
      assertThat(lines).hasSize(REPLICAS);
      Set<String> addresses = new HashSet<>();
      for (String line : lines) {
        String[] columns = line.trim().split("\\s+");
        // NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES
        assertThat(columns[1]).as(line).isEqualTo("1/1");
        assertThat(columns[2]).as(line).isEqualTo("Running");
        assertThat(columns[5]).as(line).startsWith("10.123.");
        assertThat(columns[6]).as(line).isEqualTo("sim-node");
        addresses.add(columns[5]);
      }
      assertThat(addresses).as("one address per pod").hasSize(REPLICAS);

      // foreground: the deployment is gone once its ReplicaSet and pods are, so each pod's deletion was finalized
      kubectl.run("delete", "deployment", "web", "--cascade=foreground", "--timeout=60s").assertOk();
      Kubectl.Result left = kubectl.run("get", "pods", "--no-headers").assertOk();
      assertThat(left.stdout()).isEmpty();
      assertThat(left.stderr()).contains("No resources found in default namespace.");
    }
  }
}
