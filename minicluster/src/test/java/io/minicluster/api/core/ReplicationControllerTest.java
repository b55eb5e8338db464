package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationControllerTest {

  @Test
  void decodesTheMongoExampleAsStored() {
    ReplicationController controller = ReplicationController.from(fixture("core/replicationcontroller.json"));

    assertThat(controller.metadata().name()).isEqualTo("mongo");
    assertThat(controller.spec().replicas()).isEqualTo(1);
    assertThat(controller.spec().selector()).isEqualTo(Map.of("name", "mongo"));
    assertThat(controller.spec().template().metadata().labels()).isEqualTo(Map.of("name", "mongo"));
    assertThat(controller.spec().template().spec().containers().get(0).image()).isEqualTo("mongo");
    assertThat(controller.spec().template().spec().restartPolicy()).isEqualTo("Always");
    assertThat(controller.status().replicas()).isEqualTo(1);
    assertThat(controller.status().readyReplicas()).isEqualTo(1);
    assertThat(controller.status().observedGeneration()).isEqualTo(1);
    assertThat(assertDeeplyImmutable(controller)).isGreaterThan(5);
  }

  @Test
  void anAbsentTemplateAndReplicaCountAreNull() {
    ReplicationController controller = ReplicationController.from(Json.parseObject("{\"spec\":{}}"));

    assertThat(controller.spec().replicas()).isNull();
    assertThat(controller.spec().template()).isNull();
    assertThat(controller.status().replicas()).isZero();
  }
}
