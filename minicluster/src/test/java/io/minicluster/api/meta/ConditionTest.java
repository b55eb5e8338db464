package io.minicluster.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTest {

  @Test
  void decodesTheTimesOfEveryConditionKind() {
    List<Condition> conditions = Condition.list(Json.parseObject("{\"conditions\":["
        + "{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,"
        + "\"lastTransitionTime\":\"2026-12-07T08:48:31Z\"},"
        + "{\"type\":\"Available\",\"status\":\"False\",\"lastUpdateTime\":\"2026-12-07T08:49:00Z\","
        + "\"lastTransitionTime\":\"2026-12-07T08:49:01Z\",\"reason\":\"MinimumReplicasUnavailable\","
        + "\"message\":\"m\"},"
        + "{\"type\":\"MemoryPressure\",\"status\":\"Unknown\",\"lastHeartbeatTime\":\"2026-12-07T08:50:00Z\"},"
        + "{\"type\":\"Ready\",\"status\":\"False\",\"observedGeneration\":3}]}"));

    assertThat(conditions).hasSize(4);
    assertThat(conditions.get(0).lastProbeTime()).isNull();
    assertThat(conditions.get(0).lastTransitionTime()).isEqualTo(Instant.parse("2026-12-07T08:48:31Z"));
    assertThat(conditions.get(1)).isEqualTo(new Condition("Available", "False", 0, null, null,
        Instant.parse("2026-12-07T08:49:00Z"), Instant.parse("2026-12-07T08:49:01Z"), "MinimumReplicasUnavailable",
        "m"));
    assertThat(conditions.get(2).lastHeartbeatTime()).isEqualTo(Instant.parse("2026-12-07T08:50:00Z"));
    assertThat(conditions.get(3).observedGeneration()).isEqualTo(3);
  }

  @Test
  void findsTheFirstConditionOfAType() {
    List<Condition> conditions = Condition.list(Json.parseObject("{\"conditions\":[{\"type\":\"Ready\","
        + "\"status\":\"True\"},{\"type\":\"PodScheduled\",\"status\":\"False\"},"
        + "{\"type\":\"Ready\",\"status\":\"False\"}]}"));

    assertThat(Condition.find(conditions, "Ready")).map(Condition::status).contains("True");
    assertThat(Condition.isTrue(conditions, "Ready")).isTrue();
    assertThat(Condition.isTrue(conditions, "PodScheduled")).isFalse();
    assertThat(Condition.find(conditions, "PodScheduled").orElseThrow().isFalse()).isTrue();
    assertThat(Condition.find(conditions, "Initialized")).isEmpty();
    assertThat(Condition.isTrue(conditions, "Initialized")).isFalse();
    assertThat(Condition.list(Json.object())).isEmpty();
  }
}
