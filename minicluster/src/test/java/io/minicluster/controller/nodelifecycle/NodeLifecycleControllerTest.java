package io.minicluster.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Kinds;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest extends ClusterTest {
  private static final String NS = "default";
  private static final Duration GRACE = Duration.ofSeconds(50);

  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    cluster.createNamespace(NodeLifecycleController.LEASE_NAMESPACE);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "node-controller", null, clock));
    cluster.run("nodelifecycle", 1, queue -> new NodeLifecycleController(client, cluster.informers(), queue, events,
        clock, NodeLifecycleConfig.defaults()));
  }

  /** A node as a kubelet registers it: Ready True with a heartbeat now, and its lease renewed now. */
  private void registerNode(String name, String readyStatus) {
    ObjectNode node = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"status\":{\"conditions\":[]}}");
    ObjectNode status = Json.with(node, "status");
    for (String type : List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")) {
      ObjectNode condition = Json.object();
      condition.put("type", type);
      condition.put("status", type.equals("Ready") ? readyStatus : "False");
      condition.put("lastHeartbeatTime", Meta.timestamp(clock.instant()));
      condition.put("lastTransitionTime", Meta.timestamp(clock.instant()));
      condition.put("reason", type.equals("Ready") ? "KubeletReady" : "KubeletHasSufficientMemory");
      Conditions.replace(status, condition);
    }
    client.create(ResourceTypes.NODES, null, node);
    ObjectNode lease = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"holderIdentity\":\""
        + name + "\",\"leaseDurationSeconds\":40}}");
    Json.with(lease, "spec").put("renewTime", Meta.microTimestamp(clock.instant()));
    client.create(ResourceTypes.LEASES, NodeLifecycleController.LEASE_NAMESPACE, lease);
    // the controller hears a renewal when its informer shows it, at its own clock's time: the lease must be seen
    // before a test moves the clock, or the move would count as the time of the first renewal
    Eventually.assertThat(() -> assertThat(cluster.informers().informer(Kinds.LEASES)
        .get(NodeLifecycleController.LEASE_NAMESPACE, name)).isPresent());
    settle();
  }

  private void renewLease(String name) {
    client.modify(ResourceTypes.LEASES, NodeLifecycleController.LEASE_NAMESPACE, name, lease -> {
      Json.with(lease, "spec").put("renewTime", Meta.microTimestamp(clock.instant()));
      return lease;
    });
  }

  /** Makes the controller look at the node again (as its periodic monitoring would) after the clock moved. */
  private void poke(String name) {
    client.modify(ResourceTypes.NODES, null, name, node -> {
      Json.with(Meta.metadata(node), "annotations").put("test/poke", clock.instant().toString());
      return node;
    });
  }

  /** A running, ready pod bound to the node; tolerations as given (the registry adds the default 300 s ones). */
  private ObjectNode readyPod(String name, String node, ObjectNode... tolerations) {
    ObjectNode pod = TestCluster.pod(name);
    Json.with(pod, "spec").put("nodeName", node);
    for (ObjectNode toleration : tolerations) {
      Json.with(pod, "spec").withArray("tolerations").add(toleration);
    }
    client.create(ResourceTypes.PODS, NS, pod);
    return client.modifyStatus(ResourceTypes.PODS, NS, name, object -> {
      ObjectNode status = Json.with(object, "status");
      status.put("phase", "Running");
      ObjectNode ready = Json.object();
      ready.put("type", "Ready");
      ready.put("status", "True");
      ready.put("lastTransitionTime", Meta.timestamp(clock.instant()));
      Conditions.replace(status, ready);
      return object;
    });
  }

  /**
   * Waits until the controller has handled everything queued so far: a new node its kubelet reports not ready is
   * queued behind it (one worker, one node informer, both in order) and gets its taint.
   */
  private void settle() {
    String sentinel = "sentinel-" + sentinels++;
    ObjectNode node = Json.parseObject("{\"metadata\":{\"name\":\"" + sentinel + "\"},\"status\":{\"conditions\":"
        + "[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"KubeletNotReady\",\"lastHeartbeatTime\":\""
        + Meta.timestamp(clock.instant()) + "\",\"lastTransitionTime\":\"" + Meta.timestamp(clock.instant())
        + "\"}]}}");
    client.create(ResourceTypes.NODES, null, node);
    Eventually.assertThat(() -> assertThat(taints(node(sentinel))).contains("node.kubernetes.io/not-ready:NoSchedule"));
  }

  private int sentinels;

  private ObjectNode node(String name) {
    return client.get(ResourceTypes.NODES, null, name);
  }

  private static String condition(ObjectNode node, String type, String field) {
    return Json.text(Conditions.get(node.get("status"), type), field);
  }

  private static List<String> taints(ObjectNode node) {
    List<String> taints = new ArrayList<>();
    for (JsonNode taint : Json.elements(Json.at(node, "spec"), "taints")) {
      taints.add(Json.text(taint, "key") + ":" + Json.text(taint, "effect"));
    }
    return taints;
  }

  private String podReady(String name) {
    return Json.text(Conditions.get(client.get(ResourceTypes.PODS, NS, name).get("status"), "Ready"), "status");
  }

  @Test
  void aNodeWhoseLeaseLapsesGoesUnknownIsTaintedAndItsPodsAreNotReady() {
    registerNode("worker", "True");
    readyPod("web", "worker");

    clock.advance(GRACE.minusSeconds(5));
    poke("worker");
    settle();
    // within the grace period nothing changes
    assertThat(condition(node("worker"), "Ready", "status")).isEqualTo("True");
    assertThat(taints(node("worker"))).isEmpty();

    clock.advance(Duration.ofSeconds(10));
    poke("worker");
    Eventually.assertThat(() -> {
      ObjectNode node = node("worker");
      for (String type : List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")) {
        assertThat(condition(node, type, "status")).as(type).isEqualTo("Unknown");
        assertThat(condition(node, type, "reason")).as(type).isEqualTo("NodeStatusUnknown");
        assertThat(condition(node, type, "message")).as(type).isEqualTo("Kubelet stopped posting node status.");
      }
      assertThat(condition(node, "Ready", "lastTransitionTime")).isEqualTo(Meta.timestamp(clock.instant()));
      assertThat(taints(node)).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule",
          "node.kubernetes.io/unreachable:NoExecute");
      assertThat(podReady("web")).isEqualTo("False");
    });
    JsonNode noExecute = Json.elements(Json.at(node("worker"), "spec"), "taints").stream()
        .filter(t -> Json.text(t, "effect").equals("NoExecute")).findFirst().orElseThrow();
    assertThat(Json.text(noExecute, "timeAdded")).isEqualTo(Meta.timestamp(clock.instant()));
  }

  @Test
  void aRenewedLeaseKeepsTheNodeReadyAndTheTaintsGoWhenTheKubeletIsBack() {
    registerNode("worker", "True");
    for (int i = 0; i < 3; i++) {
      clock.advance(GRACE.minusSeconds(10));
      renewLease("worker");
    }
    poke("worker");
    settle();
    assertThat(condition(node("worker"), "Ready", "status")).isEqualTo("True");

    clock.advance(GRACE.plusSeconds(1));
    poke("worker");
    Eventually.assertThat(() -> assertThat(taints(node("worker"))).contains("node.kubernetes.io/unreachable:NoExecute"));

    // the kubelet posts Ready again
    client.modifyStatus(ResourceTypes.NODES, null, "worker", node -> {
      ObjectNode ready = (ObjectNode) Conditions.get(node.get("status"), "Ready");
      ready.put("status", "True").put("reason", "KubeletReady").put("message", "kubelet is posting ready status")
          .put("lastHeartbeatTime", Meta.timestamp(clock.instant()));
      return node;
    });
    renewLease("worker");
    Eventually.assertThat(() -> assertThat(taints(node("worker"))).isEmpty());
  }

  @Test
  void aNodeThatNeverPostedStatusGoesUnknownAfterTheStartupGracePeriod() {
    client.create(ResourceTypes.NODES, null, Json.parseObject("{\"metadata\":{\"name\":\"ghost\"}}"));
    clock.advance(NodeLifecycleConfig.DEFAULT_STARTUP_GRACE_PERIOD.plusSeconds(2));
    poke("ghost");

    Eventually.assertThat(() -> {
      ObjectNode node = node("ghost");
      assertThat(condition(node, "Ready", "status")).isEqualTo("Unknown");
      assertThat(condition(node, "Ready", "reason")).isEqualTo("NodeStatusNeverUpdated");
      assertThat(condition(node, "Ready", "message")).isEqualTo("Kubelet never posted node status.");
      assertThat(condition(node, "DiskPressure", "reason")).isEqualTo("NodeStatusNeverUpdated");
      assertThat(taints(node)).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule",
          "node.kubernetes.io/unreachable:NoExecute");
    });
  }

  @Test
  void conditionsTheKubeletReportsTaintTheNodeAndAUserTaintStays() {
    registerNode("sick", "False");
    client.modify(ResourceTypes.NODES, null, "sick", node -> {
      Json.with(node, "spec").put("unschedulable", true).withArray("taints").addObject().put("key", "dedicated")
          .put("value", "gpu").put("effect", "NoSchedule");
      return node;
    });
    client.modifyStatus(ResourceTypes.NODES, null, "sick", node -> {
      ((ObjectNode) Conditions.get(node.get("status"), "DiskPressure")).put("status", "True");
      return node;
    });

    Eventually.assertThat(() -> assertThat(taints(node("sick"))).containsExactlyInAnyOrder("dedicated:NoSchedule",
        "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute",
        "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule"));
    // a node reported not ready by its kubelet is not marked Unknown
    assertThat(condition(node("sick"), "Ready", "status")).isEqualTo("False");
  }

  @Test
  void podsOnAnUnreachableNodeAreDeletedAfterTheirTolerationSeconds() {
    registerNode("worker", "True");
    readyPod("defaults", "worker");
    readyPod("forever", "worker", Json.parseObject(
        "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}"));
    readyPod("short", "worker", Json.parseObject("{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":10}"));
    // the DefaultTolerationSeconds admission gave "defaults" 300 s for not-ready and unreachable
    assertThat(Json.elements(Json.at(client.get(ResourceTypes.PODS, NS, "defaults"), "spec"), "tolerations"))
        .extracting(t -> Json.text(t, "key") + "=" + Json.text(t, "tolerationSeconds"))
        .contains("node.kubernetes.io/unreachable=300");

    clock.advance(GRACE.plusSeconds(1));
    poke("worker");
    Eventually.assertThat(() -> assertThat(taints(node("worker"))).contains("node.kubernetes.io/unreachable:NoExecute"));
    clock.advance(Duration.ofSeconds(11));
    poke("worker");
    Eventually.assertThat(() -> assertThat(deleting("short")).isTrue());
    assertThat(deleting("defaults")).isFalse();

    clock.advance(Duration.ofSeconds(300));
    poke("worker");
    Eventually.assertThat(() -> assertThat(deleting("defaults")).isTrue());
    assertThat(deleting("forever")).isFalse();
  }

  private boolean deleting(String pod) {
    return client.find(ResourceTypes.PODS, NS, pod).map(Meta::deleting).orElse(true);
  }
}
