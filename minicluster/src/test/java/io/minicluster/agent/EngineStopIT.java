package io.minicluster.agent;

import static io.minicluster.agent.AgentHarness.containerStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.NetworkProber;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.DockerRuntime;
import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.testing.InProcessApi;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod the engine stopped, on the real Docker engine (fails, never skips, without one): the agent brings it back with
 * the same sandbox and containers, the same pod IPs and each restart counted. Restarting the engine here would stop
 * every container on the machine, so the engine's stop is played as Docker plays it (every container of the pods
 * stopped, SIGTERM then SIGKILL, while the daemon is down) and only the engine's new start time is simulated: the
 * agent asks the runtime when the engine started, and a restarted engine started after the containers did. The second
 * pod comes back first, so that the pod IPs would swap if the first free address were taken.
 */
class EngineStopIT {
  private static final String NETWORK = "minicluster-engine-stop-it";
  private static final String CIDR = "10.250.3.0/24";

  @TempDir
  Path directory;

  @Test
  void podsStoppedByTheEngineComeBackWithTheSameContainersAndIps() throws Exception {
    DockerRuntimeConfig runtimeConfig = DockerRuntimeConfig.defaults(System.getenv()).withNetworkName(NETWORK);
    OomWatcher oomWatcher = OomWatcher.forHost(Clock.systemUTC());
    ExecutorService probes = Executors.newFixedThreadPool(2);
    try (DockerRuntime engine = DockerRuntime.connect(
            runtimeConfig.withSandboxImage(runtimeConfig.localSandboxImage()), oomWatcher);
        InProcessApi api = InProcessApi.openUnvalidated(directory.resolve("store"), Clock.systemUTC());
        TestAgents agents = new TestAgents()) {
      assertThat(engine.ping()).as("a Docker engine is required").isTrue();
      Optional<Instant> realStart = engine.engineStartedAt();
      assertThat(realStart).as("the local engine's start, from its pid file").isPresent();
      assertThat(realStart.get()).isBefore(Instant.now());
      AtomicReference<Instant> engineStart = new AtomicReference<>(realStart.get());
      ContainerRuntime runtime = startedAt(engine, engineStart);
      runtime.ensureNetwork(CIDR);
      runtime.ensureSandboxImage();
      Client client = api.client();
      EventRecorder recorder = new EventRecorder(client, "kubelet", "it-node", Clock.systemUTC());
      AgentConfig config = AgentConfig.of("it-node", directory.resolve("agent"), CIDR, "127.0.0.1")
          .withOffline(true);
      NodeAgent agent = agents.create(client.as("kubelet"), runtime, config, recorder, oomWatcher,
          Clock.systemUTC(), new NetworkProber(runtime), probes);
      String first = Meta.uid(create(client, "first"));
      String second = Meta.uid(create(client, "second"));
      try {
        // created one after the other: the second pod has the higher address
        agent.syncNow("default", "first");
        agent.syncNow("default", "second");
        String firstIp = served(client, "first");
        String secondIp = served(client, "second");
        List<String> firstIds = running(engine, first);
        List<String> secondIds = running(engine, second);
        assertThat(firstIds).hasSize(2);
        assertThat(secondIds).hasSize(2);

        // the daemon goes down with the system, whose engine stops every container: SIGTERM, SIGKILL after the
        // timeout (the pause process ignores SIGTERM), then starts again
        agent.close();
        for (String uid : List.of(first, second)) {
          for (ContainerSummary container : engine.listContainers(Map.of(RuntimeLabels.POD_UID, uid))) {
            engine.stopContainer(container.id(), 1);
          }
        }
        assertThat(engine.listContainers(Map.of(RuntimeLabels.POD_UID, first))).extracting(ContainerSummary::state)
            .containsOnly(ContainerState.EXITED);
        // httpd, as the container's first process, ignores SIGTERM too: it is killed (137)
        Map<String, Integer> exitCodes = Map.of(
            "first", exitCode(engine, first), "second", exitCode(engine, second));
        engineStart.set(Instant.now());

        agent = agents.create(client.as("kubelet"), runtime, config, recorder, oomWatcher, Clock.systemUTC(),
            new NetworkProber(runtime), probes);
        agent.syncNow("default", "second");
        agent.syncNow("default", "first");

        assertThat(running(engine, first)).as("the same sandbox and container").isEqualTo(firstIds);
        assertThat(running(engine, second)).as("the same sandbox and container").isEqualTo(secondIds);
        for (String name : List.of("first", "second")) {
          ObjectNode pod = client.get(ResourceTypes.PODS, "default", name);
          assertThat(pod.path("status").path("phase").asText()).as(name).isEqualTo("Running");
          JsonNode web = containerStatus(pod, "web");
          assertThat(web.path("restartCount").asInt()).as(name).isEqualTo(1);
          assertThat(web.path("state").has("running")).as(name).isTrue();
          assertThat(web.path("lastState").path("terminated").path("exitCode").asInt()).as(name)
              .isEqualTo(exitCodes.get(name)).isNotZero();
        }
        assertThat(served(client, "first")).isEqualTo(firstIp);
        assertThat(served(client, "second")).isEqualTo(secondIp);
      } finally {
        for (String name : List.of("first", "second")) {
          client.deleteIfExists(ResourceTypes.PODS, "default", name, DeleteOptions.immediate());
        }
        agent.syncGone(first);
        agent.syncGone(second);
      }
    } finally {
      probes.shutdownNow();
    }
  }

  private static ObjectNode create(Client client, String name) {
    ObjectNode pod = Json.parseObject("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"nodeName":"it-node",
          "terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"minicluster-test/busybox:1",
          "command":["sh","-c","echo %s > /tmp/index.html && exec httpd -f -p 80 -h /tmp"]}]}}"""
        .formatted(name, name));
    return client.create(ResourceTypes.PODS, "default", pod);
  }

  /** The pod's IP once its web server answers there with the pod's name. */
  private static String served(Client client, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String ip = "";
    while (System.nanoTime() < deadline) {
      ip = client.get(ResourceTypes.PODS, "default", name).path("status").path("podIP").asText();
      if (!ip.isEmpty() && get("http://" + ip + "/index.html").contains(name)) {
        return ip;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("pod " + name + " not served at '" + ip + "'");
  }

  private static String get(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(1000);
      try (InputStream body = connection.getInputStream()) {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException notYet) {
      return "";
    }
  }

  /** The exit code of the pod's web container, as the engine has it. */
  private static int exitCode(ContainerRuntime engine, String uid) {
    String id = engine.listContainers(Map.of(RuntimeLabels.POD_UID, uid, RuntimeLabels.CONTAINER_NAME, "web")).get(0)
        .id();
    return engine.inspect(id).orElseThrow().exitCode();
  }

  /** The ids of a pod's running engine containers, sorted. */
  private static List<String> running(ContainerRuntime engine, String uid) {
    return engine.listContainers(Map.of(RuntimeLabels.POD_UID, uid)).stream()
        .filter(container -> container.state() == ContainerState.RUNNING)
        .map(ContainerSummary::id)
        .sorted()
        .toList();
  }

  /** The engine, except that it says it started at {@code startedAt} (the simulated engine restart). */
  private static ContainerRuntime startedAt(ContainerRuntime engine, AtomicReference<Instant> startedAt) {
    return (ContainerRuntime) Proxy.newProxyInstance(ContainerRuntime.class.getClassLoader(),
        new Class<?>[] {ContainerRuntime.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("engineStartedAt")) {
            return Optional.of(startedAt.get());
          }
          try {
            return method.invoke(engine, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
