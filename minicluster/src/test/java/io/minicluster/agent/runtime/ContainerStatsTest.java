package io.minicluster.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerStatsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void cgroupV1WorkingSetIsUsageLessTheHierarchysInactiveFileCache() throws Exception {
    ContainerStats stats = ContainerStats.parse(json("{'read':'2026-12-07T12:00:00.123456789Z',"
        + "'cpu_stats':{'cpu_usage':{'total_usage':123456789}},"
        + "'memory_stats':{'usage':10485760,'stats':{'inactive_file':4096,'total_inactive_file':2097152}}}"))
        .orElseThrow();
    assertEquals(Instant.parse("2026-12-07T12:00:00.123456789Z"), stats.read());
    assertEquals(123456789L, stats.cpuUsageNanos());
    assertEquals(10485760L - 2097152L, stats.workingSetBytes());
  }

  @Test
  void cgroupV2WorkingSetIsUsageLessInactiveFile() throws Exception {
    ContainerStats stats = ContainerStats.parse(json("{'read':'2026-12-07T12:00:00Z',"
        + "'cpu_stats':{'cpu_usage':{'total_usage':5}},"
        + "'memory_stats':{'usage':8192000,'stats':{'inactive_file':192000,'anon':100}}}")).orElseThrow();
    assertEquals(8000000L, stats.workingSetBytes());
  }

  @Test
  void workingSetNeverBelowZero() {
    assertEquals(0, new ContainerStats(Instant.EPOCH, 0, 4096, 8192).workingSetBytes());
  }

  @Test
  void aContainerThatDoesNotRunHasNoReading() throws Exception {
    // what the engine answers for a stopped container: an unset read time and zero counters
    assertTrue(ContainerStats.parse(json("{'read':'0001-01-01T00:00:00Z','cpu_stats':{'cpu_usage':{'total_usage':0}},"
        + "'memory_stats':{}}")).isEmpty());
  }
}
