package io.minicluster.api.apps;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.meta.OwnerReference;
import io.minicluster.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSetTest {

  @Test
  void decodesTheStoredReplicaSet() {
    ReplicaSet replicaSet = ReplicaSet.from(fixture("apps/replicaset.json"));

    assertThat(replicaSet.metadata().controllerRef()).map(OwnerReference::kind).contains("Deployment");
    assertThat(replicaSet.spec().replicas()).isEqualTo(3);
    assertThat(replicaSet.spec().minReadySeconds()).isEqualTo(5);
    var selector = replicaSet.spec().selector().toSelector();
    assertThat(selector.matches(Map.of("app", "web", "pod-template-hash", "7d4b9c8f6"))).isTrue();
    assertThat(selector.matches(Map.of("app", "web", "pod-template-hash", "7d4b9c8f6", "tier", "db"))).isFalse();
    assertThat(replicaSet.spec().template().spec().containers().get(0).image()).isEqualTo("nginx:1.27");
    assertThat(replicaSet.status().replicas()).isEqualTo(3);
    assertThat(replicaSet.status().fullyLabeledReplicas()).isEqualTo(3);
    assertThat(replicaSet.status().readyReplicas()).isEqualTo(2);
    assertThat(replicaSet.status().availableReplicas()).isEqualTo(2);
    assertThat(replicaSet.status().observedGeneration()).isEqualTo(1);
    assertThat(replicaSet.status().conditions().get(0).reason()).isEqualTo("FailedCreate");
    assertThat(assertDeeplyImmutable(replicaSet)).isGreaterThan(5);
  }

  @Test
  void anEmptyObjectDecodesToZeroValues() {
    ReplicaSet replicaSet = ReplicaSet.from(Json.object());

    assertThat(replicaSet.spec().replicas()).isNull();
    assertThat(replicaSet.spec().selector()).isNull();
    assertThat(replicaSet.spec().template().spec().containers()).isEmpty();
    assertThat(replicaSet.status().replicas()).isZero();
  }
}
