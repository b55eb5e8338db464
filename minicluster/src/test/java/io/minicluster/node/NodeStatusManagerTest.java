package io.minicluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApi;
import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStatusManagerTest {
  private static final long GIB = 1024L * 1024 * 1024;

  /** Hand-written fake facts: a healthy 4-core 16 GiB machine unless a test changes it. */
  static final class FakeFacts implements NodeFacts {
    volatile boolean up = true;
    volatile long memoryAvailable = 8 * GIB;

    @Override
    public boolean runtimeReachable() {
      return up;
    }

    @Override
    public MachineFacts machine() {
      return new MachineFacts("mid", "uuid", "boot", "6.8.0", "Ubuntu 24.04 LTS", "docker://27.3.1", "amd64", 4,
          16 * GIB, 100 * GIB);
    }

    @Override
    public ResourceUsage usage() {
      return new ResourceUsage(memoryAvailable, 50 * GIB, 500, 4_194_304);
    }
  }

  @TempDir
  Path dataDir;
  private InProcessApi api;
  private Client client;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05.123456789Z"));
  private final FakeFacts facts = new FakeFacts();
  private NodeStatusManager manager;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void setUp() {
    api = InProcessApi.open(dataDir, clock);
    client = api.client();
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"kube-node-lease\"}}"));
    manager = new NodeStatusManager(client.as("kubelet"), facts, "node1", "192.168.1.10", "10.244.0.0/24", 6443,
        clock, timer);
  }

  @AfterEach
  void tearDown() {
    manager.close();
    timer.shutdownNow();
    api.close();
  }

  private ObjectNode node() {
    return client.get(ResourceTypes.NODES, null, "node1");
  }

  private static JsonNode condition(ObjectNode node, String type) {
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return condition;
      }
    }
    throw new AssertionError("no condition " + type);
  }

  private static List<String> taintKeys(ObjectNode node) {
    List<String> keys = new ArrayList<>();
    node.path("spec").path("taints").forEach(t -> keys.add(t.path("key").asText() + ":" + t.path("effect").asText()));
    return keys;
  }

  @Test
  void registersTheNodeWithLabelsCapacityInfoAndConditions() {
    manager.register();

    ObjectNode node = node();
    assertThat(node.path("metadata").path("labels")).isEqualTo(Json.parseObject("{\"beta.kubernetes.io/arch\":"
        + "\"amd64\",\"beta.kubernetes.io/os\":\"linux\",\"kubernetes.io/arch\":\"amd64\","
        + "\"kubernetes.io/hostname\":\"node1\",\"kubernetes.io/os\":\"linux\","
        + "\"node-role.kubernetes.io/control-plane\":\"\"}"));
    assertThat(node.path("spec").path("podCIDR").asText()).isEqualTo("10.244.0.0/24");
    assertThat(node.path("spec").path("podCIDRs")).isEqualTo(Json.array().add("10.244.0.0/24"));
    assertThat(node.path("spec").has("taints")).isFalse();
    JsonNode status = node.path("status");
    assertThat(status.path("capacity")).isEqualTo(Json.parseObject("{\"cpu\":\"4\",\"ephemeral-storage\":"
        + "\"100Gi\",\"memory\":\"16Gi\",\"pods\":\"110\"}"));
    assertThat(status.path("allocatable")).isEqualTo(Json.parseObject("{\"cpu\":\"4\",\"ephemeral-storage\":"
        + "\"96636764160\",\"memory\":\"16284Mi\",\"pods\":\"110\"}"));
    assertThat(status.path("addresses")).isEqualTo(Json.parseObject("{\"a\":[{\"type\":\"InternalIP\",\"address\":"
        + "\"192.168.1.10\"},{\"type\":\"Hostname\",\"address\":\"node1\"}]}").get("a"));
    assertThat(status.path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt()).isEqualTo(6443);
    assertThat(status.path("nodeInfo")).isEqualTo(Json.parseObject("{\"machineID\":\"mid\",\"systemUUID\":\"uuid\","
        + "\"bootID\":\"boot\",\"kernelVersion\":\"6.8.0\",\"osImage\":\"Ubuntu 24.04 LTS\","
        + "\"containerRuntimeVersion\":\"docker://27.3.1\",\"kubeletVersion\":\"v1.35.0-minicluster\",\"kubeProxyVersion\":\"\","
        + "\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}"));
    List<String> types = new ArrayList<>();
    status.path("conditions").forEach(c -> types.add(c.path("type").asText()));
    assertThat(types).containsExactly("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
    JsonNode ready = condition(node, "Ready");
    assertThat(ready.path("status").asText()).isEqualTo("True");
    assertThat(ready.path("reason").asText()).isEqualTo("KubeletReady");
    assertThat(ready.path("message").asText()).isEqualTo("kubelet is posting ready status");
    assertThat(ready.path("lastHeartbeatTime").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(condition(node, "MemoryPressure").path("reason").asText()).isEqualTo("KubeletHasSufficientMemory");
    assertThat(condition(node, "DiskPressure").path("reason").asText()).isEqualTo("KubeletHasNoDiskPressure");
    assertThat(condition(node, "PIDPressure").path("reason").asText()).isEqualTo("KubeletHasSufficientPID");
  }

  @Test
  void createsAndRenewsTheLease() {
    manager.register();
    manager.renewLease();
    ObjectNode lease = client.get(ResourceTypes.LEASES, "kube-node-lease", "node1");
    assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo("node1");
    assertThat(lease.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
    assertThat(lease.path("spec").path("renewTime").asText()).isEqualTo("2026-01-02T03:04:05.123456Z");
    assertThat(lease.path("metadata").path("ownerReferences").get(0).path("uid").asText())
        .isEqualTo(node().path("metadata").path("uid").asText());

    clock.advance(Duration.ofSeconds(10));
    manager.renewLease();

    assertThat(client.get(ResourceTypes.LEASES, "kube-node-lease", "node1").path("spec").path("renewTime").asText())
        .isEqualTo("2026-01-02T03:04:15.123456Z");
  }

  @Test
  void writesStatusOnlyOnChangeOrHeartbeat() {
    manager.register();
    clock.advance(Duration.ofSeconds(10));
    assertThat(manager.syncStatus()).isFalse();

    clock.advance(Duration.ofSeconds(50));
    assertThat(manager.syncStatus()).isTrue();
    assertThat(condition(node(), "Ready").path("lastHeartbeatTime").asText()).isEqualTo("2026-01-02T03:05:05Z");
    assertThat(condition(node(), "Ready").path("lastTransitionTime").asText()).isEqualTo("2026-01-02T03:04:05Z");
  }

  @Test
  void runtimeDownMakesTheNodeNotReadyAndTaintedThenRecovers() {
    manager.register();
    client.modify(ResourceTypes.NODES, null, "node1", node -> {
      node.with("spec").putArray("taints").addObject().put("key", "team").put("value", "a").put("effect",
          "NoSchedule");
      return node;
    });

    facts.up = false;
    clock.advance(Duration.ofSeconds(10));
    assertThat(manager.syncStatus()).isTrue();

    ObjectNode down = node();
    JsonNode ready = condition(down, "Ready");
    assertThat(ready.path("status").asText()).isEqualTo("False");
    assertThat(ready.path("reason").asText()).isEqualTo("KubeletNotReady");
    assertThat(ready.path("message").asText()).isEqualTo(NodeStatusManager.RUNTIME_DOWN_MESSAGE);
    assertThat(ready.path("lastTransitionTime").asText()).isEqualTo("2026-01-02T03:04:15Z");
    assertThat(taintKeys(down)).containsExactly("team:NoSchedule", "node.kubernetes.io/not-ready:NoSchedule");

    facts.up = true;
    clock.advance(Duration.ofSeconds(10));
    assertThat(manager.syncStatus()).isTrue();

    ObjectNode recovered = node();
    assertThat(condition(recovered, "Ready").path("status").asText()).isEqualTo("True");
    assertThat(condition(recovered, "Ready").path("lastTransitionTime").asText()).isEqualTo("2026-01-02T03:04:25Z");
    assertThat(taintKeys(recovered)).containsExactly("team:NoSchedule");
  }

  @Test
  void memoryPressureIsReportedAndTainted() {
    manager.register();
    facts.memoryAvailable = 50L * 1024 * 1024;
    clock.advance(Duration.ofSeconds(10));
    manager.syncStatus();

    ObjectNode node = node();
    assertThat(condition(node, "MemoryPressure").path("status").asText()).isEqualTo("True");
    assertThat(condition(node, "MemoryPressure").path("reason").asText()).isEqualTo("KubeletHasInsufficientMemory");
    assertThat(taintKeys(node)).containsExactly("node.kubernetes.io/memory-pressure:NoSchedule");
  }

  @Test
  void reRegistrationKeepsTheNodeAndRefreshesIt() {
    manager.register();
    String uid = node().path("metadata").path("uid").asText();
    facts.up = false;
    NodeStatusManager again = new NodeStatusManager(client.as("kubelet"), facts, "node1", "192.168.1.10",
        "10.244.0.0/24", 6443, clock, timer);
    again.register();

    assertThat(node().path("metadata").path("uid").asText()).isEqualTo(uid);
    assertThat(condition(node(), "Ready").path("status").asText()).isEqualTo("False");
    assertThat(taintKeys(node())).containsExactly("node.kubernetes.io/not-ready:NoSchedule");
    again.close();
  }
  @Test
  void conditionsOfOthersStayWhereTheyAre() {
    manager.register();
    client.modifyStatus(ResourceTypes.NODES, null, "node1", node -> {
      ArrayNode conditions = (ArrayNode) node.with("status").get("conditions");
      conditions.insertObject(0).put("type", "NetworkUnavailable").put("status", "False")
          .put("reason", "RouteCreated").put("lastTransitionTime", "2026-01-02T03:04:06Z");
      return node;
    });
    facts.up = false;
    clock.advance(Duration.ofSeconds(10));

    assertThat(manager.syncStatus()).isTrue();

    List<String> types = new ArrayList<>();
    node().path("status").path("conditions").forEach(c -> types.add(c.path("type").asText()));
    assertThat(types).containsExactly("NetworkUnavailable", "MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
    assertThat(condition(node(), "NetworkUnavailable").path("reason").asText()).isEqualTo("RouteCreated");
    assertThat(condition(node(), "Ready").path("status").asText()).isEqualTo("False");
    assertThat(condition(node(), "MemoryPressure").path("lastTransitionTime").asText())
        .isEqualTo("2026-01-02T03:04:05Z");
  }
}
