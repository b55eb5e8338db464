package io.minicluster.agent;

import static io.minicluster.agent.AgentHarness.condition;
import static io.minicluster.agent.AgentHarness.containerStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.NetworkProber;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.DockerRuntime;
import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.testing.InProcessApi;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent against the real Docker engine (fails, never skips, without one). Pods are created up front and
 * checked in parallel to keep the run short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentIT {
  private static final String NETWORK = "minicluster-agent-it";
  private static final String CIDR = "10.250.0.0/24";

  @TempDir
  static Path directory;
  InProcessApi api;
  Client client;
  EventRecorder recorder;
  DockerRuntime runtime;
  OomWatcher oomWatcher;
  AgentConfig config;
  final TestAgents agents = new TestAgents();
  final ExecutorService probes = Executors.newFixedThreadPool(4);
  NodeAgent agent;

  @BeforeAll
  void startAgent() throws Exception {
    DockerRuntimeConfig runtimeConfig = DockerRuntimeConfig.defaults(System.getenv()).withNetworkName(NETWORK);
    // no pulls in tests: the locally built sandbox image and offline image handling
    oomWatcher = OomWatcher.forHost(Clock.systemUTC());
    oomWatcher.start();
    runtime = DockerRuntime.connect(runtimeConfig.withSandboxImage(runtimeConfig.localSandboxImage()), oomWatcher);
    assertThat(runtime.ping()).as("a Docker engine is required for NodeAgentIT").isTrue();
    if (!runtime.imagePresent("mongo:latest") || !runtime.imagePresent("meteorhacks/telescope:latest")
        || !runtime.imagePresent("minicluster-test/busybox:1")) {
      Process build = new ProcessBuilder("sh", "src/test/images/build-images.sh").inheritIO().start();
      assertThat(build.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(build.exitValue()).isZero();
    }
    api = InProcessApi.openUnvalidated(directory.resolve("store"), Clock.systemUTC());
    client = api.client();
    recorder = new EventRecorder(client, "kubelet", "it-node", Clock.systemUTC());
    config = AgentConfig.of("it-node", directory.resolve("agent"), CIDR, "127.0.0.1")
        .withRelistPeriod(Duration.ofSeconds(3)).withOffline(true);
    agent = agents.create(client.as("kubelet"), runtime, config, recorder, oomWatcher, Clock.systemUTC(),
        new NetworkProber(runtime), probes);
    agents.start(agent);
    create("""
        {"metadata":{"name":"telescope"},"spec":{"containers":[
          {"name":"mongo","image":"mongo","readinessProbe":{"tcpSocket":{"port":27017},"periodSeconds":1}},
          {"name":"telescope","image":"meteorhacks/telescope","env":[
            {"name":"MONGO_URL","value":"mongodb://localhost:27017/telescope"},{"name":"ROOT_URL","value":"http://x"}],
           "ports":[{"containerPort":80}],
           "readinessProbe":{"httpGet":{"path":"/","port":80},"periodSeconds":1}}]}}""");
    create("""
        {"metadata":{"name":"crash"},"spec":{"containers":[
          {"name":"crash","image":"minicluster-test/busybox:1","command":["sh","-c","echo crashing; exit 3"]}]}}""");
    create("""
        {"metadata":{"name":"hog"},"spec":{"restartPolicy":"Never","containers":[
          {"name":"hog","image":"minicluster-test/busybox:1","command":["sh","-c",
            "x=$(head -c 200000000 /dev/zero | tr '\\\\0' a); echo done"],
           "resources":{"limits":{"memory":"32Mi"}}}]}}""");
    create("""
        {"metadata":{"name":"live"},"spec":{"containers":[
          {"name":"app","image":"minicluster-test/busybox:1","command":["sleep","3600"],
           "livenessProbe":{"httpGet":{"port":8080},"periodSeconds":1,"failureThreshold":2}}]}}""");
    create("""
        {"metadata":{"name":"ready"},"spec":{"containers":[
          {"name":"app","image":"minicluster-test/busybox:1",
           "command":["sh","-c","touch /tmp/ready; exec sleep 3600"],
           "readinessProbe":{"exec":{"command":["cat","/tmp/ready"]},"periodSeconds":1,"failureThreshold":1}}]}}""");
  }

  private void create(String json) {
    ObjectNode pod = Json.parseObject(json);
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    Json.with(pod, "spec").put("nodeName", "it-node");
    Json.with(pod, "spec").put("terminationGracePeriodSeconds", 2);
    client.create(ResourceTypes.PODS, "default", pod);
  }

  private ObjectNode pod(String name) {
    return client.get(ResourceTypes.PODS, "default", name);
  }

  private ObjectNode await(String name, Duration timeout, Predicate<ObjectNode> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    ObjectNode pod = pod(name);
    while (System.nanoTime() < deadline) {
      pod = pod(name);
      if (condition.test(pod)) {
        return pod;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("pod " + name + " did not reach the expected state in " + timeout + ": "
        + Json.string(pod.path("status")));
  }

  @AfterAll
  void stopAgent() throws Exception {
    if (client != null) {
      for (String name : List.of("telescope", "crash", "hog", "live", "ready")) {
        client.deleteIfExists(ResourceTypes.PODS, "default", name, new DeleteOptions(1L, null, null, null, false));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && !client.list(ResourceTypes.PODS, "default",
          ListOptions.ALL).items().isEmpty()) {
        Thread.sleep(250);
      }
    }
    agents.close();
    probes.shutdownNow();
    if (recorder != null) {
      recorder.close();
    }
    if (api != null) {
      api.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void telescopePodRunsAndServesOverThePodNetwork() throws Exception {
    ObjectNode pod = await("telescope", Duration.ofSeconds(60), p -> "True".equals(condition(p, "Ready")));
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(containerStatus(pod, "mongo").path("ready").asBoolean()).isTrue();
    assertThat(containerStatus(pod, "telescope").path("ready").asBoolean()).isTrue();
    String podIp = pod.path("status").path("podIP").asText();
    assertThat(podIp).startsWith("10.250.0.");
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + podIp + "/").toURL()
        .openConnection(Proxy.NO_PROXY);
    connection.setConnectTimeout(3000);
    connection.setReadTimeout(3000);
    assertThat(connection.getResponseCode()).isEqualTo(200);
    String body = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(body).contains("Telescope").contains("MONGO_URL=mongodb://localhost:27017/telescope");
    assertThat(agent.podIp("default", "telescope")).contains(podIp);
    assertThat(agent.containerId("default", "telescope", "mongo")).isPresent();
  }

  @Test
  void crashingContainerGoesIntoCrashLoopBackOff() throws Exception {
    ObjectNode pod = await("crash", Duration.ofSeconds(40), p -> {
      JsonNode status = containerStatus(p, "crash");
      return status != null && status.path("restartCount").asInt() >= 2
          && "CrashLoopBackOff".equals(status.path("state").path("waiting").path("reason").asText());
    });
    JsonNode status = containerStatus(pod, "crash");
    assertThat(status.path("state").path("waiting").path("message").asText()).startsWith("back-off ")
        .contains("restarting failed container=crash pod=crash_default(");
    assertThat(status.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(3);
    assertThat(status.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
  }

  @Test
  void memoryHogIsOomKilled() throws Exception {
    ObjectNode pod = await("hog", Duration.ofSeconds(40), p -> "Failed".equals(p.path("status").path("phase")
        .asText()));
    JsonNode terminated = containerStatus(pod, "hog").path("state").path("terminated");
    assertThat(terminated.path("reason").asText()).isEqualTo("OOMKilled");
    assertThat(terminated.path("exitCode").asInt()).isEqualTo(137);
  }

  @Test
  void failingLivenessProbeRestartsTheContainer() throws Exception {
    await("live", Duration.ofSeconds(40), p -> containerStatus(p, "app") != null
        && containerStatus(p, "app").path("restartCount").asInt() >= 1);
  }

  @Test
  void readinessProbeFlipsReady() throws Exception {
    ObjectNode pod = await("ready", Duration.ofSeconds(40), p -> "True".equals(condition(p, "Ready")));
    String id = pod.path("status").path("containerStatuses").get(0).path("containerID").asText()
        .substring("docker://".length());
    try (InteractiveSession session = runtime.exec(id, List.of("rm", "/tmp/ready"), false, false, frame -> {})) {
      assertThat(session.exitCode().get(10, TimeUnit.SECONDS)).isZero();
    }
    pod = await("ready", Duration.ofSeconds(20), p -> "False".equals(condition(p, "Ready")));
    assertThat(containerStatus(pod, "app").path("ready").asBoolean()).isFalse();
    assertThat(containerStatus(pod, "app").path("restartCount").asInt()).isZero();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void restartedAgentAdoptsContainersAndDeletionRemovesThem() throws Exception {
    ObjectNode pod = await("telescope", Duration.ofSeconds(60), p -> "True".equals(condition(p, "Ready")));
    String uid = Meta.uid(pod);
    Set<String> before = ids(uid);
    agents.stop(agent);
    agent = agents.create(client.as("kubelet"), runtime, config, recorder, oomWatcher, Clock.systemUTC(),
        new NetworkProber(runtime), probes);
    agents.start(agent);
    await("telescope", Duration.ofSeconds(20), p -> "True".equals(condition(p, "Ready")));
    Thread.sleep(4000);
    assertThat(ids(uid)).isEqualTo(before);
    pod = pod("telescope");
    assertThat(containerStatus(pod, "mongo").path("restartCount").asInt()).isZero();
    assertThat(containerStatus(pod, "telescope").path("restartCount").asInt()).isZero();

    client.delete(ResourceTypes.PODS, "default", "telescope", new DeleteOptions(2L, null, null, null, false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && client.find(ResourceTypes.PODS, "default", "telescope").isPresent()) {
      Thread.sleep(250);
    }
    assertThat(client.find(ResourceTypes.PODS, "default", "telescope")).isEmpty();
    assertThat(ids(uid)).isEmpty();
  }

  private Set<String> ids(String uid) throws IOException {
    return runtime.listContainers(Map.of(RuntimeLabels.POD_UID, uid)).stream().map(ContainerSummary::id)
        .collect(Collectors.toSet());
  }
}
