package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's preemption on the simulated node, driven by the real kubectl 1.35: a pod of a high PriorityClass
 * that does not fit next to a low-priority pod holding the node's whole allocatable cpu preempts it (the victim gets
 * a Preempted event and is deleted) and runs on the node.
 */
class PreemptionIT {
  private static String pod(String name, String priorityClass, String cpu) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"priorityClassName\":\"" + priorityClass + "\",\"terminationGracePeriodSeconds\":1,\"containers\":[{"
        + "\"name\":\"c\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"}}}]}}";
  }

  @Test
  void aHighPriorityPodPreemptsALowPriorityOneOnAFullNode(@TempDir Path temp) throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), List.of("--simulated-node",
        "--no-service-proxy", "--socks-port", "-1", "--node-name", "sim-node"))
        .environment(Map.of("DOCKER_HOST", "unix://" + temp.resolve("no-docker.sock")))
        .start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      kubectl.run("wait", "--for=condition=Ready", "node/sim-node", "--timeout=60s").assertOk();
      String cpu = kubectl.run("get", "node", "sim-node", "-o", "jsonpath={.status.allocatable.cpu}")
          .assertOk().stdout();
      kubectl.run("create", "priorityclass", "low", "--value=10").assertOk();
      kubectl.run("create", "priorityclass", "high", "--value=1000").assertOk();

      kubectl.runWithInput(pod("low", "low", cpu), "apply", "-f", "-").assertOk();
      kubectl.run("wait", "--for=condition=Ready", "pod/low", "--timeout=30s").assertOk();
      String lowUid = kubectl.run("get", "pod", "low", "-o", "jsonpath={.metadata.uid}").assertOk().stdout();

      kubectl.runWithInput(pod("high", "high", "100m"), "apply", "-f", "-").assertOk();
      kubectl.run("wait", "--for=condition=Ready", "pod/high", "--timeout=30s").assertOk();

      // bound, the preemption's nominatedNodeName is cleared (ClearingNominatedNodeNameAfterBinding, 1.35)
      assertThat(kubectl.run("get", "pod", "high", "-o",
          "jsonpath={.spec.nodeName} {.spec.priority} {.status.nominatedNodeName}").assertOk().stdout())
          .isEqualTo("sim-node 1000 ");
      String highUid = kubectl.run("get", "pod", "high", "-o", "jsonpath={.metadata.uid}").assertOk().stdout();
      kubectl.run("wait", "--for=delete", "pod/low", "--timeout=30s").assertOk();
      assertThat(kubectl.run("get", "events", "--field-selector", "reason=Preempted,involvedObject.uid=" + lowUid,
          "-o", "jsonpath={.items[*].message}").assertOk().stdout())
          .isEqualTo("Preempted by pod " + highUid + " on node sim-node");
    }
  }
}
