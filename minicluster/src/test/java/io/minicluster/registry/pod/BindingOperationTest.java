package io.minicluster.registry.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.WriteOptions;
import io.minicluster.testing.InProcessApi;
import io.minicluster.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding subresource as the registry runs it for HTTP callers and the in-process client alike. */
class BindingOperationTest {
  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
  private InProcessApi api;
  private Client client;
  private BindingOperation binding;

  @BeforeEach
  void open() {
    api = InProcessApi.open(directory, clock);
    client = api.client();
    binding = api.subresources().binding();
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
  }

  @AfterEach
  void close() {
    api.close();
  }

  private ObjectNode createPod(String name) {
    return client.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"));
  }

  private static ApiException apiError(Throwable thrown) {
    assertThat(thrown).isInstanceOf(ApiException.class);
    return (ApiException) thrown;
  }

  private static JsonNode scheduled(ObjectNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("PodScheduled")) {
        return condition;
      }
    }
    return null;
  }

  @Test
  void bindingSetsTheNodeAndThePodScheduledCondition() {
    ObjectNode pod = createPod("web");

    ObjectNode bound = client.bind("default", "web", "node1", Meta.uid(pod));

    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(scheduled(bound).path("status").asText()).isEqualTo("True");
    assertThat(scheduled(bound).path("lastTransitionTime").asText()).isEqualTo("2026-12-07T06:00:00Z");
    assertThat(client.get(ResourceTypes.PODS, "default", "web")).isEqualTo(bound);
    // the rest of the spec is the pod's, not the binding's: still valid for the pod strategy
    assertThat(bound.path("spec").path("containers")).isEqualTo(pod.path("spec").path("containers"));
  }

  @Test
  void aPodAlreadyBoundIsRefusedAsUpstream() {
    ObjectNode pod = createPod("web");
    client.bind("default", "web", "node1", Meta.uid(pod));

    ApiException error = apiError(catchThrowable(() -> client.bind("default", "web", "node2", Meta.uid(pod))));

    assertThat(error.code()).isEqualTo(409);
    assertThat(error.getMessage()).isEqualTo("Operation cannot be fulfilled on pods \"web\": pod web is already "
        + "assigned to node \"node1\"");
    assertThat(client.get(ResourceTypes.PODS, "default", "web").path("spec").path("nodeName").asText())
        .isEqualTo("node1");
  }

  @Test
  void aBindingForAnotherUidIsRefused() {
    ObjectNode pod = createPod("web");

    ApiException error = apiError(catchThrowable(() -> client.bind("default", "web", "node1", "other-uid")));

    assertThat(error.code()).isEqualTo(409);
    assertThat(error.getMessage()).endsWith("Precondition failed: UID in precondition: other-uid, UID in object "
        + "meta: " + Meta.uid(pod));
    assertThat(client.get(ResourceTypes.PODS, "default", "web").path("spec").has("nodeName")).isFalse();
  }

  @Test
  void aPodBeingDeletedOrGoneIsNotBound() {
    createPod("web");
    client.modify(ResourceTypes.PODS, "default", "web", pod -> {
      Meta.metadata(pod).putArray("finalizers").add("example.com/hold");
      return pod;
    });
    client.delete(ResourceTypes.PODS, "default", "web", DeleteOptions.DEFAULT);

    assertThat(apiError(catchThrowable(() -> client.bind("default", "web", "node1", null))).getMessage())
        .endsWith("pod web is being deleted, cannot be assigned to a host");
    assertThat(apiError(catchThrowable(() -> client.bind("default", "gone", "node1", null))).code())
        .isEqualTo(404);
  }

  @Test
  void theBindingItselfIsValidated() {
    createPod("web");

    ApiException noNode = apiError(catchThrowable(() -> binding.bind("default", "web",
        Json.parseObject("{\"metadata\":{\"name\":\"web\"},\"target\":{}}"), WriteOptions.DEFAULT)));
    ApiException notANode = apiError(catchThrowable(() -> binding.bind("default", "web",
        Json.parseObject("{\"metadata\":{\"name\":\"web\"},\"target\":{\"kind\":\"Pod\",\"name\":\"x\"}}"),
        WriteOptions.DEFAULT)));
    ApiException otherPod = apiError(catchThrowable(() -> binding.bind("default", "web",
        BindingOperation.binding("db", null, "node1"), WriteOptions.DEFAULT)));
    ApiException noName = apiError(catchThrowable(() -> binding.bind("default", null,
        Json.parseObject("{\"target\":{\"name\":\"node1\"}}"), WriteOptions.DEFAULT)));

    assertThat(noNode.code()).isEqualTo(422);
    assertThat(noNode.getMessage()).isEqualTo("Binding \"web\" is invalid: target.name: Required value");
    assertThat(notANode.code()).isEqualTo(422);
    assertThat(notANode.getMessage()).contains("target.kind: Unsupported value: \"Pod\"");
    assertThat(otherPod.code()).isEqualTo(400);
    assertThat(otherPod.getMessage()).isEqualTo("the name of the object (db) does not match the name on the URL (web)");
    assertThat(noName.code()).isEqualTo(422);
    assertThat(client.get(ResourceTypes.PODS, "default", "web").path("spec").has("nodeName")).isFalse();
  }

  @Test
  void aDryRunBindsNothing() {
    createPod("web");

    ObjectNode answer = binding.bind("default", null, BindingOperation.binding("web", null, "node1"),
        new WriteOptions(true, null));

    assertThat(answer.path("spec").path("nodeName").asText()).isEqualTo("node1");
    assertThat(client.get(ResourceTypes.PODS, "default", "web").path("spec").has("nodeName")).isFalse();
  }
}
