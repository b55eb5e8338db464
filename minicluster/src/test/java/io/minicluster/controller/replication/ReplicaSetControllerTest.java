package io.minicluster.controller.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.Kubelet;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaSetControllerTest {
  private static final String NS = "default";
  @TempDir
  Path directory;
  private final AtomicBoolean rejectPods = new AtomicBoolean();
  private TestCluster cluster;
  private Client client;

  @BeforeEach
  void start() {
    cluster = new TestCluster(directory, List.of(new Admission() {
      @Override
      public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
        if (rejectPods.get() && type == ResourceTypes.PODS) {
          throw ApiException.forbidden(type, "", "quota exceeded");
        }
      }
    }));
    client = cluster.client();
    cluster.createNamespace(NS);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "replicaset-controller", null,
        Clock.systemUTC()));
    cluster.run("replicaset", 2, queue -> ReplicaSetController.forReplicaSets(client, cluster.informers(), queue,
        events, Clock.systemUTC()));
    cluster.run("replicationcontroller", 2, queue -> ReplicaSetController.forReplicationControllers(client,
        cluster.informers(), queue, events, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static ObjectNode replicaSet(String name, int replicas) {
    return Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"replicas\":" + replicas + ","
        + "\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\",\"tier\":\"web\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}");
  }

  private List<ObjectNode> activePods(String app) {
    return cluster.list(ResourceTypes.PODS, NS).stream()
        .filter(pod -> app.equals(Meta.labels(pod).get("app")) && !Meta.deleting(pod)).toList();
  }

  private ObjectNode status(ResourceType type, String name) {
    return (ObjectNode) client.get(type, NS, name).get("status");
  }

  @Test
  void createsPodsFromTheTemplateWithAControllerReferenceAndEvents() {
    ObjectNode replicaSet = client.create(ResourceTypes.REPLICA_SETS, NS, replicaSet("web", 3));
    Eventually.assertThat(() -> assertThat(activePods("web")).hasSize(3));
    for (ObjectNode pod : activePods("web")) {
      assertThat(Meta.name(pod)).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(Meta.labels(pod)).containsEntry("tier", "web");
      ObjectNode reference = (ObjectNode) pod.at("/metadata/ownerReferences/0");
      assertThat(reference.path("kind").asText()).isEqualTo("ReplicaSet");
      assertThat(reference.path("apiVersion").asText()).isEqualTo("apps/v1");
      assertThat(reference.path("uid").asText()).isEqualTo(Meta.uid(replicaSet));
      assertThat(reference.path("controller").asBoolean()).isTrue();
      assertThat(reference.path("blockOwnerDeletion").asBoolean()).isTrue();
    }
    Eventually.assertThat(() -> {
      ObjectNode status = status(ResourceTypes.REPLICA_SETS, "web");
      assertThat(status.path("replicas").asInt()).isEqualTo(3);
      assertThat(status.path("fullyLabeledReplicas").asInt()).isEqualTo(3);
      assertThat(status.path("observedGeneration").asInt()).isEqualTo(1);
      assertThat(status.has("readyReplicas")).isFalse();
      assertThat(cluster.list(ResourceTypes.EVENTS, NS)).filteredOn(e -> "SuccessfulCreate".equals(
          Json.textOrNull(e, "reason"))).hasSize(3).allSatisfy(e -> assertThat(Json.textOrNull(e, "message"))
          .matches("Created pod: web-.{5}"));
    });
    // a stable state: no more pods appear
    Eventually.assertThat(() -> assertThat(cluster.list(ResourceTypes.PODS, NS)).hasSize(3));
  }

  @Test
  void readinessAndAvailabilityAreCountedAndScaleDownDeletesNotReadyPodsFirst() {
    ObjectNode definition = replicaSet("api", 3);
    definition.with("spec").put("minReadySeconds", 1);
    client.create(ResourceTypes.REPLICA_SETS, NS, definition);
    Eventually.assertThat(() -> assertThat(activePods("api")).hasSize(3));
    List<ObjectNode> pods = activePods("api");
    Kubelet.setReady(client, NS, Meta.name(pods.get(0)), true, Instant.now(), "10.0.0.1");
    Kubelet.setReady(client, NS, Meta.name(pods.get(1)), true, Instant.now().minusSeconds(60), "10.0.0.2");
    Eventually.assertThat(() -> {
      ObjectNode status = status(ResourceTypes.REPLICA_SETS, "api");
      assertThat(status.path("readyReplicas").asInt()).isEqualTo(2);
      assertThat(status.path("availableReplicas").asInt()).isEqualTo(2);
    });

    cluster.modify(ResourceTypes.REPLICA_SETS, NS, "api", rs -> {
      rs.with("spec").put("replicas", 1);
      return rs;
    });
    Eventually.assertThat(() -> assertThat(activePods("api")).extracting(Meta::name)
        .containsExactly(Meta.name(pods.get(1))));
    Eventually.assertThat(() -> {
      ObjectNode status = status(ResourceTypes.REPLICA_SETS, "api");
      assertThat(status.path("replicas").asInt()).isEqualTo(1);
      assertThat(status.path("observedGeneration").asInt()).isEqualTo(2);
      assertThat(cluster.list(ResourceTypes.EVENTS, NS)).filteredOn(e -> "SuccessfulDelete".equals(
          Json.textOrNull(e, "reason"))).hasSize(2);
    });
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    client.create(ResourceTypes.PODS, NS, TestCluster.pod("orphan", "app=db", "tier=web"));
    // the controller must know the orphan when it first sees the replica set; otherwise it creates two pods, adopts
    // the orphan later and deletes one of three, maybe the orphan (as the real controller would, from its cache)
    Eventually.assertThat(() -> assertThat(cluster.informers().informer(Kind.tree(ResourceTypes.PODS)).get(NS, "orphan"))
        .isPresent());
    ObjectNode replicaSet = client.create(ResourceTypes.REPLICA_SETS, NS, replicaSet("db", 2));
    Eventually.assertThat(() -> {
      assertThat(activePods("db")).hasSize(2);
      assertThat(OwnerReferencesView.controllerUid(client.get(ResourceTypes.PODS, NS, "orphan")))
          .isEqualTo(Meta.uid(replicaSet));
    });

    cluster.modify(ResourceTypes.PODS, NS, "orphan", pod -> {
      pod.with("metadata").with("labels").put("app", "debug");
      return pod;
    });
    Eventually.assertThat(() -> {
      assertThat(client.get(ResourceTypes.PODS, NS, "orphan").at("/metadata/ownerReferences").isMissingNode())
          .isTrue();
      assertThat(activePods("db")).hasSize(2).noneMatch(pod -> Meta.name(pod).equals("orphan"));
    });
  }

  @Test
  void replicationControllersUseTheirMapSelector() {
    ObjectNode controller = Json.parseObject("{\"metadata\":{\"name\":\"legacy\"},\"spec\":{\"replicas\":2,"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"legacy\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}");
    ObjectNode created = client.create(ResourceTypes.REPLICATION_CONTROLLERS, NS, controller);
    Eventually.assertThat(() -> {
      assertThat(activePods("legacy")).hasSize(2).allSatisfy(pod -> {
        assertThat(pod.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("ReplicationController");
        assertThat(pod.at("/metadata/ownerReferences/0/apiVersion").asText()).isEqualTo("v1");
        assertThat(OwnerReferencesView.controllerUid(pod)).isEqualTo(Meta.uid(created));
      });
      assertThat(status(ResourceTypes.REPLICATION_CONTROLLERS, "legacy").path("replicas").asInt()).isEqualTo(2);
    });
  }

  @Test
  void createFailuresSetTheReplicaFailureConditionUntilCreatesWork() {
    rejectPods.set(true);
    client.create(ResourceTypes.REPLICA_SETS, NS, replicaSet("broken", 2));
    Eventually.assertThat(() -> {
      ObjectNode status = status(ResourceTypes.REPLICA_SETS, "broken");
      assertThat(status.at("/conditions/0/type").asText()).isEqualTo("ReplicaFailure");
      assertThat(status.at("/conditions/0/status").asText()).isEqualTo("True");
      assertThat(status.at("/conditions/0/reason").asText()).isEqualTo("FailedCreate");
      assertThat(status.at("/conditions/0/message").asText()).contains("quota exceeded");
      assertThat(cluster.list(ResourceTypes.EVENTS, NS)).anySatisfy(e -> {
        assertThat(Json.textOrNull(e, "reason")).isEqualTo("FailedCreate");
        assertThat(Json.textOrNull(e, "type")).isEqualTo("Warning");
        assertThat(Json.textOrNull(e, "message")).startsWith("Error creating: ");
      });
    });
    rejectPods.set(false);
    Eventually.assertThat(() -> {
      assertThat(activePods("broken")).hasSize(2);
      assertThat(status(ResourceTypes.REPLICA_SETS, "broken").has("conditions")).isFalse();
    });
  }

  /** Reads the controller reference uid. */
  static final class OwnerReferencesView {
    static String controllerUid(ObjectNode pod) {
      for (var reference : pod.path("metadata").path("ownerReferences")) {
        if (reference.path("controller").asBoolean()) {
          return reference.path("uid").asText();
        }
      }
      return null;
    }
  }
}
