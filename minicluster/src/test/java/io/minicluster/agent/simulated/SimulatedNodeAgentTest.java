package io.minicluster.agent.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated node over the real API path (store, registries with the daemon's strategies, shared informers). */
class SimulatedNodeAgentTest {
  private static final String NS = "default";
  private static final String NODE = "sim-node";
  private static final String NODE_IP = "192.168.7.7";
  @TempDir
  Path directory;
  private TestCluster cluster;
  private Client client;
  private SimulatedNodeAgent agent;

  @BeforeEach
  void start() {
    cluster = new TestCluster(directory);
    client = cluster.client();
    cluster.createNamespace(NS);
    agent = runAgent(cluster);
  }

  /** The agent on a runner of its own, as the wiring runs it. */
  private static SimulatedNodeAgent runAgent(TestCluster cluster) {
    WorkQueue queue = new WorkQueue("simulated-node");
    SimulatedNodeAgent agent = new SimulatedNodeAgent(cluster.client().as("kubelet"), cluster.informers(), queue,
        NODE, NODE_IP, "10.250.0.0/16", Clock.systemUTC());
    cluster.closeLater(new Controller("simulated-node", queue, agent, agent.informers(), 2)).start();
    return agent;
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Creates a pod and binds it to a node, as the scheduler does. */
  private ObjectNode scheduled(String name, String node, String podJson) {
    ObjectNode pod = Json.parseObject(podJson.replace("NAME", name));
    ObjectNode created = client.create(ResourceTypes.PODS, NS, pod);
    client.bind(NS, name, node, Meta.uid(created));
    return created;
  }

  private ObjectNode scheduled(String name) {
    return scheduled(name, NODE, "{\"metadata\":{\"name\":\"NAME\"},\"spec\":{\"containers\":["
        + "{\"name\":\"app\",\"image\":\"nginx\"},{\"name\":\"side\",\"image\":\"registry.example/side:2\"}]}}");
  }

  private ObjectNode running(String name) {
    return Eventually.value(() -> client.find(ResourceTypes.PODS, NS, name)
        .filter(pod -> "Running".equals(Json.text(pod.path("status"), "phase"))).orElse(null));
  }

  private static String condition(JsonNode pod, String type) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition.path("status").asText();
      }
    }
    return "absent";
  }

  @Test
  void aPodBoundToTheNodeRunsWithWhatAKubeletWrites() {
    scheduled("web");

    ObjectNode pod = running("web");

    JsonNode status = pod.path("status");
    assertThat(status.path("hostIP").asText()).isEqualTo(NODE_IP);
    assertThat(status.path("hostIPs").toString()).isEqualTo("[{\"ip\":\"" + NODE_IP + "\"}]");
    assertThat(status.path("podIP").asText()).startsWith("10.250.").isNotEqualTo("10.250.0.1");
    assertThat(status.path("podIPs").get(0).path("ip").asText()).isEqualTo(status.path("podIP").asText());
    assertThat(status.path("startTime").asText()).isNotEmpty();
    assertThat(status.path("qosClass").asText()).isEqualTo("BestEffort");
    for (String type : List.of("PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready",
        "PodScheduled")) {
      assertThat(condition(pod, type)).as(type).isEqualTo("True");
    }
    assertThat(status.path("conditions").get(0).path("type").asText()).isEqualTo("PodReadyToStartContainers");
    JsonNode containers = status.path("containerStatuses");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).path("name").asText()).isEqualTo("app");
    assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:latest");
    assertThat(containers.get(1).path("image").asText()).isEqualTo("registry.example/side:2");
    for (JsonNode container : containers) {
      assertThat(container.path("ready").asBoolean()).isTrue();
      assertThat(container.path("started").asBoolean()).isTrue();
      assertThat(container.path("restartCount").asInt()).isZero();
      assertThat(container.path("state").path("running").path("startedAt").asText()).isNotEmpty();
    }
  }

  @Test
  void initContainersHaveCompletedAndSidecarsRun() {
    scheduled("init", NODE, "{\"metadata\":{\"name\":\"NAME\"},\"spec\":{"
        + "\"initContainers\":[{\"name\":\"setup\",\"image\":\"busybox\"},"
        + "{\"name\":\"proxy\",\"image\":\"busybox\",\"restartPolicy\":\"Always\"}],"
        + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}");

    JsonNode inits = running("init").path("status").path("initContainerStatuses");

    assertThat(inits.get(0).path("state").path("terminated").path("reason").asText()).isEqualTo("Completed");
    assertThat(inits.get(0).path("state").path("terminated").path("exitCode").asInt()).isZero();
    assertThat(inits.get(1).path("state").path("running").isObject()).isTrue();
    assertThat(inits.get(1).path("started").asBoolean()).isTrue();
  }

  @Test
  void aHostNetworkPodHasTheNodesAddressAndHoldsNone() {
    scheduled("host", NODE, "{\"metadata\":{\"name\":\"NAME\"},\"spec\":{\"hostNetwork\":true,"
        + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}");

    assertThat(running("host").path("status").path("podIP").asText()).isEqualTo(NODE_IP);
    assertThat(agent.addressesInUse()).isZero();
  }

  @Test
  void podsOfOtherNodesAndUnscheduledPodsAreLeftAlone() throws Exception {
    client.create(ResourceTypes.PODS, NS, Json.parseObject(
        "{\"metadata\":{\"name\":\"pending\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"));
    scheduled("elsewhere", "other-node", "{\"metadata\":{\"name\":\"NAME\"},\"spec\":{\"containers\":["
        + "{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    scheduled("mine");
    running("mine");

    assertThat(client.get(ResourceTypes.PODS, NS, "pending").path("status").path("phase").asText())
        .isEqualTo("Pending");
    assertThat(client.get(ResourceTypes.PODS, NS, "elsewhere").path("status").has("podIP")).isFalse();
    assertThat(agent.addressesInUse()).isEqualTo(1);
  }

  @Test
  void aPodBeingDeletedIsFinalizedAndItsAddressReleased() {
    scheduled("doomed");
    running("doomed");
    assertThat(agent.addressesInUse()).isEqualTo(1);

    // kubectl delete: the default grace period of 30 s only marks the pod, the node finishes the deletion
    client.delete(ResourceTypes.PODS, NS, "doomed", DeleteOptions.DEFAULT);

    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.PODS, NS, "doomed")).isEmpty());
    Eventually.assertThat(() -> assertThat(agent.addressesInUse()).isZero());
  }

  /** Pods p0, p1... scheduled to the node, and their addresses once they run. */
  private List<String> runningPodAddresses(int count) {
    for (int i = 0; i < count; i++) {
      scheduled("p" + i);
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      addresses.add(running("p" + i).path("status").path("podIP").asText());
    }
    return addresses;
  }

  @Test
  void addressesAreNotReusedWhileHeldNorRightAfterRelease() {
    List<String> held = runningPodAddresses(20);
    assertThat(new HashSet<>(held)).hasSize(20);
    client.delete(ResourceTypes.PODS, NS, "p3", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(agent.addressesInUse()).isEqualTo(19));

    scheduled("late");

    assertThat(running("late").path("status").path("podIP").asText()).isNotIn(held);
  }

  @Test
  void aNewAgentKeepsTheAddressesOfThePodsAlreadyRunning() {
    Set<String> held = new HashSet<>(runningPodAddresses(5));
    cluster.close();
    // a restart: another agent over the same store, whose pool starts empty
    cluster = new TestCluster(directory);
    client = cluster.client();
    agent = runAgent(cluster);
    Eventually.assertThat(() -> assertThat(agent.addressesInUse()).isEqualTo(5));

    scheduled("after");

    assertThat(running("after").path("status").path("podIP").asText()).isNotIn(held);
    for (int i = 0; i < 5; i++) {
      assertThat(client.get(ResourceTypes.PODS, NS, "p" + i).path("status").path("podIP").asText()).isIn(held);
    }
  }
}
