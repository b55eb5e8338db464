package io.minicluster.node;

import io.minicluster.node.NodeFacts.MachineFacts;
import io.minicluster.node.NodeFacts.ResourceUsage;

/**
 * The kubelet's default hard eviction thresholds, which decide the pressure conditions and are held back from
 * allocatable: memory.available &lt; 100Mi, nodefs.available &lt; 10%, and (not a kubelet default, but a clear signal)
 * pid.available &lt; 10% of pid_max.
 */
public final class Thresholds {
  public static final long MEMORY_AVAILABLE_BYTES = 100L * 1024 * 1024;
  public static final int NODEFS_AVAILABLE_PERCENT = 10;
  public static final int PID_AVAILABLE_PERCENT = 10;

  private Thresholds() {}

  public static boolean memoryPressure(ResourceUsage usage) {
    return usage.memoryAvailableBytes() > 0 && usage.memoryAvailableBytes() < MEMORY_AVAILABLE_BYTES;
  }

  public static boolean diskPressure(MachineFacts machine, ResourceUsage usage) {
    long capacity = machine.fileSystemCapacityBytes();
    return capacity > 0 && usage.fileSystemAvailableBytes() * 100 < capacity * NODEFS_AVAILABLE_PERCENT;
  }

  public static boolean pidPressure(ResourceUsage usage) {
    long max = usage.maxProcesses();
    return max > 0 && (max - usage.processes()) * 100 < max * PID_AVAILABLE_PERCENT;
  }

  /** The ephemeral storage held back from allocatable: the nodefs eviction threshold. */
  public static long reservedStorage(long capacityBytes) {
    return capacityBytes * NODEFS_AVAILABLE_PERCENT / 100;
  }
}
