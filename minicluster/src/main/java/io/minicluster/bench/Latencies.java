package io.minicluster.bench;

import java.util.Arrays;

/** Collected latencies in nanoseconds, with percentiles. Thread-safe for concurrent recording. */
final class Latencies {
  private long[] values = new long[1024];
  private int count;

  synchronized void record(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = nanos;
  }

  synchronized int count() {
    return count;
  }

  /** The p-th percentile (0..100) in milliseconds. */
  synchronized double percentileMillis(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
  }
}
