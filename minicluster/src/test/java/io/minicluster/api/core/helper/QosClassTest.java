package io.minicluster.api.core.helper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.PodSpec;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

/** The QoS class of a spec tree and of the record read from it are the same (GetPodQOS's cases). */
class QosClassTest {

  private static String both(String spec) {
    ObjectNode tree = Json.parseObject(spec);
    String ofTree = QosClass.of(tree);
    assertThat(QosClass.of(PodSpec.from(tree))).as("the record's class").isEqualTo(ofTree);
    return ofTree;
  }

  @Test
  void noRequestsOrLimitsIsBestEffort() {
    assertThat(both("""
        {"containers":[{"name":"a"}],"initContainers":[{"name":"i","resources":{"limits":{"gpu":"1"}}}]}"""))
        .isEqualTo(QosClass.BEST_EFFORT);
  }

  @Test
  void equalCpuAndMemoryLimitsAndRequestsInEveryContainerIsGuaranteed() {
    assertThat(both("""
        {"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"},
          "requests":{"cpu":"1000m","memory":"1Gi"}}}],
         "initContainers":[{"name":"i","resources":{"limits":{"cpu":"500m","memory":"64Mi"},
          "requests":{"cpu":"0.5","memory":"64Mi"}}}]}"""))
        .isEqualTo(QosClass.GUARANTEED);
  }

  @Test
  void aContainerWithoutMemoryLimitOrUnequalRequestsIsBurstable() {
    assertThat(both("""
        {"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},
          {"name":"b","resources":{"limits":{"cpu":"1"}}}]}""")).isEqualTo(QosClass.BURSTABLE);
    assertThat(both("""
        {"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"},
          "requests":{"cpu":"500m"}}}]}""")).isEqualTo(QosClass.BURSTABLE);
  }

  @Test
  void zeroAndUnparsableQuantitiesAreIgnored() {
    assertThat(both("""
        {"containers":[{"name":"a","resources":{"limits":{"cpu":"0","memory":"lots"},"requests":{"cpu":"0"}}}]}"""))
        .isEqualTo(QosClass.BEST_EFFORT);
  }
}
