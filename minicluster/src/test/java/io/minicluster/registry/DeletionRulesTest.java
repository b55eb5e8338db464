package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The deletion rules, without a store. */
class DeletionRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
  private final DeletionRules configMaps = new DeletionRules(ResourceTypes.CONFIG_MAPS);
  private final DeletionRules pods = new DeletionRules(ResourceTypes.PODS);
  private final DeletionRules namespaces = new DeletionRules(ResourceTypes.NAMESPACES);

  private static ObjectNode object(String json) {
    return Json.parseObject(json);
  }

  private static ObjectNode configMap(String finalizers) {
    return object("{\"metadata\":{\"name\":\"cm\",\"uid\":\"u1\",\"resourceVersion\":\"7\""
        + (finalizers == null ? "" : ",\"finalizers\":" + finalizers) + "}}");
  }

  private static ObjectNode pod(String nodeName, String phase, Integer terminationGrace) {
    return object("{\"metadata\":{\"name\":\"web\",\"uid\":\"u1\",\"resourceVersion\":\"7\"},\"spec\":{"
        + (nodeName == null ? "" : "\"nodeName\":\"" + nodeName + "\"")
        + (terminationGrace == null ? "" : (nodeName == null ? "" : ",") + "\"terminationGracePeriodSeconds\":"
            + terminationGrace)
        + "},\"status\":{" + (phase == null ? "" : "\"phase\":\"" + phase + "\"") + "}}");
  }

  private static DeleteOptions grace(long seconds) {
    return new DeleteOptions(seconds, null, null, null, false);
  }

  private static DeleteOptions policy(String policy) {
    return new DeleteOptions(null, policy, null, null, false);
  }

  @Test
  void failedPreconditionsAreConflictsWithTheApiserversMessages() {
    ObjectNode current = configMap(null);

    Throwable uid = catchThrowable(() -> configMaps.checkPreconditions(current,
        new DeleteOptions(null, null, "u2", null, false)));
    Throwable version = catchThrowable(() -> configMaps.checkPreconditions(current,
        new DeleteOptions(null, null, null, "6", false)));
    configMaps.checkPreconditions(current, new DeleteOptions(null, null, "u1", "7", false));

    assertThat(uid).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(409);
      assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"cm\": Precondition "
          + "failed: UID in precondition: u2, UID in object meta: u1");
    });
    assertThat(version).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
        .endsWith("Precondition failed: ResourceVersion in precondition: 6, ResourceVersion in object meta: 7"));
  }

  @Test
  void anObjectWithoutFinalizersGoesAtOnce() {
    ObjectNode current = configMap(null);

    DeletionRules.Plan plan = configMaps.plan(current, DeleteOptions.DEFAULT, NOW);

    assertThat(plan.action()).isEqualTo(DeletionRules.Action.REMOVE);
    assertThat(plan.object()).isEqualTo(current);
  }

  @Test
  void anObjectWithFinalizersIsMarkedOnceAndThenLeftPending() {
    ObjectNode current = configMap("[\"example.com/hold\"]");

    DeletionRules.Plan plan = configMaps.plan(current, DeleteOptions.DEFAULT, NOW);
    DeletionRules.Plan again = configMaps.plan(plan.object(), DeleteOptions.DEFAULT, NOW.plusSeconds(5));

    assertThat(plan.action()).isEqualTo(DeletionRules.Action.MARK);
    assertThat(plan.object().path("metadata").path("deletionTimestamp").asText()).isEqualTo("2026-12-07T06:00:00Z");
    assertThat(plan.object().path("metadata").path("deletionGracePeriodSeconds").asLong()).isZero();
    assertThat(current.path("metadata").has("deletionTimestamp")).isFalse();
    assertThat(again.action()).isEqualTo(DeletionRules.Action.NONE);
    assertThat(configMaps.completes(plan.object())).isFalse();
  }

  @Test
  void propagationPoliciesSetTheirFinalizersAndExcludeEachOther() {
    DeletionRules.Plan foreground = configMaps.plan(configMap("[\"orphan\"]"), policy("Foreground"), NOW);
    DeletionRules.Plan orphan = configMaps.plan(configMap("[\"foregroundDeletion\"]"), policy("Orphan"), NOW);
    DeletionRules.Plan background = configMaps.plan(configMap(null), policy("Background"), NOW);
    Throwable unknown = catchThrowable(() -> configMaps.plan(configMap(null), policy("Later"), NOW));

    assertThat(foreground.action()).isEqualTo(DeletionRules.Action.MARK);
    assertThat(foreground.object().path("metadata").path("finalizers").toString())
        .isEqualTo("[\"foregroundDeletion\"]");
    assertThat(orphan.object().path("metadata").path("finalizers").toString()).isEqualTo("[\"orphan\"]");
    assertThat(background.action()).isEqualTo(DeletionRules.Action.REMOVE);
    assertThat(unknown).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.getMessage()).contains("propagationPolicy: Unsupported value: \"Later\"");
    });
  }

  @Test
  void onlyPodsBoundToANodeAndStillRunningWaitForTheirGracePeriod() {
    assertThat(pods.plan(pod(null, null, null), DeleteOptions.DEFAULT, NOW).action())
        .isEqualTo(DeletionRules.Action.REMOVE);
    assertThat(pods.plan(pod("node1", "Succeeded", null), DeleteOptions.DEFAULT, NOW).action())
        .isEqualTo(DeletionRules.Action.REMOVE);
    assertThat(pods.plan(pod("node1", "Running", null), grace(0), NOW).action())
        .isEqualTo(DeletionRules.Action.REMOVE);

    DeletionRules.Plan running = pods.plan(pod("node1", "Running", 10), DeleteOptions.DEFAULT, NOW);
    assertThat(running.action()).isEqualTo(DeletionRules.Action.MARK);
    assertThat(running.object().path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(10);
    assertThat(running.object().path("metadata").path("deletionTimestamp").asText())
        .isEqualTo("2026-12-07T06:00:10Z");
    // a pod whose grace period runs is removed by the node agent, not by its last finalizer
    assertThat(pods.completes(running.object())).isFalse();

    // a shorter grace period shortens a running one, a longer one does not lengthen it
    DeletionRules.Plan shorter = pods.plan(running.object(), grace(3), NOW.plusSeconds(1));
    assertThat(shorter.object().path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(3);
    assertThat(pods.plan(shorter.object(), grace(60), NOW.plusSeconds(2)).action())
        .isEqualTo(DeletionRules.Action.NONE);
    // terminationGracePeriodSeconds 0 still means graceful: 1 s
    assertThat(pods.plan(pod("node1", "Running", 0), DeleteOptions.DEFAULT, NOW).object()
        .path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(1);
  }

  @Test
  void aNamespaceTurnsTerminatingAndWaitsForItsSpecFinalizers() {
    ObjectNode namespace = object("{\"metadata\":{\"name\":\"team\"},\"spec\":{\"finalizers\":[\"kubernetes\"]},"
        + "\"status\":{\"phase\":\"Active\"}}");

    DeletionRules.Plan plan = namespaces.plan(namespace, DeleteOptions.DEFAULT, NOW);

    assertThat(plan.action()).isEqualTo(DeletionRules.Action.MARK);
    assertThat(plan.object().path("status").path("phase").asText()).isEqualTo("Terminating");
    assertThat(namespaces.completes(plan.object())).isFalse();
    ((ObjectNode) plan.object().get("spec")).remove("finalizers");
    assertThat(namespaces.completes(plan.object())).isTrue();
  }
}
