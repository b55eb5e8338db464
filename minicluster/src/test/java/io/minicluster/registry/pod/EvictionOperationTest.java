package io.minicluster.registry.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.testing.InProcessApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eviction subresource: the pod's deletion with the Eviction's options, once the one PodDisruptionBudget selecting
 * a running pod allows the disruption.
 */
class EvictionOperationTest extends InProcessApiTest {
  @BeforeEach
  void createNamespace() {
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
  }

  private ObjectNode createPod(String name) {
    return client.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"));
  }

  @Test
  void anUnboundPodIsDeletedAtOnce() {
    createPod("web");

    client.evict("default", "web", DeleteOptions.DEFAULT);

    assertThat(client.find(ResourceTypes.PODS, "default", "web")).isEmpty();
  }

  @Test
  void aBoundPodGetsItsGracePeriodOrTheEvictionsOne() {
    ObjectNode pod = createPod("web");
    client.bind("default", "web", "node1", Meta.uid(pod));
    ObjectNode other = createPod("db");
    client.bind("default", "db", "node1", Meta.uid(other));

    client.evict("default", "web", DeleteOptions.DEFAULT);
    client.evict("default", "db", new DeleteOptions(5L, null, null, null, false));

    ObjectNode evicted = client.get(ResourceTypes.PODS, "default", "web");
    assertThat(Meta.deleting(evicted)).isTrue();
    assertThat(evicted.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
    assertThat(client.get(ResourceTypes.PODS, "default", "db").path("metadata").path("deletionGracePeriodSeconds")
        .asLong()).isEqualTo(5);
  }

  @Test
  void preconditionsAndNamesAreChecked() {
    createPod("web");

    Throwable stale = catchThrowable(() -> client.evict("default", "web",
        DeleteOptions.DEFAULT.withPreconditionUid("other")));
    Throwable otherName = catchThrowable(() -> api.subresources().eviction().evict("default", "web", "db",
        DeleteOptions.DEFAULT));
    Throwable missing = catchThrowable(() -> client.evict("default", "gone", DeleteOptions.DEFAULT));

    assertThat(stale).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
    assertThat(otherName).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("name in URL does not match name in Eviction object");
    });
    assertThat(missing).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    assertThat(client.find(ResourceTypes.PODS, "default", "web")).isPresent();
  }

  // ---------------------------------------------------------------- disruption budgets

  /** A running pod labelled app=web, ready or not. */
  private void runningPod(String name, boolean ready) {
    ObjectNode pod = client.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\""
        + name + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":"
        + "\"nginx\"}]}}"));
    client.bind("default", name, "node1", Meta.uid(pod));
    client.modifyStatus(ResourceTypes.PODS, "default", name, p -> {
      ObjectNode status = p.with("status");
      status.put("phase", "Running");
      status.withArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
      return p;
    });
  }

  /** A budget over app=web with the status the disruption controller would have written. */
  private void budget(String name, String extraSpec, int allowed, int currentHealthy, int desiredHealthy) {
    client.create(ResourceTypes.POD_DISRUPTION_BUDGETS, "default", Json.parseObject("{\"metadata\":{\"name\":\""
        + name + "\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}}" + extraSpec + "}}"));
    client.modifyStatus(ResourceTypes.POD_DISRUPTION_BUDGETS, "default", name, b -> {
      b.with("status").put("observedGeneration", 1).put("disruptionsAllowed", allowed)
          .put("currentHealthy", currentHealthy).put("desiredHealthy", desiredHealthy).put("expectedPods", 2);
      return b;
    });
  }

  private ApiException evictionError(String pod) {
    Throwable thrown = catchThrowable(() -> client.evict("default", pod, DeleteOptions.DEFAULT));
    assertThat(thrown).isInstanceOf(ApiException.class);
    return (ApiException) thrown;
  }

  private ObjectNode budgetStatus(String name) {
    return (ObjectNode) client.get(ResourceTypes.POD_DISRUPTION_BUDGETS, "default", name).get("status");
  }

  @Test
  void aBudgetWithoutAllowedDisruptionsAnswers429WithItsCause() {
    runningPod("web-1", true);
    budget("web", ",\"minAvailable\":2", 0, 2, 2);

    ApiException e = evictionError("web-1");

    assertThat(e.code()).isEqualTo(429);
    assertThat(e.reason()).isEqualTo("TooManyRequests");
    assertThat(e.getMessage()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(e.causes()).containsExactly(new ApiException.Cause("DisruptionBudget",
        "The disruption budget web needs 2 healthy pods and has 2 currently", null));
    assertThat(Meta.deleting(client.get(ResourceTypes.PODS, "default", "web-1"))).isFalse();
  }

  @Test
  void anAllowedEvictionTakesTheDisruptionAndMarksThePod() {
    runningPod("web-1", true);
    budget("web", ",\"minAvailable\":1", 1, 2, 1);

    client.evict("default", "web-1", DeleteOptions.DEFAULT);

    ObjectNode status = budgetStatus("web");
    assertThat(status.path("disruptionsAllowed").asInt()).isZero();
    assertThat(status.path("disruptedPods").has("web-1")).isTrue();
    assertThat(status.path("conditions").get(0).path("type").asText()).isEqualTo("DisruptionAllowed");
    assertThat(status.path("conditions").get(0).path("status").asText()).isEqualTo("False");
    assertThat(status.path("conditions").get(0).path("reason").asText()).isEqualTo("InsufficientPods");
    ObjectNode pod = client.get(ResourceTypes.PODS, "default", "web-1");
    assertThat(Meta.deleting(pod)).isTrue();
    assertThat(pod.path("status").path("conditions").findValuesAsText("reason")).contains("EvictionByEvictionAPI");
    client.evict("default", "web-1", DeleteOptions.DEFAULT);
    assertThat(budgetStatus("web").path("disruptionsAllowed").asInt()).as("a terminating pod takes no disruption")
        .isZero();
  }

  @Test
  void aDryRunChangesNeitherTheBudgetNorThePod() {
    runningPod("web-1", true);
    budget("web", "", 1, 2, 1);

    client.evict("default", "web-1", new DeleteOptions(null, null, null, null, true));

    assertThat(budgetStatus("web").path("disruptionsAllowed").asInt()).isEqualTo(1);
    assertThat(budgetStatus("web").has("disruptedPods")).isFalse();
    assertThat(Meta.deleting(client.get(ResourceTypes.PODS, "default", "web-1"))).isFalse();
  }

  @Test
  void twoBudgetsOverOnePodAre500() {
    runningPod("web-1", true);
    budget("web", "", 1, 2, 1);
    budget("web-too", "", 1, 2, 1);

    ApiException e = evictionError("web-1");

    assertThat(e.code()).isEqualTo(500);
    assertThat(e.getMessage()).isEqualTo(
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
  }

  @Test
  void aBudgetBehindItsSpecIsStillBeingProcessed() {
    runningPod("web-1", true);
    budget("web", "", 1, 2, 1);
    client.modify(ResourceTypes.POD_DISRUPTION_BUDGETS, "default", "web", b -> {
      b.with("spec").put("maxUnavailable", 1);
      return b;
    });

    ApiException e = evictionError("web-1");

    assertThat(e.code()).isEqualTo(429);
    assertThat(e.causes()).containsExactly(new ApiException.Cause("DisruptionBudget",
        "The disruption budget web is still being processed by the server.", null));
    assertThat(e.toStatus().path("details").path("retryAfterSeconds").asInt()).isEqualTo(10);
  }

  @Test
  void unhealthyPodsFollowTheUnhealthyPodEvictionPolicy() {
    runningPod("unready-healthy-budget", false);
    budget("web", "", 0, 2, 2);

    client.evict("default", "unready-healthy-budget", DeleteOptions.DEFAULT);
    assertThat(budgetStatus("web").path("disruptionsAllowed").asInt()).as("no disruption taken").isZero();
    client.delete(ResourceTypes.PODS, "default", "unready-healthy-budget", DeleteOptions.immediate());

    runningPod("unready-short-budget", false);
    client.modifyStatus(ResourceTypes.POD_DISRUPTION_BUDGETS, "default", "web", b -> {
      b.with("status").put("currentHealthy", 1);
      return b;
    });
    assertThat(evictionError("unready-short-budget").code()).as("IfHealthyBudget, budget short").isEqualTo(429);

    client.modify(ResourceTypes.POD_DISRUPTION_BUDGETS, "default", "web", b -> {
      b.with("spec").put("unhealthyPodEvictionPolicy", "AlwaysAllow");
      return b;
    });
    client.evict("default", "unready-short-budget", DeleteOptions.DEFAULT);
    assertThat(Meta.deleting(client.get(ResourceTypes.PODS, "default", "unready-short-budget"))).isTrue();
  }

  @Test
  void terminalPodsAreEvictedWhateverTheBudget() {
    runningPod("done", true);
    client.modifyStatus(ResourceTypes.PODS, "default", "done", p -> {
      p.with("status").put("phase", "Succeeded");
      return p;
    });
    budget("web", ",\"minAvailable\":5", 0, 0, 5);

    client.evict("default", "done", DeleteOptions.DEFAULT);

    assertThat(client.find(ResourceTypes.PODS, "default", "done")).isEmpty();
  }
}
