package io.minicluster.api.apps;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.example;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentTest {

  @Test
  void decodesTheStoredDeployment() {
    Deployment deployment = Deployment.from(fixture("apps/deployment.json"));
    DeploymentSpec spec = deployment.spec();

    assertThat(deployment.metadata().annotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(spec.replicas()).isEqualTo(3);
    assertThat(spec.selector().matchLabels()).isEqualTo(Map.of("app", "web"));
    assertThat(spec.template().metadata().labels()).isEqualTo(Map.of("app", "web"));
    assertThat(spec.template().spec().containers().get(0).ports().get(0).protocol()).isEqualTo("TCP");
    assertThat(spec.strategy().type()).isEqualTo(DeploymentStrategy.ROLLING_UPDATE);
    assertThat(spec.strategy().rollingUpdate())
        .isEqualTo(new RollingUpdateDeployment(IntOrString.of("25%"), IntOrString.of(1)));
    assertThat(spec.strategy().rollingUpdate().maxUnavailable().scaledValue(spec.replicas(), false)).isZero();
    assertThat(spec.minReadySeconds()).isZero();
    assertThat(spec.revisionHistoryLimit()).isEqualTo(10);
    assertThat(spec.progressDeadlineSeconds()).isEqualTo(600);
    assertThat(spec.paused()).isFalse();

    DeploymentStatus status = deployment.status();
    assertThat(status.observedGeneration()).isEqualTo(2);
    assertThat(status.replicas()).isEqualTo(3);
    assertThat(status.updatedReplicas()).isEqualTo(3);
    assertThat(status.readyReplicas()).isEqualTo(2);
    assertThat(status.availableReplicas()).isEqualTo(2);
    assertThat(status.unavailableReplicas()).isEqualTo(1);
    assertThat(status.collisionCount()).isEqualTo(1);
    assertThat(status.terminatingReplicas()).isNull();
    Condition progressing = status.condition("Progressing").orElseThrow();
    assertThat(progressing.reason()).isEqualTo("ReplicaSetUpdated");
    assertThat(progressing.lastUpdateTime()).isEqualTo(Instant.parse("2026-12-07T08:49:05Z"));
    assertThat(progressing.lastTransitionTime()).isEqualTo(Instant.parse("2026-12-07T08:48:18Z"));
    assertThat(status.condition("Available").orElseThrow().isFalse()).isTrue();
    assertThat(status.condition("ReplicaFailure")).isEmpty();
    assertThat(assertDeeplyImmutable(deployment)).isGreaterThan(5);
  }

  @Test
  void decodesTheTelescopeExampleAsKubectlSendsIt() {
    Deployment deployment = Deployment.from(example("telescope-deployment"));

    assertThat(deployment.spec().replicas()).isEqualTo(2);
    assertThat(deployment.spec().strategy().type()).isEmpty();
    assertThat(deployment.spec().strategy().rollingUpdate()).isNull();
    assertThat(deployment.spec().revisionHistoryLimit()).isNull();
    assertThat(deployment.spec().template().spec().containers()).hasSize(2);
    assertThat(deployment.status().conditions()).isEmpty();
  }

  @Test
  void aRecreateStrategyAndAbsentSelector() {
    Deployment deployment = Deployment.from(Json.parseObject(
        "{\"spec\":{\"strategy\":{\"type\":\"Recreate\"},\"paused\":true}}"));

    assertThat(deployment.spec().strategy().type()).isEqualTo(DeploymentStrategy.RECREATE);
    assertThat(deployment.spec().paused()).isTrue();
    assertThat(deployment.spec().selector()).isNull();
    assertThat(deployment.spec().replicas()).isNull();
  }
}
