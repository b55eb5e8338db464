package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of the Docker engine itself (without live-restore every container dies with it): the node comes back to
 * Ready by itself, a restartPolicy Always pod is started again (its restartCount counts it) and serves again, a
 * restartPolicy Never pod whose container was stopped ends Failed. Restarting the engine kills every container on it, so this test runs in its own
 * failsafe execution after all other integration tests (see minicluster/pom.xml). It restarts the engine with
 * {@code systemctl restart docker} where systemd runs it, else by stopping dockerd and starting it again with the
 * same command line (how .ci/run starts it). Fails, never skips, without Docker or root.
 */
class DockerEngineRestartIT {
  @TempDir
  Path temp;

  @Test
  void podsComeBackPerTheirRestartPolicy() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-engine-restart")) {
      Kubectl kubectl = cluster.kubectl();
      Path manifest = temp.resolve("pods.yaml");
      Files.writeString(manifest, """
          apiVersion: v1
          kind: Pod
          metadata: {name: always}
          spec:
            containers:
            - name: web
              image: minicluster-test/busybox:1
              imagePullPolicy: Never
              command: ["sh", "-c", "echo served-after-restart > /tmp/index.html && exec httpd -f -p 80 -h /tmp"]
              readinessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 1}
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: never}
          spec:
            restartPolicy: Never
            terminationGracePeriodSeconds: 1
            containers:
            - name: sleeper
              image: minicluster-test/busybox:1
              imagePullPolicy: Never
              command: ["sleep", "3600"]
          """);
      kubectl.run("apply", "-f", manifest.toString()).assertOk();
      kubectl.run(List.of("wait", "--for=condition=Ready", "pod/always", "pod/never", "--timeout=90s"), null,
          Map.of(), 120).assertOk();
      String ipBefore = kubectl.run("get", "pod", "always", "-o", "jsonpath={.status.podIP}").assertOk().stdout();
      assertThat(HostTools.httpGet("http://" + ipBefore + "/index.html")).contains("served-after-restart");

      restartEngine();

      HostTools.waitUntil("node Ready again after the engine restart", Duration.ofSeconds(90),
          () -> "True".equals(kubectl.run("get", "node", cluster.nodeName(), "-o",
              "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout().trim()));
      HostTools.waitUntil("pod 'always' Ready and serving again", Duration.ofSeconds(120), () -> {
        String ip = kubectl.run("get", "pod", "always", "-o", "jsonpath={.status.podIP}").stdout().trim();
        return !ip.isEmpty() && HostTools.httpGet("http://" + ip + "/index.html").contains("served-after-restart");
      });
      HostTools.waitUntil("pod 'always' reported Ready (readiness probe)", Duration.ofSeconds(30),
          () -> "true".equals(kubectl.run("get", "pod", "always", "-o",
              "jsonpath={.status.containerStatuses[0].ready}").stdout()));
      // the daemon keeps running while only the engine restarts: it may see the dying engine stop the pod and
      // start it afresh before the engine is gone (a full system restart, where the daemon stops too, keeps the
      // same containers and pod IP: SystemdApplianceIT and EngineStopIT)
      String restarts = kubectl.run("get", "pod", "always", "-o",
          "jsonpath={.status.containerStatuses[0].restartCount}").assertOk().stdout().trim();
      assertThat(Integer.parseInt(restarts)).as("restartCount of the pod the engine stopped").isPositive();
      HostTools.waitUntil("pod 'never' Failed (its container was stopped with the engine)", Duration.ofSeconds(90),
          () -> "Failed".equals(kubectl.run("get", "pod", "never", "-o", "jsonpath={.status.phase}").stdout()));
      assertThat(kubectl.run("get", "pod", "never", "-o",
          "jsonpath={.status.containerStatuses[0].restartCount}").assertOk().stdout()).isEqualTo("0");
      kubectl.run("delete", "pod", "always", "never", "--grace-period=1", "--timeout=60s").assertOk();
    }
  }

  /** Restarts the engine and waits until it answers again. */
  private void restartEngine() throws Exception {
    HostTools.requireDocker();
    HostTools.Result systemd = HostTools.run(List.of("sh", "-c",
        "command -v systemctl >/dev/null && systemctl is-active --quiet docker"), 30);
    if (systemd.exitCode() == 0) {
      HostTools.run(List.of("systemctl", "restart", "docker"), 120).assertOk("systemctl restart docker");
    } else {
      HostTools.Result pid = HostTools.run(List.of("pgrep", "-o", "-x", "dockerd"), 30);
      pid.assertOk("pgrep dockerd (the engine must run on this machine)");
      String dockerd = pid.stdout().trim();
      List<String> commandLine = new ArrayList<>();
      for (String part : Files.readString(Path.of("/proc", dockerd, "cmdline"), StandardCharsets.UTF_8)
          .split("\0")) {
        if (!part.isEmpty()) {
          commandLine.add(part);
        }
      }
      assertThat(commandLine).as("dockerd command line").isNotEmpty();
      HostTools.run(List.of("kill", "-TERM", dockerd), 30).assertOk("kill -TERM dockerd (root is required)");
      HostTools.waitUntil("dockerd " + dockerd + " exited", Duration.ofSeconds(60),
          () -> !Files.exists(Path.of("/proc", dockerd)));
      Files.deleteIfExists(Path.of("/var/run/docker.pid"));
      List<String> detached = new ArrayList<>(List.of("setsid"));
      detached.addAll(commandLine);
      File log = temp.resolve("dockerd-restarted.log").toFile();
      // setsid: the new engine must outlive this test JVM, as the one it replaces would have
      new ProcessBuilder(detached).redirectOutput(log).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }
    HostTools.waitUntil("the Docker engine answers again", Duration.ofSeconds(90),
        () -> HostTools.docker("info", "--format", "{{.ServerVersion}}").exitCode() == 0);
  }
}
