package io.minicluster.registry.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

/** The PodScheduled condition of a binding, as UpdatePodCondition sets it in assignPod. */
class PodBindingTest {
  private static final String NOW = "2026-12-07T06:00:00Z";
  private static final String EARLIER = "2026-12-07T05:00:00Z";

  private static ObjectNode pendingPod(String conditions) {
    return Json.parseObject("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"u1\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]},\"status\":{\"conditions\":"
        + conditions + "}}");
  }

  @Test
  void anUnschedulableConditionTurnsTrueWhereItStands() {
    ObjectNode pod = pendingPod("[{\"type\":\"PodScheduled\",\"status\":\"False\",\"lastProbeTime\":null,"
        + "\"lastTransitionTime\":\"" + EARLIER + "\",\"reason\":\"Unschedulable\",\"message\":\"0/1 nodes\"},"
        + "{\"type\":\"example.com/gate\",\"status\":\"False\"}]");

    ObjectNode bound = PodBinding.bind(pod, "node1", "u1", null, NOW);

    assertThat(bound.at("/spec/nodeName").asText()).isEqualTo("node1");
    assertThat(bound.at("/status/conditions")).hasSize(2);
    assertThat(bound.at("/status/conditions/0")).isEqualTo(Json.parseObject("{\"type\":\"PodScheduled\","
        + "\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + NOW + "\"}"));
    assertThat(bound.at("/status/conditions/1/type").asText()).isEqualTo("example.com/gate");
  }

  @Test
  void aTrueConditionKeepsItsTransitionTime() {
    ObjectNode pod = pendingPod("[{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":\""
        + EARLIER + "\"}]");

    ObjectNode bound = PodBinding.bind(pod, "node1", null, null, NOW);

    assertThat(bound.at("/status/conditions/0/lastTransitionTime").asText()).isEqualTo(EARLIER);
  }

  @Test
  void aPodWithoutConditionsGetsPodScheduled() {
    ObjectNode pod = Json.parseObject("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{}}");

    ObjectNode bound = PodBinding.bind(pod, "node1", null, null, NOW);

    assertThat(bound.at("/status/conditions")).hasSize(1);
    assertThat(bound.at("/status/conditions/0/status").asText()).isEqualTo("True");
    assertThat(bound.at("/status/conditions/0/lastTransitionTime").asText()).isEqualTo(NOW);
  }

  @Test
  void bindingClearsThePreemptionsNominatedNodeName() {
    ObjectNode pod = pendingPod("[]");
    Json.with(pod, "status").put("nominatedNodeName", "node1");

    ObjectNode bound = PodBinding.bind(pod, "node1", null, null, NOW);

    assertThat(bound.at("/status/nominatedNodeName").isMissingNode()).isTrue();
  }
}
