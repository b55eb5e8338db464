package io.minicluster.metrics;

/**
 * Resource usage over a window: CPU in nanocores (a billionth of a core), memory as the working set in bytes.
 */
public record Usage(long cpuNanoCores, long memoryBytes) {
  public Usage {
    if (cpuNanoCores < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException("negative usage: " + cpuNanoCores + "n, " + memoryBytes + " bytes");
    }
  }

  public Usage plus(Usage other) {
    return new Usage(cpuNanoCores + other.cpuNanoCores, memoryBytes + other.memoryBytes);
  }
}
