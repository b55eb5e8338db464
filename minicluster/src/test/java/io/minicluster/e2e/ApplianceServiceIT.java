package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance's service without systemd, end to end with the node agent on the local Docker engine: {@code
 * minicluster start} (and again: "runs already"), {@code status} healthy with the node Ready, a daemon killed with
 * SIGKILL restarted by the supervisor with the pod's containers untouched, {@code stop} (pods keep running), then
 * {@code uninstall --purge}, which removes exactly this installation's containers, network, data and log. The test's
 * installation has a pod network of its own (name and subnet), so nothing of another daemon on this engine is touched.
 */
class ApplianceServiceIT {
  @TempDir
  Path temporary;

  @Test
  void startStatusCrashRestartStopAndUninstall() throws Exception {
    Kubectl.binary();
    HostTools.requireDocker();
    HostTools.ensureTestImages();
    String network = "minicluster-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String subnet = HostTools.freeSubnet();
    Appliance appliance = new Appliance(temporary.resolve("appliance"), """
        api-port: %d
        bind-address: 127.0.0.1
        socks-port: %d
        node-name: appliance-it
        pod-network: %s
        pod-cidr: %s
        offline: true
        """.formatted(DaemonProcess.freePort(), DaemonProcess.freePort(), network, subnet));
    String podUid = null;
    try {
      HostTools.Result started = appliance.start().assertOk("minicluster start");
      assertThat(started.stdout()).startsWith("minicluster started: API https://127.0.0.1:");
      assertThat(appliance.start().assertOk("second start").stdout()).startsWith("minicluster runs already");
      HostTools.waitUntil("status is healthy", Duration.ofSeconds(90), () -> appliance.status().exitCode() == 0);
      String status = appliance.status().stdout();
      assertThat(status).contains("service: running (background service, supervisor pid")
          .contains("api: ready (https://127.0.0.1:").contains("node: appliance-it Ready")
          .contains("socks gateway: 127.0.0.1:").contains("docker: ").contains("memory: heap ")
          .contains("healthy: yes");

      Kubectl kubectl = appliance.kubectl();
      kubectl.runWithInput("""
          apiVersion: v1
          kind: Pod
          metadata:
            name: sleeper
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: sleep
              image: minicluster-test/busybox:1
              command: [sleep, "3600"]
          """, "create", "-f", "-").assertOk();
      kubectl.run(List.of("wait", "--for=condition=Ready", "pod/sleeper", "--timeout=120s"), null, Map.of(), 150)
          .assertOk();
      podUid = kubectl.run("get", "pod", "sleeper", "-o", "jsonpath={.metadata.uid}").assertOk().stdout().trim();
      List<String> containers = HostTools.containersOfPod(podUid, false);
      assertThat(containers).hasSize(2);

      // the daemon dies: the supervisor starts it again, and the pod's containers stay as they are
      long supervisor = appliance.supervisor().orElseThrow().pid();
      ProcessHandle daemon = appliance.daemon().orElseThrow();
      daemon.destroyForcibly();
      daemon.onExit().get();
      HostTools.waitUntil("a new daemon is healthy", Duration.ofSeconds(90), () -> appliance.daemon()
          .filter(next -> next.pid() != daemon.pid()).isPresent() && appliance.status().exitCode() == 0);
      assertThat(appliance.supervisor().orElseThrow().pid()).isEqualTo(supervisor);
      assertThat(HostTools.containersOfPod(podUid, false)).isEqualTo(containers);
      assertThat(Files.readString(appliance.log())).contains("exited with code 137");

      // stop: supervisor and daemon end, the pod keeps running
      assertThat(appliance.stop().assertOk("minicluster stop").stdout()).startsWith("minicluster stopped");
      assertThat(appliance.pidFile()).doesNotExist();
      assertThat(ProcessHandle.of(supervisor).filter(ProcessHandle::isAlive)).isEmpty();
      HostTools.Result stopped = appliance.status();
      assertThat(stopped.exitCode()).isEqualTo(1);
      assertThat(stopped.stdout()).contains("service: not running").contains("healthy: no");
      assertThat(HostTools.containersOfPod(podUid, false)).isEqualTo(containers);
      assertThat(appliance.stop().assertOk("second stop").stdout()).isEqualTo("minicluster is not running\n");

      appliance.start().assertOk("start after stop");
      HostTools.Result uninstalled = appliance.uninstallPurge().assertOk("minicluster uninstall --purge");
      assertThat(uninstalled.stdout()).contains("stopped minicluster").contains("removed 2 pod containers")
          .contains("removed the Docker network " + network).contains("deleted " + appliance.dataDir());
      assertThat(HostTools.containersOfPod(podUid, true)).isEmpty();
      assertThat(HostTools.docker("network", "inspect", network).exitCode()).isNotZero();
      assertThat(appliance.dataDir()).doesNotExist();
      assertThat(appliance.log()).doesNotExist();
      assertThat(appliance.pidFile()).doesNotExist();
      assertThat(appliance.supervisor()).isEmpty();
    } finally {
      appliance.forceStop();
      if (podUid != null) {
        List<String> left = HostTools.containersOfPod(podUid, true);
        if (!left.isEmpty()) {
          List<String> command = new ArrayList<>(List.of("rm", "-f"));
          command.addAll(left);
          HostTools.docker(command.toArray(new String[0]));
        }
      }
      HostTools.docker("network", "rm", network);
    }
  }
}
