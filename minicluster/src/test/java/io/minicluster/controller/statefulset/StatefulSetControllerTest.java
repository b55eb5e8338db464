package io.minicluster.controller.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.FakeKubelet;
import io.minicluster.controller.testing.Kubelet;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatefulSetControllerTest {
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
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "statefulset-controller", null,
        Clock.systemUTC()));
    cluster.run("statefulset", 2, queue -> new StatefulSetController(client, cluster.informers(), queue, events,
        Clock.systemUTC()));
    kubelet = cluster.closeLater(new FakeKubelet(client));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static ObjectNode statefulSet(String name, int replicas) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"replicas\":" + replicas + ","
        + "\"serviceName\":\"" + name + "-svc\",\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}}}");
  }

  /** The set's pods by name, mapped to whether they are being deleted. */
  private Map<String, Boolean> pods(String app) {
    return cluster.list(ResourceTypes.PODS, NS).stream()
        .filter(pod -> app.equals(Meta.labels(pod).get("app")))
        .collect(Collectors.toMap(Meta::name, Meta::deleting));
  }

  private ObjectNode pod(String name) {
    return client.get(ResourceTypes.PODS, NS, name);
  }

  private ObjectNode status(String name) {
    return (ObjectNode) client.get(ResourceTypes.STATEFUL_SETS, NS, name).get("status");
  }

  private void modifySpec(String name, Consumer<ObjectNode> change) {
    cluster.modify(ResourceTypes.STATEFUL_SETS, NS, name, set -> {
      change.accept(set.with("spec"));
      return set;
    });
  }

  private static void setImage(ObjectNode spec, String image) {
    ((ObjectNode) spec.at("/template/spec/containers/0")).put("image", image);
  }

  private void awaitReady(String name, int replicas) {
    Eventually.assertThat(() -> {
      ObjectNode status = status(name);
      assertThat(status.path("readyReplicas").asInt()).isEqualTo(replicas);
      assertThat(status.path("replicas").asInt()).isEqualTo(replicas);
      assertThat(status.path("currentRevision").asText()).isEqualTo(status.path("updateRevision").asText());
    });
  }

  @Test
  void orderedReadyCreatesEachPodAfterItsPredecessorIsReadyWithAStableIdentity() {
    kubelet.markReady(false);
    ObjectNode created = client.create(ResourceTypes.STATEFUL_SETS, NS, statefulSet("web", 3));
    Eventually.assertThat(() -> assertThat(pods("web")).containsOnlyKeys("web-0"));
    Kubelet.setReady(client, NS, "web-0", true, Instant.now(), "10.0.0.1");
    Eventually.assertThat(() -> assertThat(pods("web")).containsOnlyKeys("web-0", "web-1"));
    Kubelet.setReady(client, NS, "web-1", false, Instant.now(), "10.0.0.2");
    Eventually.assertThat(() -> assertThat(status("web").path("replicas").asInt()).isEqualTo(2));
    assertThat(pods("web")).containsOnlyKeys("web-0", "web-1");
    kubelet.markReady(true);
    awaitReady("web", 3);
    ObjectNode status = status("web");
    assertThat(status.path("currentReplicas").asInt()).isEqualTo(3);
    assertThat(status.path("updatedReplicas").asInt()).isEqualTo(3);
    assertThat(status.path("availableReplicas").asInt()).isEqualTo(3);
    assertThat(status.path("observedGeneration").asInt()).isEqualTo(1);
    assertThat(status.path("collisionCount").asInt()).isZero();
    String revision = status.path("updateRevision").asText();
    assertThat(revision).matches("web-[bcdfghjklmnpqrstvwxz2456789]+");
    ObjectNode pod = pod("web-2");
    assertThat(Meta.labels(pod)).containsEntry("statefulset.kubernetes.io/pod-name", "web-2")
        .containsEntry("apps.kubernetes.io/pod-index", "2").containsEntry(HASH, revision);
    assertThat(pod.at("/spec/hostname").asText()).isEqualTo("web-2");
    assertThat(pod.at("/spec/subdomain").asText()).isEqualTo("web-svc");
    assertThat(pod.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(created));
    assertThat(cluster.list(ResourceTypes.CONTROLLER_REVISIONS, NS)).extracting(Meta::name)
        .containsExactly(revision);
  }

  @Test
  void scaleDownDeletesInReverseOrdinalOrderOneAtATime() {
    ObjectNode definition = statefulSet("web", 3);
    // bound pods terminate gracefully (unbound ones are deleted at once), so the order can be watched
    definition.with("spec").with("template").with("spec").put("nodeName", "node1");
    client.create(ResourceTypes.STATEFUL_SETS, NS, definition);
    awaitReady("web", 3);
    kubelet.holdDeletions(true);
    modifySpec("web", spec -> spec.put("replicas", 1));
    Eventually.assertThat(() -> assertThat(pods("web")).containsEntry("web-2", true));
    assertThat(pods("web")).containsEntry("web-1", false).containsEntry("web-0", false);
    client.deleteIfExists(ResourceTypes.PODS, NS, "web-2", DeleteOptions.immediate());
    Eventually.assertThat(() -> assertThat(pods("web")).containsEntry("web-1", true).doesNotContainKey("web-2"));
    kubelet.holdDeletions(false);
    Eventually.assertThat(() -> assertThat(pods("web")).containsOnlyKeys("web-0"));
    awaitReady("web", 1);
  }

  @Test
  void parallelCreatesAllPodsWithoutWaiting() {
    kubelet.markReady(false);
    ObjectNode definition = statefulSet("db", 3);
    definition.with("spec").put("podManagementPolicy", "Parallel");
    client.create(ResourceTypes.STATEFUL_SETS, NS, definition);
    Eventually.assertThat(() -> assertThat(pods("db")).containsOnlyKeys("db-0", "db-1", "db-2"));
  }

  @Test
  void rollingUpdateWithAPartitionUpdatesOnlyOrdinalsAtOrAboveIt() {
    client.create(ResourceTypes.STATEFUL_SETS, NS, statefulSet("web", 3));
    awaitReady("web", 3);
    String first = status("web").path("currentRevision").asText();
    modifySpec("web", spec -> {
      spec.with("updateStrategy").with("rollingUpdate").put("partition", 2);
      setImage(spec, "busybox:2");
    });
    Eventually.assertThat(() -> {
      assertThat(pod("web-2").at("/spec/containers/0/image").asText()).isEqualTo("busybox:2");
      ObjectNode status = status("web");
      assertThat(status.path("updatedReplicas").asInt()).isEqualTo(1);
      assertThat(status.path("currentReplicas").asInt()).isEqualTo(2);
      assertThat(status.path("readyReplicas").asInt()).isEqualTo(3);
      assertThat(status.path("currentRevision").asText()).isEqualTo(first);
      assertThat(status.path("updateRevision").asText()).isNotEqualTo(first);
    });
    assertThat(pod("web-1").at("/spec/containers/0/image").asText()).isEqualTo("busybox:1");
    assertThat(pod("web-0").at("/spec/containers/0/image").asText()).isEqualTo("busybox:1");
    modifySpec("web", spec -> spec.with("updateStrategy").with("rollingUpdate").put("partition", 0));
    awaitReady("web", 3);
    assertThat(status("web").path("currentRevision").asText()).isNotEqualTo(first);
    for (String name : List.of("web-0", "web-1", "web-2")) {
      assertThat(pod(name).at("/spec/containers/0/image").asText()).isEqualTo("busybox:2");
    }
    assertThat(cluster.list(ResourceTypes.CONTROLLER_REVISIONS, NS)).hasSize(2);
  }

  @Test
  void onDeleteUpdatesOnlyPodsThatAreDeleted() {
    ObjectNode definition = statefulSet("web", 2);
    definition.with("spec").putObject("updateStrategy").put("type", "OnDelete");
    client.create(ResourceTypes.STATEFUL_SETS, NS, definition);
    Eventually.assertThat(() -> assertThat(status("web").path("readyReplicas").asInt()).isEqualTo(2));
    modifySpec("web", spec -> setImage(spec, "busybox:2"));
    Eventually.assertThat(() -> assertThat(status("web").path("observedGeneration").asInt()).isEqualTo(2));
    assertThat(pod("web-1").at("/spec/containers/0/image").asText()).isEqualTo("busybox:1");
    client.deleteIfExists(ResourceTypes.PODS, NS, "web-1", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> {
      assertThat(pod("web-1").at("/spec/containers/0/image").asText()).isEqualTo("busybox:2");
      assertThat(status("web").path("updatedReplicas").asInt()).isEqualTo(1);
    });
    assertThat(pod("web-0").at("/spec/containers/0/image").asText()).isEqualTo("busybox:1");
  }

  @Test
  void claimsAreCreatedBeforeThePodsAndOwnedAsTheRetentionPolicySays() {
    ObjectNode definition = statefulSet("db", 2);
    definition.with("spec").set("volumeClaimTemplates", Json.parseObject(
        "{\"templates\":[{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
            + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}]}").get("templates"));
    definition.with("spec").set("persistentVolumeClaimRetentionPolicy",
        Json.parseObject("{\"whenDeleted\":\"Delete\",\"whenScaled\":\"Delete\"}"));
    ObjectNode created = client.create(ResourceTypes.STATEFUL_SETS, NS, definition);
    awaitReady("db", 2);
    for (int ordinal = 0; ordinal < 2; ordinal++) {
      ObjectNode claim = client.get(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data-db-" + ordinal);
      assertThat(Meta.labels(claim)).containsEntry("app", "db");
      assertThat(claim.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(created));
      assertThat(pod("db-" + ordinal).at("/spec/volumes/0").toString()).isEqualTo(
          "{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data-db-" + ordinal + "\"}}");
    }
    String podUid = Meta.uid(pod("db-1"));
    modifySpec("db", spec -> spec.put("replicas", 1));
    Eventually.assertThat(() -> assertThat(pods("db")).containsOnlyKeys("db-0"));
    // the claim of the pod scaled away is owned by that pod too: the garbage collector deletes it after the pod
    assertThat(Json.objects(client.get(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, NS, "data-db-1").get("metadata"),
        "ownerReferences")).extracting(reference -> Json.textOrNull(reference, "uid")).contains(podUid);
  }
}
