package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.oom.FakeKernelLog;
import io.minicluster.agent.oom.MemoryCgroups;
import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.Prober;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.testing.InProcessApi;
import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process API (real SqliteStore and registries), a {@link TestRuntime}, a fake prober and a node agent. */
final class AgentHarness implements AutoCloseable {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InProcessApi api;
  final Client client;
  final EventRecorder recorder;
  final TestRuntime runtime = new TestRuntime(clock);
  final Map<String, Prober.Result> probeResults = new ConcurrentHashMap<>();
  final List<String> probed = new CopyOnWriteArrayList<>();
  final AgentConfig config;
  /** The kernel log the agent's OOM watcher follows. */
  final FakeKernelLog kernelLog = new FakeKernelLog(clock.instant().minus(Duration.ofHours(1)));
  final OomWatcher oomWatcher;
  private final TestAgents agents = new TestAgents();
  NodeAgent agent;

  AgentHarness(Path directory) {
    api = InProcessApi.openUnvalidated(directory.resolve("store"), clock);
    client = api.client();
    recorder = new EventRecorder(client, "kubelet", "node1", clock);
    config = AgentConfig.of("node1", directory.resolve("agent"), "10.244.0.0/16", "192.168.1.10");
    oomWatcher = new OomWatcher(() -> kernelLog, new MemoryCgroups(directory.resolve("proc"),
        directory.resolve("cgroup")), clock);
    oomWatcher.start();
    agent = newAgent();
  }

  /** A new agent over the same API and engine (a daemon restart). */
  NodeAgent newAgent() {
    return agents.create(client.as("kubelet"), runtime, config, recorder, oomWatcher, clock,
        (probe, target, timeout) -> {
      probed.add(target.containerId());
      return probeResults.getOrDefault(target.container().name(), Prober.Result.SUCCESS);
    }, Runnable::run);
  }

  ObjectNode createPod(String json) {
    ObjectNode pod = Json.parseObject(json);
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    Json.with(pod, "spec").put("nodeName", "node1");
    return client.create(ResourceTypes.PODS, "default", pod);
  }

  ObjectNode pod(String name) {
    return client.get(ResourceTypes.PODS, "default", name);
  }

  static JsonNode containerStatus(ObjectNode pod, String name) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("name").asText().equals(name)) {
        return status;
      }
    }
    for (JsonNode status : pod.path("status").path("initContainerStatuses")) {
      if (status.path("name").asText().equals(name)) {
        return status;
      }
    }
    return null;
  }

  static String condition(ObjectNode pod, String type) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return condition.path("status").asText();
      }
    }
    return null;
  }

  /** Starts the agent and the runner of its pod workers, as the daemon does. */
  void start() {
    agents.start(agent);
  }

  Duration sync(String name) {
    return agent.syncNow("default", name);
  }

  /** Event "reason: message" lines recorded so far (waits for the asynchronous recorder). */
  /** Waits until the events recorded in "default" include every one given ("Reason: message"). */
  void awaitEvents(String... expected) {
    Eventually.assertThat(() -> assertThat(eventList()).contains(expected));
  }

  /** The events recorded in "default" now ("Reason: message"). */
  List<String> eventList() {
    List<String> result = new ArrayList<>();
    for (ObjectNode event : client.list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items()) {
      result.add(event.path("reason").asText() + ": " + event.path("message").asText());
    }
    return result;
  }

  /** The events recorded in "default" once their count has settled (for what must not be there). */
  List<String> events() throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    int previous = -1;
    while (System.nanoTime() < deadline) {
      List<ObjectNode> items = client.list(ResourceTypes.EVENTS, "default", ListOptions.ALL).items();
      if (items.size() == previous) {
        break;
      }
      previous = items.size();
      Thread.sleep(150);
    }
    return eventList();
  }

  @Override
  public void close() {
    agents.close();
    oomWatcher.close();
    recorder.close();
    api.close();
  }
}
