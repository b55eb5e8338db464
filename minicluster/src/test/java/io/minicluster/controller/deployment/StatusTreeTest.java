package io.minicluster.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.apps.DeploymentStatus;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class StatusTreeTest {
  @Test
  void aWrittenStatusReadsBackAsTheSameTree() {
    var status = Json.parseObject("{\"observedGeneration\":3,\"replicas\":2,\"updatedReplicas\":1,"
        + "\"readyReplicas\":2,\"availableReplicas\":2,\"unavailableReplicas\":1,\"conditions\":["
        + "{\"type\":\"Available\",\"status\":\"True\",\"lastUpdateTime\":\"2026-01-02T03:04:05Z\","
        + "\"lastTransitionTime\":\"2026-01-02T03:04:05Z\",\"reason\":\"MinimumReplicasAvailable\","
        + "\"message\":\"Deployment has minimum availability.\"},"
        + "{\"type\":\"Progressing\",\"status\":\"True\",\"lastUpdateTime\":\"2026-01-02T03:05:00Z\","
        + "\"lastTransitionTime\":\"2026-01-02T03:04:00Z\",\"reason\":\"ReplicaSetUpdated\","
        + "\"message\":\"ReplicaSet \\\"web-abc\\\" is progressing.\"}],\"collisionCount\":1}");
    assertThat(StatusTree.of(DeploymentStatus.from(status)).toString()).isEqualTo(status.toString());
  }

  @Test
  void zeroCountsAreLeftOut() {
    assertThat(StatusTree.of(DeploymentStatus.from(Json.parseObject("{\"replicas\":0,\"collisionCount\":0}"))))
        .hasToString("{\"collisionCount\":0}");
  }
}
