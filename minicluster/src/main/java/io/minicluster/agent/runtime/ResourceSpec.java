package io.minicluster.agent.runtime;

/**
 * Compute resources of one container, already resolved from the Kubernetes quantities. 0 means "not set".
 *
 * @param cpuRequestMillis {@code resources.requests.cpu} in millicores (relative weight: CPU shares)
 * @param cpuLimitMillis {@code resources.limits.cpu} in millicores (hard cap: CFS quota)
 * @param memoryLimitBytes {@code resources.limits.memory} (hard cap; the container is OOM killed above it)
 * @param memoryRequestBytes {@code resources.requests.memory} (soft reservation)
 */
public record ResourceSpec(long cpuRequestMillis, long cpuLimitMillis, long memoryLimitBytes, long memoryRequestBytes) {
  /** No requests, no limits (BestEffort). */
  public static final ResourceSpec NONE = new ResourceSpec(0, 0, 0, 0);

  /** CFS period used with {@link #cpuQuota()}, 100 ms like the kubelet. */
  public static final long CPU_PERIOD_MICROS = 100_000;

  private static final long MIN_SHARES = 2;
  private static final long MAX_SHARES = 262_144;
  private static final long SHARES_PER_CPU = 1024;
  private static final long MIN_QUOTA_MICROS = 1000;

  public ResourceSpec {
    if (cpuRequestMillis < 0 || cpuLimitMillis < 0 || memoryLimitBytes < 0 || memoryRequestBytes < 0) {
      throw new IllegalArgumentException("resource amounts must not be negative");
    }
  }

  /**
   * CPU shares from the request: {@code millis * 1024 / 1000}, at least 2 (also when no request is set, like the kubelet's
   * {@code MilliCPUToShares}), at most 262144.
   */
  public long cpuShares() {
    if (cpuRequestMillis == 0) {
      return MIN_SHARES;
    }
    long shares = cpuRequestMillis * SHARES_PER_CPU / 1000;
    return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
  }

  /** CFS quota in microseconds per {@link #CPU_PERIOD_MICROS}, at least 1000; 0 when there is no CPU limit. */
  public long cpuQuota() {
    if (cpuLimitMillis == 0) {
      return 0;
    }
    return Math.max(MIN_QUOTA_MICROS, cpuLimitMillis * CPU_PERIOD_MICROS / 1000);
  }
}
