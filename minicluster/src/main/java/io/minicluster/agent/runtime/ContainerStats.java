package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One reading of a container's resource usage from the engine's stats ({@code GET /containers/{id}/stats}).
 *
 * @param read when the engine read the counters
 * @param cpuUsageNanos the container's cumulative CPU time in nanoseconds ({@code cpu_stats.cpu_usage.total_usage})
 * @param memoryUsageBytes the cgroup's memory usage, page cache included ({@code memory_stats.usage})
 * @param inactiveFileBytes the inactive file cache the kernel can reclaim: {@code total_inactive_file} under cgroup v1,
 *     {@code inactive_file} under cgroup v2
 */
public record ContainerStats(Instant read, long cpuUsageNanos, long memoryUsageBytes, long inactiveFileBytes) {
  public ContainerStats {
    requireNonNull(read, "read is null");
  }

  /**
   * The working set as cAdvisor computes it for the kubelet's summary (and metrics-server reports): usage less the
   * inactive file cache, never below zero.
   */
  public long workingSetBytes() {
    return Math.max(0, memoryUsageBytes - inactiveFileBytes);
  }

  /**
   * Reads the engine's stats document; empty when it has no read time (the engine leaves it unset, with zero counters,
   * for a container that does not run). cgroup v1 names the inactive cache {@code total_inactive_file} (the hierarchy's
   * total) next to {@code inactive_file}; cgroup v2 only {@code inactive_file}.
   */
  public static Optional<ContainerStats> parse(JsonNode stats) {
    requireNonNull(stats, "stats is null");
    Instant read = EngineClient.parseTime(stats.path("read").asText(null));
    if (read == null) {
      return Optional.empty();
    }
    JsonNode memory = stats.path("memory_stats");
    JsonNode memoryDetail = memory.path("stats");
    long inactiveFile = memoryDetail.has("total_inactive_file") ? memoryDetail.path("total_inactive_file").asLong()
        : memoryDetail.path("inactive_file").asLong();
    return Optional.of(new ContainerStats(read, stats.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(),
        memory.path("usage").asLong(), inactiveFile));
  }
}
