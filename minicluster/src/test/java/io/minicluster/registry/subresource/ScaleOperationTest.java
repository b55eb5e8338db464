package io.minicluster.registry.subresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import io.minicluster.testing.InProcessApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scale subresource of the workload kinds. */
class ScaleOperationTest extends InProcessApiTest {
  @BeforeEach
  void createNamespace() {
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
  }

  private ObjectNode deployment() {
    return client.create(ResourceTypes.DEPLOYMENTS, "default", Json.parseObject("{\"metadata\":{\"name\":\"web\"},"
        + "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\",\"tier\":\"a\"},"
        + "\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]}]},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"a\",\"env\":\"prod\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"));
  }

  private static ObjectNode replicas(ObjectNode scale, long replicas) {
    ((ObjectNode) scale.get("spec")).put("replicas", replicas);
    return scale;
  }

  @Test
  void theScaleOfAnObjectNamesItsReplicasAndSelector() {
    ObjectNode created = deployment();

    ObjectNode scale = api.subresources().scale(ResourceTypes.DEPLOYMENTS).get("default", "web");

    // compared as text: the Scale holds longs where the parsed tree holds ints
    assertThat(scale.toString()).isEqualTo(Json.parseObject("{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\","
        + "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"" + Meta.uid(created) + "\","
        + "\"resourceVersion\":\"" + Meta.resourceVersion(created) + "\",\"creationTimestamp\":\""
        + created.path("metadata").path("creationTimestamp").asText() + "\"},\"spec\":{\"replicas\":2},"
        + "\"status\":{\"replicas\":0,\"selector\":\"app=web,tier=a,env in (dev,prod)\"}}").toString());
  }

  @Test
  void anUpdateWritesTheReplicasThroughTheKindsStrategy() {
    ObjectNode created = deployment();
    ScaleOperation scale = api.subresources().scale(ResourceTypes.DEPLOYMENTS);

    ObjectNode updated = scale.update("default", "web", current -> replicas(current, 5), WriteOptions.DEFAULT);

    ObjectNode stored = client.get(ResourceTypes.DEPLOYMENTS, "default", "web");
    assertThat(updated.path("spec").path("replicas").asLong()).isEqualTo(5);
    assertThat(Meta.resourceVersion(updated)).isEqualTo(Meta.resourceVersion(stored));
    assertThat(stored.path("spec").path("replicas").asLong()).isEqualTo(5);
    // a spec change of the deployment: its generation moves, as the strategy says
    assertThat(stored.path("metadata").path("generation").asLong())
        .isEqualTo(created.path("metadata").path("generation").asLong() + 1);
  }

  @Test
  void aStaleScaleConflictsAndNegativeReplicasAreInvalid() {
    ObjectNode created = deployment();
    ScaleOperation scale = api.subresources().scale(ResourceTypes.DEPLOYMENTS);
    ObjectNode old = scale.get("default", "web");
    scale.update("default", "web", current -> replicas(current, 3), WriteOptions.DEFAULT);

    Throwable stale = catchThrowable(() -> scale.update("default", "web", current -> replicas(old.deepCopy(), 4),
        WriteOptions.DEFAULT));
    Throwable negative = catchThrowable(() -> scale.update("default", "web", current -> replicas(current, -1),
        WriteOptions.DEFAULT));

    assertThat(stale).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
    assertThat(negative).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.getMessage()).isEqualTo("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: "
          + "must be greater than or equal to 0");
    });
    assertThat(client.get(ResourceTypes.DEPLOYMENTS, "default", "web").path("spec").path("replicas").asLong())
        .isEqualTo(3);
    assertThat(Meta.uid(created)).isNotEmpty();
  }

  @Test
  void replicaSetsAndReplicationControllersScaleAlikeAndOtherKindsHaveNoScale() {
    client.create(ResourceTypes.REPLICATION_CONTROLLERS, "default", Json.parseObject("{\"metadata\":{\"name\":"
        + "\"rc\"},\"spec\":{\"selector\":{\"app\":\"rc\"},\"template\":{\"metadata\":{\"labels\":{\"app\":\"rc\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"));
    ScaleOperation scale = api.subresources().scale(ResourceTypes.REPLICATION_CONTROLLERS);

    ObjectNode updated = scale.update("default", "rc", current -> replicas(current, 0), WriteOptions.DEFAULT);

    assertThat(updated.path("spec").path("replicas").asLong()).isEqualTo(0);
    assertThat(updated.path("status").path("selector").asText()).isEqualTo("app=rc");
    assertThat(catchThrowable(() -> api.subresources().scale(ResourceTypes.PODS)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
  }
}
