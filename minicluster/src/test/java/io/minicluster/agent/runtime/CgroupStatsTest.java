package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void cgroupV1ReadsCpuacctAndMemoryHierarchiesOfTheCgroupfsDriver(@TempDir Path root) throws Exception {
    Path cpu = Files.createDirectories(root.resolve("cpuacct/docker/abc"));
    Path memory = Files.createDirectories(root.resolve("memory/docker/abc"));
    Files.writeString(cpu.resolve("cpuacct.usage"), "11845152406\n");
    Files.writeString(memory.resolve("memory.usage_in_bytes"), "1048576\n");
    Files.writeString(memory.resolve("memory.stat"), "cache 4096\ninactive_file 8192\ntotal_inactive_file 262144\n");

    ContainerStats stats = new CgroupStats(root, CLOCK).read("abc").orElseThrow();
    assertThat(stats).isEqualTo(new ContainerStats(NOW, 11845152406L, 1048576, 262144));
    assertThat(new CgroupStats(root, CLOCK).read("other")).isEmpty();
  }

  @Test
  void cgroupV2ReadsTheUnifiedHierarchyOfTheSystemdDriver(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
    Path group = Files.createDirectories(root.resolve("system.slice/docker-abc.scope"));
    Files.writeString(group.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\n");
    Files.writeString(group.resolve("memory.current"), "2097152\n");
    Files.writeString(group.resolve("memory.stat"), "anon 100\ninactive_file 1048576\n");

    assertThat(new CgroupStats(root, CLOCK).read("abc"))
        .contains(new ContainerStats(NOW, 1_500_000L, 2097152, 1048576));
  }
}
