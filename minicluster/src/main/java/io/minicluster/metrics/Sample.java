package io.minicluster.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One reading of cumulative CPU time and of the memory working set, of a container or of the node.
 *
 * @param time when the counters were read
 * @param cpuUsageNanos cumulative CPU time in nanoseconds
 * @param memoryWorkingSetBytes the working set: usage less the inactive file cache
 */
public record Sample(Instant time, long cpuUsageNanos, long memoryWorkingSetBytes) {
  public Sample {
    requireNonNull(time, "time is null");
  }

  /**
   * The usage over the window from {@code earlier} to this reading: CPU as the rate of CPU time (nanocores, as
   * metrics-server's {@code cpu} in "n"), memory as this reading's working set. Empty when the window is not positive
   * or the CPU counter went back (a reset): no rate can be told then.
   */
  public Optional<Usage> usageSince(Sample earlier) {
    long windowNanos = Duration.between(earlier.time, time).toNanos();
    long cpu = cpuUsageNanos - earlier.cpuUsageNanos;
    if (windowNanos <= 0 || cpu < 0) {
      return Optional.empty();
    }
    // nanoseconds of CPU per second of window, i.e. nanocores; in double: cpu * 1e9 overflows a long past 9 s of CPU
    long nanocores = Math.round(cpu * 1e9 / windowNanos);
    return Optional.of(new Usage(nanocores, memoryWorkingSetBytes));
  }
}
