package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.minicluster.pki.Pki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the daemon: (a) every create the API acknowledged survives, and later writes get higher resource
 * versions; (b) with the node agent, running pods are adopted with the same engine containers, a container that died
 * while the daemon was down is restarted, and a pod deleted after a restart loses its containers.
 */
class CrashRecoveryIT {
  private static final int ACKNOWLEDGED_BEFORE_KILL = 200;
  private static final int CREATES_FIRED = 260;

  @TempDir
  Path temp;

  @Test
  void acknowledgedCreatesSurviveKillNine() throws Exception {
    Path dataDir = temp.resolve("data");
    DaemonProcess daemon = new DaemonProcess(dataDir, List.of("--no-node-agent", "--socks-port", "-1")).start();
    DaemonProcess restarted = null;
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      HttpClient client = client(dataDir);
      String base = "https://127.0.0.1:" + daemon.apiPort();
      Map<String, Long> acknowledged = new ConcurrentHashMap<>();
      AtomicInteger acks = new AtomicInteger();
      AtomicInteger killedAfter = new AtomicInteger(-1);
      Map<String, Integer> outcomes = new ConcurrentHashMap<>();
      DaemonProcess victim = daemon;
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < CREATES_FIRED; i++) {
        String name = "crash-" + i;
        futures.add(pool.submit(() -> {
          try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/namespaces/default/configmaps"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                    + "\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"index\":\"" + name + "\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            outcomes.merge(response.statusCode() == 201 ? "201" : response.statusCode() + " " + response.body(), 1,
                Integer::sum);
            if (response.statusCode() == 201) {
              ObjectNode created = Json.parseObject(response.body());
              acknowledged.put(name, Long.parseLong(Json.textOrNull(created, "metadata", "resourceVersion")));
              if (acks.incrementAndGet() == ACKNOWLEDGED_BEFORE_KILL) {
                victim.kill();
                killedAfter.set(acknowledged.size());
              }
            }
          } catch (IOException e) {
            // in flight when the daemon died: not acknowledged, may or may not exist
            outcomes.merge(e.toString(), 1, Integer::sum);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
      assertThat(killedAfter.get()).as("the daemon was killed after %s acknowledgements (outcomes: %s; daemon log: %s)",
              ACKNOWLEDGED_BEFORE_KILL, outcomes, Files.readString(daemon.log()))
          .isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
      Map<String, Long> acked = new LinkedHashMap<>(acknowledged);
      assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

      restarted = new DaemonProcess(dataDir, List.of("--no-node-agent", "--socks-port", "-1")).start();
      String newBase = "https://127.0.0.1:" + restarted.apiPort();
      HttpClient after = client(dataDir);
      HttpResponse<String> list = after.send(HttpRequest.newBuilder(
          URI.create(newBase + "/api/v1/namespaces/default/configmaps")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
      Set<String> names = new HashSet<>();
      for (JsonNode item : Json.parseObject(list.body()).path("items")) {
        names.add(item.path("metadata").path("name").asText());
      }
      assertThat(names).as("config maps after kill -9 and restart").containsAll(acked.keySet());
      System.out.printf("kill -9 after %d acknowledgements; %d of %d creates acknowledged, %d config maps after "
          + "the restart%n", killedAfter.get(), acked.size(), CREATES_FIRED, names.size());

      HttpResponse<String> created = after.send(HttpRequest.newBuilder(
              URI.create(newBase + "/api/v1/namespaces/default/configmaps"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"after-restart\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      long newVersion = Long.parseLong(Json.textOrNull(Json.parseObject(created.body()), "metadata", "resourceVersion"));
      long highestAcknowledged = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(newVersion).as("resourceVersion of a write after the restart").isGreaterThan(highestAcknowledged);
    } finally {
      pool.shutdownNow();
      daemon.kill();
      if (restarted != null) {
        assertThat(restarted.stop()).as("clean exit on SIGTERM").isZero();
      }
    }
  }

  private static HttpClient client(Path dataDir) throws IOException {
    Pki pki = Pki.loadOrCreate(dataDir, List.of(), List.of());
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.jdkClientSslContext(true))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void podsSurviveKillNineWithTheirContainers() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-crash")) {
      Kubectl kubectl = cluster.kubectl();
      int pods = 5;
      StringBuilder manifests = new StringBuilder();
      for (int i = 0; i < pods; i++) {
        manifests.append("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-%d
              labels:
                app: crash-web
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: httpd
                image: minicluster-test/busybox:1
                command: [sh, -c, "echo web-%d > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"]
                readinessProbe:
                  tcpSocket:
                    port: 8080
                  periodSeconds: 1
            ---
            """.formatted(i, i));
      }
      kubectl.runWithInput(manifests.toString(), "create", "-f", "-").assertOk();
      kubectl.run(List.of("wait", "--for=condition=Ready", "pod", "-l", "app=crash-web", "--timeout=120s"), null,
          Map.of(), 150).assertOk();
      Map<String, String> uids = new LinkedHashMap<>();
      Map<String, String> ips = new LinkedHashMap<>();
      Map<String, List<String>> containers = new LinkedHashMap<>();
      for (int i = 0; i < pods; i++) {
        String name = "web-" + i;
        String[] fields = kubectl.run("get", "pod", name, "-o", "jsonpath={.metadata.uid} {.status.podIP}")
            .assertOk().stdout().trim().split(" ");
        uids.put(name, fields[0]);
        ips.put(name, fields[1]);
        List<String> ids = HostTools.containersOfPod(fields[0], true);
        assertThat(ids).as("sandbox and httpd containers of %s", name).hasSize(2);
        containers.put(name, ids);
        assertThat(HostTools.httpGet("http://" + fields[1] + ":8080/")).isEqualTo(name + "\n");
      }

      // kill -9; while the daemon is down, web-4's httpd container dies
      cluster.daemon().kill();
      String victim = appContainer(uids.get("web-4"));
      HostTools.docker("kill", victim).assertOk("docker kill");
      cluster.killAndRestart();

      kubectl = cluster.kubectl();
      Kubectl current = kubectl;
      HostTools.waitUntil("web-4 restarted its container", Duration.ofSeconds(60),
          () -> "1".equals(current.run("get", "pod", "web-4", "-o",
              "jsonpath={.status.containerStatuses[0].restartCount}").stdout().trim()));
      kubectl.run(List.of("wait", "--for=condition=Ready", "pod", "-l", "app=crash-web", "--timeout=60s"), null,
          Map.of(), 90).assertOk();
      for (int i = 0; i < pods; i++) {
        String name = "web-" + i;
        String[] fields = kubectl.run("get", "pod", name, "-o",
            "jsonpath={.status.phase} {.status.podIP} {.status.containerStatuses[0].restartCount} {.metadata.uid}")
            .assertOk().stdout().trim().split(" ");
        assertThat(fields[0]).as("phase of %s", name).isEqualTo("Running");
        assertThat(fields[1]).as("IP of %s", name).isEqualTo(ips.get(name));
        assertThat(fields[3]).as("UID of %s", name).isEqualTo(uids.get(name));
        assertThat(HostTools.httpGet("http://" + ips.get(name) + ":8080/")).isEqualTo(name + "\n");
        if (i < 4) {
          assertThat(fields[2]).as("restartCount of %s", name).isEqualTo("0");
          assertThat(HostTools.containersOfPod(uids.get(name), true)).as("engine containers of %s after restart",
              name).isEqualTo(containers.get(name));
        }
      }

      // another kill -9, then a pod deleted through the restarted daemon loses its containers
      cluster.killAndRestart();
      kubectl = cluster.kubectl();
      kubectl.run(List.of("delete", "pod", "web-0", "--grace-period=1", "--timeout=60s"), null, Map.of(), 90)
          .assertOk();
      HostTools.waitUntil("web-0's containers are gone", Duration.ofSeconds(30),
          () -> HostTools.containersOfPod(uids.get("web-0"), true).isEmpty());
      for (int i = 1; i < 4; i++) {
        assertThat(HostTools.containersOfPod(uids.get("web-" + i), true)).as("containers of web-%s", i)
            .isEqualTo(containers.get("web-" + i));
      }
    }
  }

  /** The application (non-sandbox) container of a pod. */
  private static String appContainer(String podUid) throws Exception {
    String out = HostTools.docker("ps", "-q", "--no-trunc", "--filter", "label=io.minicluster.pod.uid=" + podUid,
        "--filter", "label=io.minicluster.type=container").assertOk("docker ps").stdout().trim();
    assertThat(out).as("running app container of pod %s", podUid).isNotEmpty().doesNotContain("\n");
    return out;
  }
}
