package io.minicluster.controller.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.FakeKubelet;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonSetControllerTest {
  private static final String NS = "default";
  private static final String HASH = "controller-revision-hash";
  @TempDir
  Path directory;
  private TestCluster cluster;
  private Client client;
  private FakeKubelet kubelet;

  @BeforeEach
  void start() {
    cluster = new TestCluster(directory);
    client = cluster.client();
    cluster.createNamespace(NS);
    client.create(ResourceTypes.NODES, null, Json.parseObject(
        "{\"metadata\":{\"name\":\"node1\",\"labels\":{\"disk\":\"ssd\"}}}"));
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "daemonset-controller", null,
        Clock.systemUTC()));
    cluster.run("daemonset", 2, queue -> new DaemonSetController(client, cluster.informers(), queue, events,
        Clock.systemUTC()));
    kubelet = cluster.closeLater(new FakeKubelet(client));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static ObjectNode daemonSet(String name, String image) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}}}");
  }

  private List<ObjectNode> pods(String app) {
    return cluster.list(ResourceTypes.PODS, NS).stream()
        .filter(pod -> app.equals(Meta.labels(pod).get("app"))).toList();
  }

  private List<ObjectNode> revisions() {
    return cluster.list(ResourceTypes.CONTROLLER_REVISIONS, NS);
  }

  private ObjectNode status(String name) {
    return (ObjectNode) client.get(ResourceTypes.DAEMON_SETS, NS, name).get("status");
  }

  private void setImage(String name, String image) {
    cluster.modify(ResourceTypes.DAEMON_SETS, NS, name, ds -> {
      ((ObjectNode) ds.at("/spec/template/spec/containers/0")).put("image", image);
      return ds;
    });
  }

  @Test
  void runsOnePodPinnedToTheNodeWithTheDaemonTolerationsAndARevision() {
    ObjectNode created = client.create(ResourceTypes.DAEMON_SETS, NS, daemonSet("agent", "busybox:1"));
    Eventually.assertThat(() -> {
      ObjectNode status = status("agent");
      assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(1);
      assertThat(status.path("currentNumberScheduled").asInt()).isEqualTo(1);
      assertThat(status.path("numberReady").asInt()).isEqualTo(1);
      assertThat(status.path("numberAvailable").asInt()).isEqualTo(1);
      assertThat(status.path("updatedNumberScheduled").asInt()).isEqualTo(1);
      assertThat(status.path("numberMisscheduled").asInt()).isZero();
      assertThat(status.path("observedGeneration").asInt()).isEqualTo(1);
    });
    List<ObjectNode> pods = pods("agent");
    assertThat(pods).hasSize(1);
    ObjectNode pod = pods.get(0);
    assertThat(Meta.name(pod)).matches("agent-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(pod.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(created));
    assertThat(pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
        + "/nodeSelectorTerms/0/matchFields/0").toString())
        .isEqualTo("{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"node1\"]}");
    assertThat(Json.objects(pod.get("spec"), "tolerations")).extracting(t -> Json.textOrNull(t, "key"))
        .contains("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
            "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable");
    String hash = Meta.labels(pod).get(HASH);
    assertThat(revisions()).singleElement().satisfies(revision -> {
      assertThat(Meta.name(revision)).isEqualTo("agent-" + hash);
      assertThat(Meta.labels(revision)).containsEntry(HASH, hash).containsEntry("app", "agent");
      assertThat(revision.path("revision").asLong()).isEqualTo(1);
      assertThat(revision.at("/data/spec/template/$patch").asText()).isEqualTo("replace");
      assertThat(revision.at("/data/spec/template/spec/containers/0/image").asText()).isEqualTo("busybox:1");
      assertThat(revision.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(created));
    });
  }

  @Test
  void nodesThatDoNotMatchOrWhoseTaintsAreNotToleratedRunNoPod() {
    ObjectNode selective = daemonSet("hdd", "busybox:1");
    selective.with("spec").with("template").with("spec").putObject("nodeSelector").put("disk", "hdd");
    client.create(ResourceTypes.DAEMON_SETS, NS, selective);
    client.create(ResourceTypes.DAEMON_SETS, NS, daemonSet("agent", "busybox:1"));
    Eventually.assertThat(() -> assertThat(pods("agent")).hasSize(1));
    Eventually.assertThat(() -> assertThat(status("hdd").path("observedGeneration").asInt()).isEqualTo(1));
    assertThat(status("hdd").path("desiredNumberScheduled").asInt()).isZero();
    assertThat(pods("hdd")).isEmpty();
    // a NoExecute taint the pod does not tolerate evicts it; the standard not-ready one is tolerated
    cluster.modify(ResourceTypes.NODES, null, "node1", node -> {
      node.with("spec").putArray("taints").add(Json.parseObject(
          "{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoExecute\"}"));
      return node;
    });
    Eventually.assertThat(() -> assertThat(status("agent").path("desiredNumberScheduled").asInt()).isEqualTo(1));
    cluster.modify(ResourceTypes.NODES, null, "node1", node -> {
      node.with("spec").withArray("taints").add(Json.parseObject("{\"key\":\"dedicated\",\"effect\":\"NoExecute\"}"));
      return node;
    });
    Eventually.assertThat(() -> {
      assertThat(pods("agent")).isEmpty();
      assertThat(status("agent").path("desiredNumberScheduled").asInt()).isZero();
      assertThat(status("agent").path("currentNumberScheduled").asInt()).isZero();
    });
  }

  @Test
  void aNoScheduleTaintLeavesTheRunningPodCountedAsMisscheduled() {
    kubelet.holdDeletions(true);
    client.create(ResourceTypes.DAEMON_SETS, NS, daemonSet("agent", "busybox:1"));
    Eventually.assertThat(() -> assertThat(pods("agent")).hasSize(1));
    cluster.modify(ResourceTypes.NODES, null, "node1", node -> {
      node.with("spec").putArray("taints").add(Json.parseObject("{\"key\":\"dedicated\",\"effect\":\"NoSchedule\"}"));
      return node;
    });
    // NoSchedule: no new pod should run there, but the running one stays, counted as misscheduled
    Eventually.assertThat(() -> {
      ObjectNode status = status("agent");
      assertThat(status.path("desiredNumberScheduled").asInt()).isZero();
      assertThat(status.path("numberMisscheduled").asInt()).isEqualTo(1);
    });
    assertThat(pods("agent")).singleElement().satisfies(pod -> assertThat(Meta.deleting(pod)).isFalse());
  }

  @Test
  void rollingUpdateReplacesThePodAndARollbackRenumbersTheOldRevision() {
    client.create(ResourceTypes.DAEMON_SETS, NS, daemonSet("agent", "busybox:1"));
    Eventually.assertThat(() -> assertThat(status("agent").path("numberAvailable").asInt()).isEqualTo(1));
    String firstHash = Meta.labels(pods("agent").get(0)).get(HASH);
    setImage("agent", "busybox:2");
    Eventually.assertThat(() -> {
      assertThat(pods("agent")).singleElement().satisfies(pod -> {
        assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo("busybox:2");
        assertThat(Meta.labels(pod).get(HASH)).isNotEqualTo(firstHash);
      });
      ObjectNode status = status("agent");
      assertThat(status.path("observedGeneration").asInt()).isEqualTo(2);
      assertThat(status.path("updatedNumberScheduled").asInt()).isEqualTo(1);
      assertThat(status.path("numberAvailable").asInt()).isEqualTo(1);
    });
    assertThat(revisions()).extracting(r -> r.path("revision").asLong()).containsExactlyInAnyOrder(1L, 2L);
    setImage("agent", "busybox:1");
    Eventually.assertThat(() -> {
      assertThat(pods("agent")).singleElement().satisfies(pod ->
          assertThat(Meta.labels(pod).get(HASH)).isEqualTo(firstHash));
      assertThat(revisions()).hasSize(2).filteredOn(r -> Meta.name(r).equals("agent-" + firstHash))
          .singleElement().satisfies(r -> assertThat(r.path("revision").asLong()).isEqualTo(3));
    });
  }

  @Test
  void onDeleteReplacesOnlyDeletedPods() {
    ObjectNode definition = daemonSet("agent", "busybox:1");
    definition.with("spec").putObject("updateStrategy").put("type", "OnDelete");
    client.create(ResourceTypes.DAEMON_SETS, NS, definition);
    Eventually.assertThat(() -> assertThat(status("agent").path("numberAvailable").asInt()).isEqualTo(1));
    String oldPod = Meta.name(pods("agent").get(0));
    setImage("agent", "busybox:2");
    Eventually.assertThat(() -> {
      assertThat(status("agent").path("observedGeneration").asInt()).isEqualTo(2);
      assertThat(revisions()).hasSize(2);
    });
    assertThat(status("agent").has("updatedNumberScheduled")).isFalse();
    assertThat(pods("agent")).extracting(Meta::name).containsExactly(oldPod);
    client.deleteIfExists(ResourceTypes.PODS, NS, oldPod, DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> {
      assertThat(pods("agent")).singleElement().satisfies(pod ->
          assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo("busybox:2"));
      assertThat(status("agent").path("updatedNumberScheduled").asInt()).isEqualTo(1);
    });
  }

  @Test
  void surgeStartsTheNewPodBeforeDeletingTheOld() {
    ObjectNode definition = daemonSet("agent", "busybox:1");
    definition.with("spec").set("updateStrategy", Json.parseObject(
        "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}"));
    client.create(ResourceTypes.DAEMON_SETS, NS, definition);
    Eventually.assertThat(() -> assertThat(status("agent").path("numberAvailable").asInt()).isEqualTo(1));
    String oldPod = Meta.name(pods("agent").get(0));
    kubelet.markReady(false);
    setImage("agent", "busybox:2");
    Eventually.assertThat(() -> assertThat(pods("agent")).hasSize(2));
    assertThat(pods("agent")).filteredOn(pod -> Meta.name(pod).equals(oldPod)).singleElement()
        .satisfies(pod -> assertThat(Meta.deleting(pod)).isFalse());
    kubelet.markReady(true);
    Eventually.assertThat(() -> assertThat(pods("agent")).singleElement().satisfies(pod ->
        assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo("busybox:2")));
  }

  @Test
  void oldRevisionsPastTheHistoryLimitAreDeleted() {
    ObjectNode definition = daemonSet("agent", "busybox:1");
    definition.with("spec").put("revisionHistoryLimit", 1);
    client.create(ResourceTypes.DAEMON_SETS, NS, definition);
    Eventually.assertThat(() -> assertThat(revisions()).hasSize(1));
    for (int image = 2; image <= 4; image++) {
      setImage("agent", "busybox:" + image);
      int generation = image;
      Eventually.assertThat(() -> {
        assertThat(status("agent").path("observedGeneration").asInt()).isEqualTo(generation);
        assertThat(status("agent").path("updatedNumberScheduled").asInt()).isEqualTo(1);
      });
    }
    Eventually.assertThat(() -> assertThat(revisions()).extracting(r -> r.path("revision").asLong())
        .containsExactlyInAnyOrder(3L, 4L));
  }
}
