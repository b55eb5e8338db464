package io.minicluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.client.FakeClient;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import org.junit.jupiter.api.Test;

/** The scheduler binds through the client's binding subresource, with the pod's uid as precondition. */
class ApiBinderTest {
  private final FakeClient client = new FakeClient();
  private final ApiBinder binder = new ApiBinder(client.as("scheduler"));

  private Pod createPod() {
    return Pod.from(client.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\"web\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}")));
  }

  private static void assertConflict(Throwable thrown, String message) {
    assertThat(thrown).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(409);
      assertThat(e.getMessage()).endsWith(message);
    });
  }

  @Test
  void bindsThroughTheBindingSubresource() {
    Pod pod = createPod();

    Pod bound = binder.bind(pod, "node1");

    assertThat(bound.spec().nodeName()).isEqualTo("node1");
    assertThat(client.calls()).containsSubsequence("create pods default/web", "bind pods default/web");
    assertThat(client.calls()).noneMatch(call -> call.startsWith("update") || call.startsWith("modify"));
  }

  @Test
  void aPodAlreadyBoundOrReplacedIsNotBoundAgain() {
    Pod pod = createPod();
    binder.bind(pod, "node1");

    assertConflict(catchThrowable(() -> binder.bind(pod, "node2")), "is already assigned to node \"node1\"");

    client.delete(ResourceTypes.PODS, "default", "web", DeleteOptions.DEFAULT);
    createPod();
    assertConflict(catchThrowable(() -> binder.bind(pod, "node1")), "Precondition failed: UID in precondition: "
        + pod.metadata().uid() + ", UID in object meta: "
        + client.get(ResourceTypes.PODS, "default", "web").path("metadata").path("uid").asText());
  }
}
