package io.minicluster.node;

/**
 * What the node agent knows about its machine and container runtime, for the Node object. Implementations must not
 * throw: an unreachable runtime is reported by {@link #runtimeReachable()}, unknown facts as "" or 0.
 */
public interface NodeFacts {

  /** Whether the container runtime answers now (the node's Ready condition). */
  boolean runtimeReachable();

  /** Facts that change rarely: identity, OS, capacity. */
  MachineFacts machine();

  /** Current resource usage, for the pressure conditions. */
  ResourceUsage usage();

  /**
   * Machine identity and capacity.
   *
   * @param runtimeVersion e.g. {@code docker://27.3.1}, "" when the runtime was never reachable
   * @param architecture Kubernetes name: amd64, arm64
   * @param fileSystemCapacityBytes size of the file system holding the data directory (ephemeral-storage)
   */
  record MachineFacts(String machineId, String systemUuid, String bootId, String kernelVersion, String osImage,
      String runtimeVersion, String architecture, int cpus, long memoryBytes, long fileSystemCapacityBytes) {}

  /**
   * Resource usage now.
   *
   * @param memoryAvailableBytes MemAvailable of /proc/meminfo
   * @param fileSystemAvailableBytes free bytes for unprivileged users on the data directory's file system
   * @param processes running processes and threads
   * @param maxProcesses kernel.pid_max
   */
  record ResourceUsage(long memoryAvailableBytes, long fileSystemAvailableBytes, long processes, long maxProcesses) {}
}
