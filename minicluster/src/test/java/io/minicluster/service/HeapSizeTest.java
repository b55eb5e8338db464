package io.minicluster.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapSizeTest {
  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;

  @TempDir
  Path temp;

  @Test
  void aQuarterOfTheMachineWithin128MibAnd1Gib() {
    assertThat(HeapSize.forMachine(256 * MIB)).isEqualTo(128 * MIB);
    assertThat(HeapSize.forMachine(512 * MIB)).isEqualTo(128 * MIB);
    assertThat(HeapSize.forMachine(1 * GIB)).isEqualTo(256 * MIB);
    assertThat(HeapSize.forMachine(2 * GIB)).isEqualTo(512 * MIB);
    assertThat(HeapSize.forMachine(4 * GIB)).isEqualTo(1 * GIB);
    assertThat(HeapSize.forMachine(64 * GIB)).isEqualTo(1 * GIB);
    // whole MiB
    assertThat(HeapSize.forMachine(3_000_000_000L)).isEqualTo(715 * MIB);
  }

  private Path meminfo(String memTotal) throws IOException {
    Path file = temp.resolve("meminfo");
    Files.writeString(file, "MemTotal:       " + memTotal + " kB\nMemFree:         123 kB\n");
    return file;
  }

  @Test
  void theOptionComesFromMemTotalOrTheLowerCgroupLimit() throws IOException {
    Path meminfo = meminfo(Long.toString(2 * GIB / 1024));
    Path noCgroup = temp.resolve("none");
    assertThat(HeapSize.option(Map.of(), meminfo, noCgroup)).isEqualTo("-Xmx512m");

    Path v2 = Files.createDirectories(temp.resolve("v2"));
    Files.writeString(v2.resolve("memory.max"), "max\n");
    assertThat(HeapSize.option(Map.of(), meminfo, v2)).isEqualTo("-Xmx512m");
    Files.writeString(v2.resolve("memory.max"), Long.toString(1 * GIB) + "\n");
    assertThat(HeapSize.option(Map.of(), meminfo, v2)).isEqualTo("-Xmx256m");

    Path v1 = Files.createDirectories(temp.resolve("v1/memory"));
    Files.writeString(v1.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
    assertThat(HeapSize.option(Map.of(), meminfo, temp.resolve("v1"))).isEqualTo("-Xmx512m");
    Files.writeString(v1.resolve("memory.limit_in_bytes"), Long.toString(600 * MIB));
    assertThat(HeapSize.option(Map.of(), meminfo, temp.resolve("v1"))).isEqualTo("-Xmx150m");
  }

  @Test
  void unknownMemoryGivesTheSmallestHeap() {
    assertThat(HeapSize.option(Map.of(), temp.resolve("missing"), temp.resolve("missing"))).isEqualTo("-Xmx128m");
  }

  @Test
  void theEnvironmentOverridesTheChoice() throws IOException {
    Path meminfo = meminfo(Long.toString(8 * GIB / 1024));
    assertThat(HeapSize.option(Map.of("MINICLUSTER_HEAP", "300m"), meminfo, temp)).isEqualTo("-Xmx300m");
    assertThat(HeapSize.option(Map.of("MINICLUSTER_HEAP", " 2g "), meminfo, temp)).isEqualTo("-Xmx2g");
    assertThatThrownBy(() -> HeapSize.option(Map.of("MINICLUSTER_HEAP", "-Xmx2g"), meminfo, temp))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINICLUSTER_HEAP");
  }

  @Test
  void theDaemonOptionsCarryTheChosenHeapUnlessReplaced() {
    assertThat(Launcher.daemonJvmOptions(Map.of("MINICLUSTER_HEAP", "384m")))
        .startsWith("-Xms16m", "-Xmx384m").contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    assertThat(Launcher.daemonJvmOptions(Map.of())).filteredOn(option -> option.startsWith("-Xmx")).hasSize(1);
    assertThat(Launcher.DAEMON_JVM_OPTIONS).noneMatch(option -> option.startsWith("-Xmx"));
    assertThat(Launcher.daemonJvmOptions(Map.of("MINICLUSTER_JAVA_OPTIONS", "-Xmx1g -XX:+UseG1GC")))
        .containsExactly("-Xmx1g", "-XX:+UseG1GC");
  }
}
