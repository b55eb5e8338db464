package io.minicluster.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Taint;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintEvictionTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TAINTED = CREATED.plusSeconds(100);
  private static final Instant NOW = TAINTED.plusSeconds(5);
  private static final Taint UNREACHABLE = new Taint("node.kubernetes.io/unreachable", "", "NoExecute", TAINTED);

  private static Pod pod(String tolerations) {
    ObjectNode pod = Json.parseObject("{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"tolerations\":" + tolerations + "}}");
    Meta.metadata(pod).put("creationTimestamp", Meta.timestamp(CREATED));
    return Pod.from(pod);
  }

  @Test
  void anUntoleratedNoExecuteTaintEvictsAtOnce() {
    assertThat(TaintEviction.due(pod("[]"), List.of(UNREACHABLE), NOW)).contains(NOW);
  }

  @Test
  void noScheduleTaintsEvictNothing() {
    Taint noSchedule = new Taint("node.kubernetes.io/unreachable", "", "NoSchedule", null);
    assertThat(TaintEviction.due(pod("[]"), List.of(noSchedule), NOW)).isEmpty();
  }

  @Test
  void tolerationSecondsCountFromTheTaint() {
    Pod pod = pod("[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
        + "\"tolerationSeconds\":300}]");
    assertThat(TaintEviction.due(pod, List.of(UNREACHABLE), NOW)).contains(TAINTED.plusSeconds(300));
  }

  @Test
  void aTolerationWithoutSecondsToleratesForever() {
    Pod pod = pod("[{\"operator\":\"Exists\"}]");
    assertThat(TaintEviction.due(pod, List.of(UNREACHABLE), NOW)).isEmpty();
  }

  @Test
  void negativeSecondsMeanAtOnceAndThePodsCreationCountsWhenLater() {
    Pod negative = pod("[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
        + "\"tolerationSeconds\":-5}]");
    assertThat(TaintEviction.due(negative, List.of(UNREACHABLE), NOW)).contains(TAINTED);
    Taint early = new Taint("node.kubernetes.io/unreachable", "", "NoExecute", CREATED.minusSeconds(1000));
    Pod tolerating = pod("[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":60}]");
    assertThat(TaintEviction.due(tolerating, List.of(early), NOW)).contains(CREATED.plusSeconds(60));
  }
}
