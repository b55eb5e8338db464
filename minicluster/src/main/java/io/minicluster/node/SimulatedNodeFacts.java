package io.minicluster.node;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The facts of a simulated node (setting simulated-node): a machine of kwok's default node size (32 CPUs, 256 GiB of
 * memory), with a 1 TiB file system, a runtime that always answers and no resource pressure, whatever the host has.
 * Its identity (machine ID, system UUID, boot ID) is derived from the node name, so that it is the same on every run.
 */
public final class SimulatedNodeFacts implements NodeFacts {
  private static final long GIB = 1024L * 1024 * 1024;
  public static final int CPUS = 32;
  public static final long MEMORY_BYTES = 256 * GIB;
  public static final long FILE_SYSTEM_BYTES = 1024 * GIB;

  private final MachineFacts machine;

  /** @param runtimeVersion the containerRuntimeVersion the node reports, e.g. {@code simulated://1.0} */
  public SimulatedNodeFacts(String nodeName, String runtimeVersion) {
    requireNonNull(nodeName, "nodeName is null");
    requireNonNull(runtimeVersion, "runtimeVersion is null");
    String id = UUID.nameUUIDFromBytes(("minicluster simulated node " + nodeName).getBytes(StandardCharsets.UTF_8))
        .toString();
    this.machine = new MachineFacts(id.replace("-", ""), id, id, System.getProperty("os.version", ""),
        "minicluster simulated node", runtimeVersion, HostNodeFacts.architecture(System.getProperty("os.arch")), CPUS,
        MEMORY_BYTES, FILE_SYSTEM_BYTES);
  }

  @Override
  public boolean runtimeReachable() {
    return true;
  }

  @Override
  public MachineFacts machine() {
    return machine;
  }

  /** All memory and disk free, no process running: no pressure condition ever turns true. */
  @Override
  public ResourceUsage usage() {
    return new ResourceUsage(MEMORY_BYTES, FILE_SYSTEM_BYTES, 0, 4_194_304);
  }
}
