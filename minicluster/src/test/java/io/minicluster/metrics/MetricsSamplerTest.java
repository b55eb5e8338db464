package io.minicluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsSamplerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  /** Readings set by the test; every call counted. */
  private static class FakeStats implements StatsSource {
    final Map<String, Sample> containers = new HashMap<>();
    Sample node;
    final List<String> calls = new ArrayList<>();

    @Override
    public Optional<Sample> container(String containerId) {
      calls.add(containerId);
      return Optional.ofNullable(containers.get(containerId));
    }

    @Override
    public Optional<Sample> node() {
      return Optional.ofNullable(node);
    }
  }

  private static Pod pod(String name, String phase, String... containerIds) throws Exception {
    ObjectNode pod = (ObjectNode) MAPPER.readTree(("{'metadata':{'name':'" + name + "','namespace':'default',"
        + "'labels':{'app':'" + name + "'}},'spec':{'nodeName':'node1','containers':[]},"
        + "'status':{'phase':'" + phase + "','containerStatuses':[]}}").replace('\'', '"'));
    for (int i = 0; i < containerIds.length; i++) {
      ((ObjectNode) pod.get("spec")).withArray("containers").addObject().put("name", "c" + i);
      ObjectNode status = ((ObjectNode) pod.get("status")).withArray("containerStatuses").addObject();
      status.put("name", "c" + i);
      if (containerIds[i] != null) {
        status.put("containerID", "docker://" + containerIds[i]);
        status.putObject("state").putObject("running").put("startedAt", "2026-12-07T11:00:00Z");
      } else {
        status.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
      }
    }
    return Pod.from(pod);
  }

  private static Node node() throws Exception {
    return Node.from((ObjectNode) MAPPER.readTree("{\"metadata\":{\"name\":\"node1\",\"labels\":{\"role\":\"x\"}}}"));
  }

  @Test
  void cpuIsTheRateOfCpuTimeBetweenTwoReadingsInNanocores() {
    Sample earlier = new Sample(T0, 1_000_000_000L, 100);
    Sample later = new Sample(T0.plusSeconds(10), 6_000_000_000L, 4096);
    assertThat(later.usageSince(earlier)).contains(new Usage(500_000_000L, 4096));
  }

  @Test
  void noRateWithoutTimeOrWhenTheCounterWentBack() {
    Sample sample = new Sample(T0, 5, 1);
    assertThat(sample.usageSince(sample)).isEmpty();
    assertThat(new Sample(T0.plusSeconds(1), 4, 1).usageSince(sample)).isEmpty();
  }

  @Test
  void rateOfManySecondsOfCpuDoesNotOverflow() {
    Sample earlier = new Sample(T0, 0, 0);
    Sample later = new Sample(T0.plusSeconds(100), 200_000_000_000L, 0);
    assertThat(later.usageSince(earlier).orElseThrow().cpuNanoCores()).isEqualTo(2_000_000_000L);
  }

  @Test
  void podsAreReportedFromTheirSecondReadingOnWithTheWindowBetweenReadings() throws Exception {
    FakeStats stats = new FakeStats();
    List<Pod> pods = List.of(pod("busy", Pod.RUNNING, "a", "b"));
    MetricsSampler sampler = new MetricsSampler("node1", () -> Optional.of(uncheckedNode()), () -> pods, stats,
        Runnable::run);
    stats.node = new Sample(T0, 0, 1024);
    stats.containers.put("a", new Sample(T0, 0, 4096));
    stats.containers.put("b", new Sample(T0, 0, 8192));
    sampler.sample();
    assertThat(sampler.snapshot().pods(null)).isEmpty();
    assertThat(sampler.snapshot().nodes()).isEmpty();

    stats.node = new Sample(T0.plusSeconds(10), 20_000_000_000L, 2048);
    stats.containers.put("a", new Sample(T0.plusSeconds(10), 10_000_000_000L, 4096));
    stats.containers.put("b", new Sample(T0.plusMillis(10_500), 0, 8192));
    sampler.sample();

    PodMetrics busy = sampler.snapshot().pod("default", "busy").orElseThrow();
    assertThat(busy.labels()).containsEntry("app", "busy");
    assertThat(busy.containers()).containsExactly(
        new PodMetrics.ContainerMetrics("c0", new Usage(1_000_000_000L, 4096)),
        new PodMetrics.ContainerMetrics("c1", new Usage(0, 8192)));
    assertThat(busy.timestamp()).isEqualTo(T0.plusMillis(10_500));
    assertThat(busy.window()).isEqualTo(Duration.ofMillis(10_500));
    NodeMetrics node = sampler.snapshot().node("node1").orElseThrow();
    assertThat(node.usage()).isEqualTo(new Usage(2_000_000_000L, 2048));
    assertThat(node.labels()).containsEntry("role", "x");
    assertThat(node.window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aPodMissingAnyContainersUsageIsLeftOut() throws Exception {
    FakeStats stats = new FakeStats();
    List<Pod> pods = List.of(pod("half", Pod.RUNNING, "a", "gone"));
    MetricsSampler sampler = new MetricsSampler("node1", Optional::empty, () -> pods, stats, Runnable::run);
    stats.containers.put("a", new Sample(T0, 0, 1));
    sampler.sample();
    stats.containers.put("a", new Sample(T0.plusSeconds(10), 0, 1));
    sampler.sample();
    assertThat(sampler.snapshot().pods("default")).isEmpty();
    assertThat(sampler.snapshot().pod("default", "half")).isEmpty();
  }

  @Test
  void onlyRunningPodsWithEveryContainerRunningAreSampledAndNoPodsMeansNoEngineCall() throws Exception {
    FakeStats stats = new FakeStats();
    List<Pod> pods = new ArrayList<>(List.of(pod("pending", Pod.PENDING, "p"), pod("starting", Pod.RUNNING, "s",
        null), pod("done", Pod.SUCCEEDED, "d")));
    MetricsSampler sampler = new MetricsSampler("node1", Optional::empty, () -> pods, stats, Runnable::run);
    sampler.sample();
    assertThat(stats.calls).isEmpty();
    pods.add(pod("running", Pod.RUNNING, "r1", "r2"));
    sampler.sample();
    assertThat(stats.calls).containsExactly("r1", "r2");
  }

  @Test
  void aFailingReadingLeavesOnlyThatPodOut() throws Exception {
    FakeStats failing = new FakeStats() {
      @Override
      public Optional<Sample> container(String containerId) {
        if (containerId.equals("bad")) {
          throw new IllegalStateException("engine down");
        }
        return super.container(containerId);
      }
    };
    List<Pod> pods = List.of(pod("good", Pod.RUNNING, "ok"), pod("broken", Pod.RUNNING, "bad"));
    MetricsSampler sampler = new MetricsSampler("node1", Optional::empty, () -> pods, failing, Runnable::run);
    failing.containers.put("ok", new Sample(T0, 0, 1));
    sampler.sample();
    failing.containers.put("ok", new Sample(T0.plusSeconds(1), 0, 1));
    sampler.sample();
    assertThat(sampler.snapshot().pods(null)).extracting(PodMetrics::name).containsExactly("good");
  }

  @Test
  void aFailedRoundOnTheTimerIsLoggedNotThrown() {
    MetricsSampler sampler = new MetricsSampler("node1", Optional::empty, () -> {
      throw new IllegalStateException("informer closed");
    }, new FakeStats(), Runnable::run);
    sampler.sampleLogged();
    assertThat(sampler.snapshot()).isSameAs(MetricsSnapshot.EMPTY);
  }

  private static Node uncheckedNode() {
    try {
      return node();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
