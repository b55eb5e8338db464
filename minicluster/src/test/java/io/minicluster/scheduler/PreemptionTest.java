package io.minicluster.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.api.policy.PodDisruptionBudget;
import io.minicluster.json.Json;
import io.minicluster.scheduler.framework.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DefaultPreemption's choice of victims over a snapshot. */
class PreemptionTest {
  private final SchedulingAlgorithm algorithm = SchedulingAlgorithm.defaults();
  private final Preemption preemption = new Preemption(algorithm);
  private final Node node = SchedulingAlgorithmTest.node("node1", "1", "");

  private static Pod pod(String name, String cpu, int priority, String app, String startTime) {
    ObjectNode tree = SchedulingAlgorithmTest.podTree(cpu, ",\"priority\":" + priority + ",\"nodeName\":\"node1\"");
    tree.with("metadata").put("name", name).with("labels").put("app", app);
    if (startTime != null) {
      tree.with("status").put("startTime", startTime);
    }
    return Pod.from(tree);
  }

  private static Pod preemptor(int priority) {
    return SchedulingAlgorithmTest.pod("500m", ",\"priority\":" + priority);
  }

  private Preemption.Outcome preempt(Pod pod, List<Pod> onNode, List<PodDisruptionBudget> budgets) {
    ScheduleResult result = algorithm.schedule(pod, List.of(NodeInfo.of(node, onNode)));
    assertThat(result.isScheduled()).isFalse();
    List<Preemption.PlacedPod> placed = onNode.stream().map(p -> new Preemption.PlacedPod(p, true)).toList();
    return preemption.preempt(pod, List.of(new Preemption.NodePods(node, placed)), result.error().nodeStatuses(),
        budgets);
  }

  private static PodDisruptionBudget budget(String app, int disruptionsAllowed) {
    return PodDisruptionBudget.from(Json.parseObject("{\"metadata\":{\"name\":\"" + app + "\",\"namespace\":"
        + "\"default\"},\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"" + app + "\"}}},"
        + "\"status\":{\"disruptionsAllowed\":" + disruptionsAllowed + "}}"));
  }

  @Test
  void theMostImportantPodsAreKeptFirstAndTheRestAreVictims() {
    Pod a = pod("a", "300m", 5, "a", null);
    Pod b = pod("b", "300m", 1, "b", null);
    Pod c = pod("c", "300m", 3, "c", null);
    Pod higher = pod("higher", "100m", 100, "higher", null);

    Preemption.Outcome outcome = preempt(preemptor(100), List.of(a, b, c, higher), List.of());

    assertThat(outcome.message()).isEmpty();
    assertThat(outcome.candidate().nodeName()).isEqualTo("node1");
    // a (priority 5) is reprieved first and still fits with the preemptor; c and b then do not
    assertThat(outcome.candidate().victims()).containsExactly(c, b);
  }

  @Test
  void podsWhoseEvictionViolatesABudgetAreKeptFirst() {
    // same priority: a started later, so without budgets it would be the victim; its budget allows no disruption
    Pod early = pod("early", "500m", 1, "free", "2026-12-07T06:00:00Z");
    Pod late = pod("late", "500m", 1, "guarded", "2026-12-07T07:00:00Z");

    assertThat(preempt(preemptor(100), List.of(early, late), List.of()).candidate().victims())
        .containsExactly(late);
    Preemption.Outcome outcome = preempt(preemptor(100), List.of(early, late), List.of(budget("guarded", 0)));

    assertThat(outcome.candidate().victims()).containsExactly(early);
    assertThat(outcome.candidate().pdbViolations()).isZero();
  }

  @Test
  void noLowerPriorityPodGivesUpstreamsMessage() {
    Preemption.Outcome outcome = preempt(preemptor(5), List.of(pod("a", "800m", 5, "a", null)), List.of());

    assertThat(outcome.candidate()).isNull();
    assertThat(new FitError(1, algorithm.schedule(preemptor(5), List.of(NodeInfo.of(node,
        List.of(pod("a", "800m", 5, "a", null))))).error().nodeStatuses(), outcome.message()).message())
        .isEqualTo("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
            + "1 No preemption victims found for incoming pod..");
  }

  @Test
  void aPodWithPreemptionPolicyNeverDoesNotPreempt() {
    Pod never = SchedulingAlgorithmTest.pod("500m", ",\"priority\":100,\"preemptionPolicy\":\"Never\"");

    Preemption.Outcome outcome = preempt(never, List.of(pod("a", "800m", 1, "a", null)), List.of());

    assertThat(outcome.candidate()).isNull();
    assertThat(outcome.message()).isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
  }
}
