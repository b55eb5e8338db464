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

/** The eviction subresource: without disruption budgets, the pod's deletion with the Eviction's options. */
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
}
