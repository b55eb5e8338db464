package io.minicluster.controller.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The disruption controller on an in-process API: pods and their controllers are written as their controllers would. */
class DisruptionControllerTest extends ClusterTest {
  private static final String NS = "default";
  private final MutableClock clock = new MutableClock(Instant.now());
  private final AtomicInteger pokes = new AtomicInteger();

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "controllermanager", null,
        Clock.systemUTC()));
    cluster.run("disruption", 1, queue -> new DisruptionController(client, cluster.informers(), queue, events,
        clock));
  }

  private ObjectNode create(io.minicluster.api.ResourceType type, String json) {
    return client.create(type, NS, Json.parseObject(json.replace('\'', '"')));
  }

  /** A Deployment of {@code replicas} and its ReplicaSet; returns the ReplicaSet (the pods' controller). */
  private ObjectNode deployment(String name, int replicas) {
    String template = "'selector':{'matchLabels':{'app':'" + name + "'}},'template':{'metadata':{'labels':{'app':'"
        + name + "'}},'spec':{'containers':[{'name':'c','image':'nginx'}]}}";
    ObjectNode deployment = create(ResourceTypes.DEPLOYMENTS, "{'metadata':{'name':'" + name + "'},'spec':{"
        + "'replicas':" + replicas + "," + template + "}}");
    return create(ResourceTypes.REPLICA_SETS, "{'metadata':{'name':'" + name + "-1','ownerReferences':[{"
        + "'apiVersion':'apps/v1','kind':'Deployment','name':'" + name + "','uid':'" + Meta.uid(deployment)
        + "','controller':true}]},'spec':{'replicas':" + replicas + "," + template + "}}");
  }

  /** A running pod labelled app={@code app}, controlled by {@code owner} (or by nothing when null). */
  private void pod(String name, String app, ObjectNode owner, boolean ready) {
    ObjectNode pod = TestCluster.pod(name, "app=" + app);
    if (owner != null) {
      pod.with("metadata").putArray("ownerReferences").addObject().put("apiVersion", owner.path("apiVersion")
          .asText()).put("kind", owner.path("kind").asText()).put("name", Meta.name(owner))
          .put("uid", Meta.uid(owner)).put("controller", true);
    }
    client.create(ResourceTypes.PODS, NS, pod);
    client.modifyStatus(ResourceTypes.PODS, NS, name, p -> {
      p.with("status").put("phase", "Running").putArray("conditions").addObject().put("type", "Ready")
          .put("status", ready ? "True" : "False");
      return p;
    });
  }

  private void budget(String name, String spec) {
    create(ResourceTypes.POD_DISRUPTION_BUDGETS, "{'metadata':{'name':'" + name + "'},'spec':" + spec + "}");
  }

  private JsonNode status(String name) {
    return client.get(ResourceTypes.POD_DISRUPTION_BUDGETS, NS, name).path("status");
  }

  private static String counts(JsonNode status) {
    return status.path("expectedPods").asInt() + " expected, " + status.path("currentHealthy").asInt()
        + " healthy, " + status.path("desiredHealthy").asInt() + " desired, "
        + status.path("disruptionsAllowed").asInt() + " allowed";
  }

  private static String condition(JsonNode status) {
    JsonNode condition = status.path("conditions").path(0);
    return condition.path("type").asText() + "=" + condition.path("status").asText() + "/"
        + condition.path("reason").asText() + (condition.path("message").asText().isEmpty() ? ""
        : ": " + condition.path("message").asText());
  }

  private List<String> events() {
    return cluster.list(ResourceTypes.EVENTS, NS).stream()
        .map(e -> Json.text(e, "reason") + ": " + Json.text(e, "message")).toList();
  }

  /** Makes the controller look at the budget again (a user's edit would). */
  private void poke(String name) {
    cluster.modify(ResourceTypes.POD_DISRUPTION_BUDGETS, NS, name, budget -> {
      budget.with("metadata").with("annotations").put("test/poke", Integer.toString(pokes.incrementAndGet()));
      return budget;
    });
  }

  @Test
  void anIntegerMinAvailableCountsTheSelectedPods() {
    ObjectNode replicaSet = deployment("web", 2);
    pod("web-a", "web", replicaSet, true);
    pod("web-b", "web", replicaSet, true);
    budget("web", "{'minAvailable':2,'selector':{'matchLabels':{'app':'web'}}}");

    Eventually.assertThat(() -> {
      assertThat(counts(status("web"))).isEqualTo("2 expected, 2 healthy, 2 desired, 0 allowed");
      assertThat(condition(status("web"))).isEqualTo("DisruptionAllowed=False/InsufficientPods");
      assertThat(status("web").path("observedGeneration").asLong()).isEqualTo(1);
    });

    pod("web-c", "web", replicaSet, true);

    Eventually.assertThat(() -> {
      assertThat(counts(status("web"))).isEqualTo("3 expected, 3 healthy, 2 desired, 1 allowed");
      assertThat(condition(status("web"))).isEqualTo("DisruptionAllowed=True/SufficientPods");
    });
  }

  @Test
  void maxUnavailableCountsTheScaleOfTheDeploymentOverItsReplicaSet() {
    ObjectNode replicaSet = deployment("web", 3);
    pod("web-a", "web", replicaSet, true);
    pod("web-b", "web", replicaSet, true);
    pod("web-c", "web", replicaSet, false);
    budget("web", "{'maxUnavailable':1,'selector':{'matchLabels':{'app':'web'}}}");

    Eventually.assertThat(() ->
        assertThat(counts(status("web"))).isEqualTo("3 expected, 2 healthy, 2 desired, 0 allowed"));

    cluster.modify(ResourceTypes.DEPLOYMENTS, NS, "web", deployment -> {
      deployment.with("spec").put("replicas", 2);
      return deployment;
    });
    poke("web");

    Eventually.assertThat(() ->
        assertThat(counts(status("web"))).isEqualTo("2 expected, 2 healthy, 1 desired, 1 allowed"));
  }

  @Test
  void aPercentageRoundsUpOverTheStatefulSetsScale() {
    ObjectNode statefulSet = create(ResourceTypes.STATEFUL_SETS, "{'metadata':{'name':'db'},'spec':{'replicas':3,"
        + "'serviceName':'db','selector':{'matchLabels':{'app':'db'}},'template':{'metadata':{'labels':{'app':'db'}},"
        + "'spec':{'containers':[{'name':'c','image':'nginx'}]}}}}");
    pod("db-0", "db", statefulSet, true);
    pod("db-1", "db", statefulSet, true);
    pod("db-2", "db", statefulSet, true);
    budget("db", "{'minAvailable':'50%','selector':{'matchLabels':{'app':'db'}}}");

    Eventually.assertThat(() ->
        assertThat(counts(status("db"))).isEqualTo("3 expected, 3 healthy, 2 desired, 1 allowed"));
  }

  @Test
  void aPodWithoutAKnownControllerFailsTheSyncSafely() {
    ObjectNode job = create(ResourceTypes.JOBS, "{'metadata':{'name':'batch'},'spec':{'template':{'spec':{"
        + "'restartPolicy':'Never','containers':[{'name':'c','image':'busybox'}]}}}}");
    pod("batch-a", "batch", job, true);
    pod("loose", "batch", null, true);
    budget("batch", "{'maxUnavailable':'10%','selector':{'matchLabels':{'app':'batch'}}}");

    Eventually.assertThat(() -> {
      assertThat(condition(status("batch")))
          .isEqualTo("DisruptionAllowed=False/SyncFailed: found no controllers for pod \"batch-a\"");
      assertThat(status("batch").path("disruptionsAllowed").asInt()).isZero();
      assertThat(events()).contains("CalculateExpectedPodCountFailed: Failed to calculate the number of expected "
          + "pods: found no controllers for pod \"batch-a\"");
    });
  }

  @Test
  void unmanagedPodsAndEmptyBudgetsAreReported() {
    pod("loose", "loose", null, true);
    budget("loose", "{'maxUnavailable':0,'selector':{'matchLabels':{'app':'loose'}}}");
    budget("none", "{'minAvailable':1,'selector':{'matchLabels':{'app':'none'}}}");

    Eventually.assertThat(() -> {
      assertThat(counts(status("loose"))).isEqualTo("0 expected, 1 healthy, 0 desired, 0 allowed");
      assertThat(counts(status("none"))).isEqualTo("0 expected, 0 healthy, 1 desired, 0 allowed");
      assertThat(events()).contains("NoPods: No matching pods found",
          "UnmanagedPods: Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:"
              + "map[string]string{app: loose,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be "
              + "unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in "
              + "undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to "
              + "an integer value.");
    });
  }

  @Test
  void anAdmittedEvictionKeepsItsPodOutOfTheHealthyCountForTwoMinutes() {
    ObjectNode replicaSet = deployment("web", 3);
    pod("web-a", "web", replicaSet, true);
    pod("web-b", "web", replicaSet, true);
    pod("web-c", "web", replicaSet, true);
    budget("web", "{'minAvailable':2,'selector':{'matchLabels':{'app':'web'}}}");
    Eventually.assertThat(() ->
        assertThat(counts(status("web"))).isEqualTo("3 expected, 3 healthy, 2 desired, 1 allowed"));

    // what the eviction subresource writes when it admits the eviction of web-a
    String admitted = Meta.timestamp(clock.instant());
    client.modifyStatus(ResourceTypes.POD_DISRUPTION_BUDGETS, NS, "web", budget -> {
      budget.with("status").put("disruptionsAllowed", 0).putObject("disruptedPods").put("web-a", admitted);
      return budget;
    });
    poke("web");
    Eventually.assertThat(() -> {
      assertThat(counts(status("web"))).isEqualTo("3 expected, 2 healthy, 2 desired, 0 allowed");
      assertThat(status("web").path("disruptedPods").path("web-a").asText()).isEqualTo(admitted);
    });

    clock.advance(DisruptionController.DELETION_TIMEOUT.plus(Duration.ofSeconds(1)));
    poke("web");

    Eventually.assertThat(() -> {
      assertThat(counts(status("web"))).isEqualTo("3 expected, 3 healthy, 2 desired, 1 allowed");
      assertThat(status("web").has("disruptedPods")).isFalse();
      assertThat(events()).contains("NotDeleted: Pod was expected by PDB default/default to be deleted but it "
          + "wasn't");
    });
  }

  @Test
  void aDisruptionTargetConditionWithoutTheDeletionGoesBackToFalseAfterTwoMinutes() {
    pod("web-a", "web", null, true);
    pod("web-b", "web", null, true);
    String since = Meta.timestamp(clock.instant());
    for (String name : List.of("web-a", "web-b")) {
      client.modifyStatus(ResourceTypes.PODS, NS, name, p -> {
        p.with("status").withArray("conditions").addObject().put("type", "DisruptionTarget").put("status", "True")
            .put("lastTransitionTime", since).put("reason", "EvictionByEvictionAPI")
            .put("message", "Eviction API: evicting");
        return p;
      });
    }
    client.modifyStatus(ResourceTypes.PODS, NS, "web-b", p -> {
      p.with("status").put("phase", "Failed");
      return p;
    });

    clock.advance(DisruptionController.STALE_POD_DISRUPTION_TIMEOUT.plus(Duration.ofSeconds(1)));
    for (String name : List.of("web-a", "web-b")) {
      cluster.modify(ResourceTypes.PODS, NS, name, p -> {
        p.with("metadata").with("labels").put("poke", Integer.toString(pokes.incrementAndGet()));
        return p;
      });
    }

    Eventually.assertThat(() -> assertThat(disruptionTarget("web-a"))
        .isEqualTo("False/EvictionByEvictionAPI/" + Meta.timestamp(clock.instant())));
    assertThat(disruptionTarget("web-b")).as("a terminal pod's condition is not stale")
        .isEqualTo("True/EvictionByEvictionAPI/" + since);
  }

  private String disruptionTarget(String pod) {
    for (JsonNode condition : client.get(ResourceTypes.PODS, NS, pod).path("status").path("conditions")) {
      if (condition.path("type").asText().equals("DisruptionTarget")) {
        return condition.path("status").asText() + "/" + condition.path("reason").asText() + "/"
            + condition.path("lastTransitionTime").asText();
      }
    }
    return "none";
  }
}
