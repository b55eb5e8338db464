package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * The engine and its host, for the node's {@code status.nodeInfo} and capacity.
 *
 * @param engineVersion engine version, reported as {@code docker://<engineVersion>}
 * @param apiVersion engine API version
 * @param cpus logical CPUs usable by containers
 * @param memoryBytes total memory of the host
 * @param kernelVersion host kernel version
 * @param operatingSystem human description of the host OS (e.g. "Debian GNU/Linux 12 (bookworm)")
 * @param osType "linux"
 * @param architecture engine architecture as reported ("x86_64", "aarch64")
 * @param hostname host name as the engine sees it
 * @param rootDirectory the engine's data directory (images, writable layers, logs)
 */
public record EngineInfo(
    String engineVersion,
    String apiVersion,
    int cpus,
    long memoryBytes,
    String kernelVersion,
    String operatingSystem,
    String osType,
    String architecture,
    String hostname,
    String rootDirectory) {

  public EngineInfo {
    requireNonNull(engineVersion, "engineVersion is null");
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kernelVersion, "kernelVersion is null");
    requireNonNull(operatingSystem, "operatingSystem is null");
    requireNonNull(osType, "osType is null");
    requireNonNull(architecture, "architecture is null");
    requireNonNull(hostname, "hostname is null");
    requireNonNull(rootDirectory, "rootDirectory is null");
  }

  /** The Kubernetes architecture name ({@code amd64}, {@code arm64}) of {@link #architecture()}. */
  public String kubernetesArchitecture() {
    switch (architecture) {
      case "x86_64":
      case "amd64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      default:
        return architecture;
    }
  }

  /** {@code docker://<engineVersion>}, the node's {@code containerRuntimeVersion}. */
  public String runtimeVersion() {
    return "docker://" + engineVersion;
  }
}
