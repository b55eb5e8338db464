package io.minicluster.controller.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.core.Pod;
import io.minicluster.controller.podautoscaler.PodMetricsSource.PodMetric;
import io.minicluster.controller.podautoscaler.ReplicaCalculator.Proposal;
import io.minicluster.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replica calculator on pods and metrics made here, with cases from upstream's replica_calculator_test.go. */
class ReplicaCalculatorTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private final ReplicaCalculator calculator = ReplicaCalculator.defaults();

  /** A pod requesting {@code request} (e.g. "1") of CPU and memory, started and ready 10 minutes ago. */
  private static Pod pod(String name, String phase, String request) {
    return pod(name, phase, request, NOW.minusSeconds(600), NOW.minusSeconds(600), "True");
  }

  private static Pod pod(String name, String phase, String request, Instant started, Instant readySince,
      String ready) {
    return Pod.from(Json.parseObject(("{'metadata':{'name':'" + name + "','namespace':'default'},'spec':"
        + "{'containers':[{'name':'c','image':'busybox'" + (request == null ? "" : ",'resources':{'requests':"
        + "{'cpu':'" + request + "','memory':'" + request + "Gi'}}") + "}]},'status':{'phase':'" + phase
        + "','startTime':'" + started + "','conditions':[{'type':'Ready','status':'" + ready
        + "','lastTransitionTime':'" + readySince + "'}]}}").replace('\'', '"')));
  }

  private static Map<String, PodMetric> usage(Object... nameAndMilli) {
    Map<String, PodMetric> metrics = new HashMap<>();
    for (int i = 0; i < nameAndMilli.length; i += 2) {
      metrics.put((String) nameAndMilli[i], new PodMetric(((Number) nameAndMilli[i + 1]).longValue(), NOW, WINDOW));
    }
    return metrics;
  }

  @Test
  void scalesUpByTheUtilizationRatio() throws Exception {
    List<Pod> pods = List.of(pod("a", "Running", "1"), pod("b", "Running", "1"), pod("c", "Running", "1"));

    Proposal proposal = calculator.resourceReplicas(3, 50, "cpu", pods, usage("a", 1500, "b", 1500, "c", 1500), NOW);

    assertThat(proposal).isEqualTo(new Proposal(9, 150, 1500));
  }

  @Test
  void aChangeWithinTheToleranceKeepsTheCount() throws Exception {
    List<Pod> pods = List.of(pod("a", "Running", "1"), pod("b", "Running", "1"));

    assertThat(calculator.resourceReplicas(2, 50, "cpu", pods, usage("a", 520, "b", 530), NOW))
        .isEqualTo(new Proposal(2, 52, 525));
  }

  @Test
  void onAScaleDownPodsWithoutMetricsCountAsUsingTheirWholeRequest() throws Exception {
    List<Pod> pods = List.of(pod("a", "Running", "1"), pod("b", "Running", "1"), pod("c", "Running", "1"));

    // 0% measured, but the missing pod counts as 100%: 33% of the requests, so 2 pods rather than none
    assertThat(calculator.resourceReplicas(3, 50, "cpu", pods, usage("a", 0, "b", 0), NOW).replicas()).isEqualTo(2);
  }

  @Test
  void unreadyPodsThatWouldTurnAScaleUpKeepTheCount() throws Exception {
    List<Pod> pods = List.of(pod("a", "Running", "1"), pod("b", "Pending", "1"), pod("c", "Pending", "1"),
        pod("d", "Pending", "1"));

    // the ready pod alone says 2; with the pending pods at 0% the ratio is 0.5: no scale down while they start
    assertThat(calculator.resourceReplicas(4, 50, "cpu", pods, usage("a", 1000), NOW).replicas()).isEqualTo(4);
  }

  @Test
  void deletedAndFailedPodsAreIgnored() throws Exception {
    Pod failed = pod("f", "Failed", "1");
    List<Pod> pods = List.of(pod("a", "Running", "1"), failed);

    assertThat(calculator.resourceReplicas(2, 50, "cpu", pods, usage("a", 1000), NOW).replicas()).isEqualTo(2);
  }

  @Test
  void cpuOfAPodStillInitializingIsNotCounted() {
    // started a minute ago, ready for 5 s: the sample's window began before it was ready
    List<Pod> pods = List.of(pod("a", "Running", "1", NOW.minusSeconds(60), NOW.minusSeconds(5), "True"));

    assertThatThrownBy(() -> calculator.resourceReplicas(1, 50, "cpu", pods, usage("a", 1000), NOW))
        .isInstanceOf(MetricsException.class)
        .hasMessage("did not receive metrics for targeted pods (pods might be unready)");
    // memory is counted all the same
    assertThat(assertDoesNotThrow(() -> calculator.resourceReplicas(1, 50, "memory", pods,
        usage("a", 1024L * 1024 * 1024 * 1000), NOW)).replicas()).isEqualTo(2);
  }

  @Test
  void aContainerWithoutARequestIsAnError() {
    List<Pod> pods = List.of(pod("a", "Running", null));

    assertThatThrownBy(() -> calculator.resourceReplicas(1, 50, "cpu", pods, usage("a", 10), NOW))
        .hasMessage("missing request for cpu in container c of Pod a");
    assertThatThrownBy(() -> calculator.resourceReplicas(1, 50, "cpu", List.of(), usage("a", 10), NOW))
        .hasMessage("no pods returned by selector while calculating replica count");
  }

  @Test
  void anAverageValueTargetComparesTheMeanUsage() throws Exception {
    List<Pod> pods = List.of(pod("a", "Running", "1"), pod("b", "Running", "1"));

    assertThat(calculator.rawResourceReplicas(2, 100, "cpu", pods, usage("a", 300, "b", 100), NOW))
        .isEqualTo(new Proposal(4, null, 200));
    assertThat(calculator.rawResourceReplicas(2, 100, "cpu", pods, usage("a", 105, "b", 100), NOW).replicas())
        .isEqualTo(2);
  }

  private static <T> T assertDoesNotThrow(ThrowingSupplier<T> supplier) {
    try {
      return supplier.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
