package io.minicluster.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.EventRecorder;
import io.minicluster.api.core.Pod;
import io.minicluster.controller.replication.ReplicaSetController;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.FakeKubelet;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest extends ClusterTest {
  private static final String NS = "default";
  private static final Duration ROLLOUT = Duration.ofSeconds(20);
  private FakeKubelet kubelet;
  /** The deployment controller's clock: the system's, moved on by hand where a test needs time to pass. */
  private final ShiftedClock clock = new ShiftedClock();

  private static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void advance(Duration duration) {
      shift = shift.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(shift);
    }
  }

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "deployment-controller", null,
        Clock.systemUTC()));
    cluster.run("replicaset", 2, queue -> ReplicaSetController.forReplicaSets(client, cluster.informers(), queue,
        events, Clock.systemUTC()));
    cluster.run("deployment", 2,
        queue -> new DeploymentController(client, cluster.informers(), queue, events, clock));
    kubelet = cluster.closeLater(new FakeKubelet(client));
  }

  private static ObjectNode deployment(String name, int replicas, String image) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"replicas\":" + replicas + ","
        + "\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}}}");
  }

  private List<ObjectNode> replicaSets() {
    return cluster.list(ResourceTypes.REPLICA_SETS, NS);
  }

  private ObjectNode replicaSetWithImage(String image) {
    return replicaSets().stream().filter(rs -> image.equals(rs.at("/spec/template/spec/containers/0/image")
        .asText())).findFirst().orElseThrow(() -> new AssertionError("no replica set for " + image));
  }

  private ObjectNode get(String name) {
    return client.get(ResourceTypes.DEPLOYMENTS, NS, name);
  }

  private static JsonNode condition(ObjectNode deployment, String type) {
    for (JsonNode condition : deployment.path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return null;
  }

  private void setImage(String name, String image) {
    cluster.modify(ResourceTypes.DEPLOYMENTS, NS, name, d -> {
      ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", image);
      return d;
    });
  }

  private void assertRolledOut(String name, int replicas) {
    Eventually.assertThat(ROLLOUT, () -> {
      ObjectNode deployment = get(name);
      JsonNode status = deployment.path("status");
      assertThat(status.path("observedGeneration").asLong()).isEqualTo(deployment.at("/metadata/generation").asLong());
      assertThat(status.path("replicas").asInt()).isEqualTo(replicas);
      assertThat(status.path("updatedReplicas").asInt()).isEqualTo(replicas);
      assertThat(status.path("readyReplicas").asInt()).isEqualTo(replicas);
      assertThat(status.path("availableReplicas").asInt()).isEqualTo(replicas);
      assertThat(status.has("unavailableReplicas")).isFalse();
      assertThat(condition(deployment, "Available").path("reason").asText()).isEqualTo("MinimumReplicasAvailable");
      assertThat(condition(deployment, "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
    });
  }

  /**
   * The pod-template-hash of a template is the one earlier versions computed: the ReplicaSets of existing
   * deployments keep their names, and no rollout starts on an upgrade.
   */
  @Test
  void theTemplateHashIsPinned() {
    client.create(ResourceTypes.DEPLOYMENTS, NS, deployment("pinned", 1, "nginx:1"));
    Eventually.assertThat(ROLLOUT, () -> assertThat(replicaSets()).singleElement()
        .satisfies(rs -> assertThat(Meta.name(rs)).isEqualTo("pinned-6f9dddb4c4")));
  }

  @Test
  void createsAHashedReplicaSetAndReportsTheRolloutComplete() {
    client.create(ResourceTypes.DEPLOYMENTS, NS, deployment("web", 3, "nginx:1"));
    assertRolledOut("web", 3);
    List<ObjectNode> sets = replicaSets();
    assertThat(sets).hasSize(1);
    ObjectNode replicaSet = sets.get(0);
    String hash = Meta.labels(replicaSet).get("pod-template-hash");
    assertThat(Meta.name(replicaSet)).isEqualTo("web-" + hash);
    assertThat(replicaSet.at("/spec/selector/matchLabels/pod-template-hash").asText()).isEqualTo(hash);
    assertThat(replicaSet.at("/spec/template/metadata/labels/pod-template-hash").asText()).isEqualTo(hash);
    assertThat(Meta.annotations(replicaSet)).containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
        .containsEntry("deployment.kubernetes.io/max-replicas", "4");
    assertThat(replicaSet.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Deployment");
    ObjectNode deployment = get("web");
    assertThat(Meta.annotations(deployment)).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(condition(deployment, "Progressing").path("message").asText())
        .isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");
    Eventually.assertThat(() -> assertThat(cluster.list(ResourceTypes.EVENTS, NS))
        .extracting(e -> Json.textOrNull(e, "message"))
        .contains("Scaled up replica set web-" + hash + " from 0 to 3"));
  }

  @Test
  void rollingUpdateStaysWithinSurgeAndUndoReusesTheOldReplicaSet() throws Exception {
    ObjectNode definition = deployment("api", 4, "app:1");
    definition.with("spec").putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate")
        .put("maxSurge", 1).put("maxUnavailable", 0);
    client.create(ResourceTypes.DEPLOYMENTS, NS, definition);
    assertRolledOut("api", 4);
    String firstName = Meta.name(replicaSetWithImage("app:1"));

    AtomicInteger maxPods = new AtomicInteger();
    AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          List<ObjectNode> pods = cluster.list(ResourceTypes.PODS, NS);
          maxPods.accumulateAndGet(pods.size(), Math::max);
          long ready = pods.stream().filter(p -> !Meta.deleting(p) && Pod.from(p).isReady()).count();
          minReady.accumulateAndGet((int) ready, Math::min);
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // store closing
        }
      }
    });
    sampler.start();
    setImage("api", "app:2");
    assertRolledOut("api", 4);
    sampler.interrupt();
    sampler.join();
    assertThat(maxPods.get()).isLessThanOrEqualTo(5);
    assertThat(minReady.get()).isGreaterThanOrEqualTo(4);

    ObjectNode second = replicaSetWithImage("app:2");
    assertThat(Meta.annotations(second)).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(replicaSetWithImage("app:1").at("/spec/replicas").asInt()).isZero();
    assertThat(Meta.annotations(get("api"))).containsEntry("deployment.kubernetes.io/revision", "2");

    // kubectl rollout undo: the template goes back, the first ReplicaSet becomes new again as revision 3
    setImage("api", "app:1");
    assertRolledOut("api", 4);
    assertThat(replicaSets()).hasSize(2);
    ObjectNode first = replicaSetWithImage("app:1");
    assertThat(Meta.name(first)).isEqualTo(firstName);
    assertThat(first.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(Meta.annotations(first)).containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    assertThat(replicaSetWithImage("app:2").at("/spec/replicas").asInt()).isZero();

    // and undo again: the second ReplicaSet is revision 4 and remembers it was 2
    setImage("api", "app:2");
    assertRolledOut("api", 4);
    assertThat(Meta.annotations(replicaSetWithImage("app:2"))).containsEntry("deployment.kubernetes.io/revision", "4")
        .containsEntry("deployment.kubernetes.io/revision-history", "2");
    assertThat(Meta.annotations(replicaSetWithImage("app:1")))
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
  }

  @Test
  void revisionHistoryLimitDeletesTheOldestScaledDownReplicaSets() {
    ObjectNode definition = deployment("hist", 1, "v:1");
    definition.with("spec").put("revisionHistoryLimit", 1);
    client.create(ResourceTypes.DEPLOYMENTS, NS, definition);
    assertRolledOut("hist", 1);
    for (String image : List.of("v:2", "v:3", "v:4")) {
      setImage("hist", image);
      assertRolledOut("hist", 1);
    }
    Eventually.assertThat(() -> assertThat(replicaSets())
        .extracting(rs -> rs.at("/spec/template/spec/containers/0/image").asText())
        .containsExactlyInAnyOrder("v:3", "v:4"));
  }

  @Test
  void recreateScalesOldPodsAwayBeforeCreatingTheNewReplicaSet() {
    ObjectNode definition = deployment("db", 2, "db:1");
    definition.with("spec").putObject("strategy").put("type", "Recreate");
    definition.with("spec").with("template").with("spec").put("nodeName", "node-1");
    client.create(ResourceTypes.DEPLOYMENTS, NS, definition);
    assertRolledOut("db", 2);

    kubelet.holdDeletions(true);
    setImage("db", "db:2");
    Eventually.assertThat(() -> {
      assertThat(replicaSetWithImage("db:1").at("/spec/replicas").asInt()).isZero();
      assertThat(cluster.list(ResourceTypes.PODS, NS)).hasSize(2).allMatch(Meta::deleting);
    });
    // old pods are still terminating: no new ReplicaSet yet
    assertThat(replicaSets()).hasSize(1);
    kubelet.holdDeletions(false);
    assertRolledOut("db", 2);
    assertThat(replicaSets()).hasSize(2);
    assertThat(Meta.annotations(replicaSetWithImage("db:2"))).containsEntry("deployment.kubernetes.io/revision", "2");
  }

  @Test
  void progressDeadlineExceededWhenPodsNeverBecomeReady() {
    kubelet.markReady(false);
    ObjectNode definition = deployment("stuck", 1, "x:1");
    definition.with("spec").put("progressDeadlineSeconds", 1);
    client.create(ResourceTypes.DEPLOYMENTS, NS, definition);
    Eventually.assertThat(ROLLOUT, () -> {
      ObjectNode deployment = get("stuck");
      JsonNode progressing = condition(deployment, "Progressing");
      assertThat(progressing.path("status").asText()).isEqualTo("False");
      assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(progressing.path("message").asText()).matches("ReplicaSet \"stuck-.+\" has timed out progressing.");
      assertThat(condition(deployment, "Available").path("status").asText()).isEqualTo("False");
      assertThat(deployment.at("/status/unavailableReplicas").asInt()).isEqualTo(1);
    });
  }

  @Test
  void progressingKeepsItsTransitionTimeWhileItStaysTrue() {
    kubelet.markReady(false);
    client.create(ResourceTypes.DEPLOYMENTS, NS, deployment("steady", 1, "s:1"));
    String[] created = new String[1];
    Eventually.assertThat(ROLLOUT, () -> {
      JsonNode progressing = condition(get("steady"), "Progressing");
      assertThat(progressing.path("status").asText()).isEqualTo("True");
      created[0] = progressing.path("lastTransitionTime").asText();
      assertThat(created[0]).isNotEmpty();
    });

    clock.advance(Duration.ofMinutes(2));
    kubelet.markReady(true);
    assertRolledOut("steady", 1);

    JsonNode progressing = condition(get("steady"), "Progressing");
    assertThat(progressing.path("lastTransitionTime").asText()).isEqualTo(created[0]);
    assertThat(Instant.parse(progressing.path("lastUpdateTime").asText()))
        .isAfterOrEqualTo(Instant.parse(created[0]).plus(Duration.ofMinutes(2)));
  }

  @Test
  void pausedDeploymentsScaleButDoNotRollOut() {
    client.create(ResourceTypes.DEPLOYMENTS, NS, deployment("paused", 2, "p:1"));
    assertRolledOut("paused", 2);
    cluster.modify(ResourceTypes.DEPLOYMENTS, NS, "paused", d -> {
      d.with("spec").put("paused", true);
      return d;
    });
    Eventually.assertThat(() -> assertThat(condition(get("paused"), "Progressing").path("reason").asText())
        .isEqualTo("DeploymentPaused"));
    setImage("paused", "p:2");
    cluster.modify(ResourceTypes.DEPLOYMENTS, NS, "paused", d -> {
      d.with("spec").put("replicas", 3);
      return d;
    });
    Eventually.assertThat(() -> {
      assertThat(replicaSetWithImage("p:1").at("/spec/replicas").asInt()).isEqualTo(3);
      assertThat(get("paused").at("/status/availableReplicas").asInt()).isEqualTo(3);
    });
    assertThat(replicaSets()).hasSize(1);

    cluster.modify(ResourceTypes.DEPLOYMENTS, NS, "paused", d -> {
      d.with("spec").put("paused", false);
      return d;
    });
    assertRolledOut("paused", 3);
    assertThat(replicaSetWithImage("p:2").at("/spec/replicas").asInt()).isEqualTo(3);
  }
}
