package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A container's counters read from its cgroup files, for an engine that answers stats without a reading for a running
 * container (an engine in a container whose cgroup controllers are mounted apart, as on this project's CI machine:
 * {@code docker stats} shows zeros there). The engine's cgroupfs driver puts a container at {@code docker/<id>}, its
 * systemd driver at {@code system.slice/docker-<id>.scope}; cgroup v1 has a hierarchy per controller (cpuacct,
 * memory), cgroup v2 one for all ({@code cgroup.controllers} at its root).
 */
final class CgroupStats {
  private final Path root;
  private final Clock clock;

  CgroupStats(Path root, Clock clock) {
    this.root = requireNonNull(root, "root is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  static CgroupStats ofHost() {
    return new CgroupStats(Path.of("/sys/fs/cgroup"), Clock.systemUTC());
  }

  /** The container's counters; empty when no cgroup of it is found (it does not run, or another layout). */
  Optional<ContainerStats> read(String containerId) {
    try {
      if (Files.exists(root.resolve("cgroup.controllers"))) {
        Optional<Path> group = find(root, containerId);
        if (group.isEmpty()) {
          return Optional.empty();
        }
        long cpuMicros = field(group.get().resolve("cpu.stat"), "usage_usec");
        long usage = number(group.get().resolve("memory.current"));
        long inactive = field(group.get().resolve("memory.stat"), "inactive_file");
        return Optional.of(new ContainerStats(clock.instant(), cpuMicros * 1000, usage, inactive));
      }
      Optional<Path> cpu = find(root.resolve("cpuacct"), containerId)
          .or(() -> find(root.resolve("cpu,cpuacct"), containerId));
      Optional<Path> memory = find(root.resolve("memory"), containerId);
      if (cpu.isEmpty() || memory.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new ContainerStats(clock.instant(), number(cpu.get().resolve("cpuacct.usage")),
          number(memory.get().resolve("memory.usage_in_bytes")),
          field(memory.get().resolve("memory.stat"), "total_inactive_file")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> find(Path hierarchy, String containerId) {
    for (Path candidate : List.of(hierarchy.resolve("docker").resolve(containerId),
        hierarchy.resolve("system.slice").resolve("docker-" + containerId + ".scope"))) {
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static long number(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  /** The value of {@code key} in a flat keyed file ({@code key value} lines); 0 when absent. */
  private static long field(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1).trim());
      }
    }
    return 0;
  }
}
