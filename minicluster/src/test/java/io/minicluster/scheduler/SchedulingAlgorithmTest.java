package io.minicluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.json.Json;
import io.minicluster.scheduler.framework.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {
  private final SchedulingAlgorithm algorithm = SchedulingAlgorithm.defaults();

  static Node node(String name, String cpu, String extraSpec) {
    return Node.from(Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + extraSpec + "},"
        + "\"status\":{\"allocatable\":{\"cpu\":\"" + cpu + "\",\"memory\":\"8Gi\",\"pods\":\"110\"}}}"));
  }

  static Pod pod(String cpu, String extraSpec) {
    return Pod.from(podTree(cpu, extraSpec));
  }

  static ObjectNode podTree(String cpu, String extraSpec) {
    return Json.parseObject("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{"
        + "\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"}}}]"
        + extraSpec + "}}");
  }

  static Pod bound(String node, String cpu) {
    ObjectNode pod = podTree(cpu, "");
    pod.with("spec").put("nodeName", node);
    return Pod.from(pod);
  }

  @Test
  void insufficientCpuMessageMatchesKubeScheduler() {
    ScheduleResult result = algorithm.schedule(pod("4", ""), List.of(NodeInfo.of(node("node1", "2", ""), List.of())));

    assertThat(result.isScheduled()).isFalse();
    assertThat(result.error().message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 "
        + "nodes are available: 1 No preemption victims found for incoming pod..");
  }

  @Test
  void taintedNodeIsNotHelpfulForPreemption() {
    ScheduleResult result = algorithm.schedule(pod("1", ""), List.of(NodeInfo.of(node("node1", "2",
        "\"taints\":[{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoSchedule\"}]"), List.of())));

    assertThat(result.error().message()).isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint(s). "
        + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  }

  @Test
  void reasonsAreCountedAndSortedAcrossNodes() {
    ScheduleResult result = algorithm.schedule(pod("3", ",\"preemptionPolicy\":\"Never\""), List.of(
        NodeInfo.of(node("a", "2", ""), List.of()),
        NodeInfo.of(node("b", "2", ""), List.of()),
        NodeInfo.of(node("c", "8", "\"unschedulable\":true"), List.of())));

    assertThat(result.error().message()).isEqualTo("0/3 nodes are available: 1 node(s) were unschedulable, "
        + "2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..");
  }

  @Test
  void noNodes() {
    ScheduleResult result = algorithm.schedule(pod("1", ""), List.of());

    assertThat(result.error().message()).isEqualTo("no nodes available to schedule pods");
  }

  @Test
  void picksTheLeastAllocatedFeasibleNode() {
    ScheduleResult result = algorithm.schedule(pod("500m", ""), List.of(
        NodeInfo.of(node("busy", "4", ""), List.of(bound("busy", "3"))),
        NodeInfo.of(node("idle", "4", ""), List.of(bound("idle", "500m"))),
        NodeInfo.of(node("full", "4", ""), List.of(bound("full", "3800m")))));

    assertThat(result.nodeName()).isEqualTo("idle");
  }
}
