package io.minicluster.metrics;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The node's readings from the host's {@code /proc}: CPU time from the first line of {@code /proc/stat}, memory from
 * {@code /proc/meminfo}.
 *
 * <p>The kubelet reports the root cgroup's counters; {@code /proc} holds the same figures without a cgroup mount:
 * CPU time is the non-idle time of all CPUs (user, nice, system, irq, softirq, steal; idle and iowait left out; guest
 * time is within user already), memory the root cgroup's usage (what is not free) less the inactive file cache:
 * {@code MemTotal - MemFree - Inactive(file)}.
 */
public final class HostStats {
  /** The kernel's USER_HZ, the unit of /proc/stat: 100 on every Linux architecture the daemon runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final Path procStat;
  private final Path procMeminfo;
  private final Clock clock;

  public HostStats(Path proc, Clock clock) {
    requireNonNull(proc, "proc is null");
    this.procStat = proc.resolve("stat");
    this.procMeminfo = proc.resolve("meminfo");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The host's /proc. */
  public static HostStats ofHost(Clock clock) {
    return new HostStats(Path.of("/proc"), clock);
  }

  /** One reading; empty if /proc cannot be read (not Linux). */
  public Optional<Sample> read() {
    try {
      List<String> stat = Files.readAllLines(procStat);
      List<String> meminfo = Files.readAllLines(procMeminfo);
      return Optional.of(new Sample(clock.instant(), cpuNanos(stat), workingSetBytes(meminfo)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static long cpuNanos(List<String> stat) {
    for (String line : stat) {
      if (line.startsWith("cpu ")) {
        String[] fields = line.trim().split("\\s+");
        long ticks = 0;
        // user nice system idle iowait irq softirq steal [guest guest_nice]
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
          if (field < fields.length) {
            ticks += Long.parseLong(fields[field]);
          }
        }
        return ticks * NANOS_PER_TICK;
      }
    }
    throw new IllegalArgumentException("no cpu line in /proc/stat");
  }

  static long workingSetBytes(List<String> meminfo) {
    long total = kilobytes(meminfo, "MemTotal:");
    long free = kilobytes(meminfo, "MemFree:");
    long inactiveFile = kilobytes(meminfo, "Inactive(file):");
    return Math.max(0, total - free - inactiveFile) * 1024;
  }

  private static long kilobytes(List<String> meminfo, String key) {
    for (String line : meminfo) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalArgumentException("no " + key + " in /proc/meminfo");
  }
}
