package io.minicluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsJsonTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:05Z");

  @Test
  void podMetricsHaveMetricsServersShape() {
    PodMetrics pod = new PodMetrics("default", "web", Map.of("app", "web"), Instant.parse("2026-12-07T12:00:00Z"),
        Duration.ofMillis(10_012), List.of(new PodMetrics.ContainerMetrics("nginx", new Usage(1_402_838, 13_185_024))));
    assertThat(MetricsJson.pod(pod, NOW).toString()).isEqualTo("{\"kind\":\"PodMetrics\","
        + "\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\","
        + "\"creationTimestamp\":\"2026-12-07T12:00:05Z\",\"labels\":{\"app\":\"web\"}},"
        + "\"timestamp\":\"2026-12-07T12:00:00Z\",\"window\":\"10.012s\","
        + "\"containers\":[{\"name\":\"nginx\",\"usage\":{\"cpu\":\"1402838n\",\"memory\":\"12876Ki\"}}]}");
  }

  @Test
  void nodeMetricsHaveNoNamespace() {
    NodeMetrics node = new NodeMetrics("node1", Map.of(), NOW, Duration.ofSeconds(10),
        new Usage(250_000_000, 2L << 30));
    assertThat(MetricsJson.node(node, NOW).toString()).isEqualTo("{\"kind\":\"NodeMetrics\","
        + "\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{\"name\":\"node1\","
        + "\"creationTimestamp\":\"2026-12-07T12:00:05Z\"},\"timestamp\":\"2026-12-07T12:00:05Z\","
        + "\"window\":\"10s\",\"usage\":{\"cpu\":\"250m\",\"memory\":\"2Gi\"}}");
  }

  @Test
  void quantitiesAndDurationsAsGoPrintsThem() {
    assertThat(MetricsJson.cpu(0)).isEqualTo("0");
    assertThat(MetricsJson.cpu(1_000_000_000)).isEqualTo("1");
    assertThat(MetricsJson.cpu(1_500)).isEqualTo("1500n");
    // as Go, a binary quantity below 1024 is written in decimal SI
    assertThat(MetricsJson.memory(1000)).isEqualTo("1k");
    assertThat(MetricsJson.memory(13_185_024)).isEqualTo("12876Ki");
    assertThat(MetricsJson.memory(5L << 20)).isEqualTo("5Mi");
    assertThat(MetricsJson.goDuration(Duration.ZERO)).isEqualTo("0s");
    assertThat(MetricsJson.goDuration(Duration.ofMillis(60_250))).isEqualTo("1m0.25s");
    assertThat(MetricsJson.goDuration(Duration.ofMillis(1_500))).isEqualTo("1.5s");
    assertThat(MetricsJson.goDuration(Duration.ofMillis(15))).isEqualTo("15ms");
  }

  @Test
  void hostReadingsFromProc(@TempDir Path proc) throws Exception {
    Files.writeString(proc.resolve("stat"), "cpu  100 5 50 9000 40 3 2 1 7 0\ncpu0 1 2 3 4 5 6 7 8 9 0\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal:        8000000 kB\nMemFree:         2000000 kB\n"
        + "MemAvailable:    5000000 kB\nInactive(file):  1000000 kB\n");
    Sample sample = new HostStats(proc, Clock.fixed(NOW, ZoneOffset.UTC)).read().orElseThrow();
    // user + nice + system + irq + softirq + steal ticks of 10 ms
    assertThat(sample.cpuUsageNanos()).isEqualTo((100 + 5 + 50 + 3 + 2 + 1) * 10_000_000L);
    assertThat(sample.memoryWorkingSetBytes()).isEqualTo(5_000_000L * 1024);
    assertThat(sample.time()).isEqualTo(NOW);
    assertThat(new HostStats(proc.resolve("missing"), Clock.systemUTC()).read()).isEmpty();
  }
}
