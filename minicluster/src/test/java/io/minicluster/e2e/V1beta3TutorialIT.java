package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import io.minicluster.socks.policy.Cidr;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2015 tutorial's manifests as a follower copies them, with {@code apiVersion: v1beta3}, through the real kubectl
 * 1.35 against a daemon running pods on the local Docker engine: the Telescope pod of {@code examples/} with only its
 * apiVersion changed is created and runs, kubectl reads it in both versions, and a v1beta3 replication controller
 * behind a v1beta3 service with a chosen portalIP serves through the service. Fails, never skips, without Docker,
 * kubectl or curl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class V1beta3TutorialIT {
  private static final String TELESCOPE_PAGE = "<h1>Telescope</h1>";
  private static final String PORTAL_IP = "10.96.3.15";

  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    HostTools.requireCurl();
    cluster = NodeCluster.start(temp, "e2e-v1beta3");
    kubectl = cluster.kubectl();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Kubectl.Result kubectl(long timeoutSeconds, String... args) throws Exception {
    return kubectl.run(List.of(args), null, Map.of(), timeoutSeconds);
  }

  private static JsonNode json(Kubectl.Result result) throws Exception {
    return Json.parse(result.assertOk().stdout().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void theTutorialsV1beta3TelescopePodIsCreatedAndRuns() throws Exception {
    String example = Files.readString(TutorialIT.example("telescope-pod.json"));
    String tutorial = example.replace("\"apiVersion\": \"v1\"", "\"apiVersion\": \"v1beta3\"");
    assertThat(tutorial).as("the example with only its apiVersion changed").isNotEqualTo(example)
        .isEqualTo(example.replaceFirst("\"v1\"", "\"v1beta3\""));
    Path manifest = temp.resolve("telescope-pod.json");
    Files.writeString(manifest, tutorial);

    assertThat(kubectl.run("create", "-f", manifest.toString()).assertOk().stdout())
        .contains("pod/telescope-pod created");
    kubectl(150, "wait", "--for=condition=Ready", "pod/telescope-pod", "--timeout=120s").assertOk();
    assertThat(kubectl.run("get", "pod").assertOk().stdout()).containsPattern("telescope-pod\\s+2/2\\s+Running\\s+0\\s");

    JsonNode v1 = json(kubectl.run("get", "pod", "telescope-pod", "-o", "json"));
    assertThat(v1.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(v1.at("/spec/nodeName").asText()).isEqualTo(cluster.nodeName());
    JsonNode v1beta3 = json(kubectl.run("get", "pods.v1beta3.", "telescope-pod", "-o", "json"));
    assertThat(v1beta3.path("apiVersion").asText()).isEqualTo("v1beta3");
    assertThat(v1beta3.at("/spec/host").asText()).isEqualTo(cluster.nodeName());
    assertThat(v1beta3.at("/spec").has("nodeName")).isFalse();
    assertThat(v1beta3.at("/status/Condition").findValuesAsText("type")).contains("Ready");
    assertThat(v1beta3.at("/metadata/uid")).isEqualTo(v1.at("/metadata/uid"));
    assertThat(kubectl.run("get", "--raw", "/api/v1beta3/namespaces/default/pods").assertOk().stdout())
        .contains("\"kind\":\"PodList\",\"apiVersion\":\"v1beta3\"");

    String podIp = v1.at("/status/podIP").asText();
    assertThat(Cidr.parse(cluster.podCidr()).contains(InetAddress.getByName(podIp)))
        .as("pod IP %s in %s", podIp, cluster.podCidr()).isTrue();
    // the page only exists after the telescope container reached mongo on localhost:27017 (shared network namespace)
    HostTools.waitUntil("http://" + podIp + "/ serves Telescope", Duration.ofSeconds(30),
        () -> HostTools.httpGet("http://" + podIp + "/").contains(TELESCOPE_PAGE));
  }

  @Test
  @Order(2)
  void strictFieldValidationNamesFieldsAsV1beta3HasThem() throws Exception {
    Path manifest = temp.resolve("misnamed.yaml");
    Files.writeString(manifest, """
        apiVersion: v1beta3
        kind: Pod
        metadata:
          name: misnamed
        spec:
          nodeName: somewhere
          containers:
          - name: c
            image: minicluster-test/busybox:1
        """);
    Kubectl.Result refused = kubectl.run("create", "-f", manifest.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("Pod in version \"v1beta3\" cannot be handled as a Pod: strict decoding "
        + "error: unknown field \"spec.nodeName\"");
  }

  @Test
  @Order(3)
  void aV1beta3ReplicationControllerServesThroughAV1beta3ServiceWithItsPortalIp() throws Exception {
    Path manifest = temp.resolve("telescope-v1beta3.yaml");
    Files.writeString(manifest, """
        apiVersion: v1beta3
        kind: ReplicationController
        metadata:
          name: telescope
        spec:
          replicas: 2
          selector:
            app: telescope
          template:
            metadata:
              labels:
                app: telescope
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: mongo
                image: mongo
                command: [mongod, --smallfiles, --nojournal]
                ports:
                - containerPort: 27017
              - name: telescope
                image: meteorhacks/telescope
                ports:
                - containerPort: 80
                env:
                - name: MONGO_URL
                  value: mongodb://localhost:27017/app
                readinessProbe:
                  httpGet:
                    path: /
                    port: 80
        ---
        apiVersion: v1beta3
        kind: Service
        metadata:
          name: web
        spec:
          portalIP: %s
          selector:
            app: telescope
          ports:
          - port: 80
            targetPort: 80
        """.formatted(PORTAL_IP));
    assertThat(kubectl.run("create", "-f", manifest.toString()).assertOk().stdout())
        .contains("replicationcontroller/telescope created", "service/web created");
    HostTools.waitUntil("2 pods app=telescope exist", Duration.ofSeconds(30),
        () -> kubectl.run("get", "pods", "-l", "app=telescope", "-o", "name").stdout().trim().lines().count() == 2);
    kubectl(150, "wait", "--for=condition=Ready", "pod", "-l", "app=telescope", "--timeout=120s").assertOk();

    assertThat(kubectl.run("get", "rc", "telescope").assertOk().stdout())
        .containsPattern("telescope\\s+2\\s+2\\s+2\\s");
    assertThat(kubectl.run("get", "svc", "web").assertOk().stdout())
        .containsPattern("web\\s+ClusterIP\\s+" + PORTAL_IP.replace(".", "\\.") + "\\s");
    assertThat(kubectl.run("get", "services.v1beta3.", "web", "-o", "jsonpath={.spec.portalIP}").assertOk()
        .stdout()).isEqualTo(PORTAL_IP);
    assertThat(kubectl.run("get", "replicationcontrollers.v1beta3.", "telescope", "-o",
        "jsonpath={.apiVersion} {.spec.template.spec.containers[*].name}").assertOk().stdout())
        .isEqualTo("v1beta3 mongo telescope");
    // --sort-by reads the objects the table rows carry: those of the version asked for
    String sorted = kubectl.run("get", "pods.v1beta3.", "-l", "app=telescope", "--sort-by=.spec.host")
        .assertOk().stdout();
    assertThat(sorted.lines().filter(line -> line.startsWith("telescope-")).count()).as(sorted).isEqualTo(2);

    HostTools.waitUntil("service web has 2 ready endpoints", Duration.ofSeconds(30),
        () -> kubectl.run("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}").stdout().trim()
            .split("\\s+").length == 2);
    String gateway = "127.0.0.1:" + cluster.socksPort();
    assertThat(HostTools.curl("--socks5-hostname", gateway, "http://web.default.svc.cluster.local/")
        .assertOk("curl web.default.svc.cluster.local").stdout()).contains(TELESCOPE_PAGE);
    assertThat(HostTools.curl("--socks5", gateway, "http://" + PORTAL_IP + "/").assertOk("curl " + PORTAL_IP)
        .stdout()).contains(TELESCOPE_PAGE);

    assertThat(kubectl.run("delete", "-f", manifest.toString()).assertOk().stdout())
        .contains("replicationcontroller \"telescope\" deleted", "service \"web\" deleted");
  }
}
