package io.minicluster.node;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.EngineInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node facts of this Linux host: identity from /etc/machine-id, /sys/class/dmi/id/product_uuid,
 * /proc/sys/kernel/random/boot_id and /etc/os-release; CPU, memory, kernel and runtime version from the container
 * engine (last answer cached, /proc as fallback); usage from /proc/meminfo, /proc/loadavg, kernel.pid_max and the
 * data directory's file system.
 */
public final class HostNodeFacts implements NodeFacts {
  private static final Logger LOG = LoggerFactory.getLogger(HostNodeFacts.class);

  private final ContainerRuntime runtime;
  private final Path dataDir;
  private final Path root;
  private volatile EngineInfo engine;

  public HostNodeFacts(ContainerRuntime runtime, Path dataDir) {
    this(runtime, dataDir, Path.of("/"));
  }

  /** With another root for /etc, /proc and /sys (tests). */
  HostNodeFacts(ContainerRuntime runtime, Path dataDir, Path root) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.dataDir = requireNonNull(dataDir, "dataDir is null");
    this.root = requireNonNull(root, "root is null");
  }

  @Override
  public boolean runtimeReachable() {
    try {
      return runtime.ping();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public MachineFacts machine() {
    EngineInfo info = engineInfo();
    String kernel = info != null ? info.kernelVersion() : read("proc/sys/kernel/osrelease");
    String architecture = info != null ? info.kubernetesArchitecture() : architecture(System.getProperty("os.arch"));
    int cpus = info != null && info.cpus() > 0 ? info.cpus() : Runtime.getRuntime().availableProcessors();
    long memory = info != null && info.memoryBytes() > 0 ? info.memoryBytes() : meminfo("MemTotal");
    return new MachineFacts(read("etc/machine-id"), read("sys/class/dmi/id/product_uuid"),
        read("proc/sys/kernel/random/boot_id"), kernel, osImage(), info == null ? "" : info.runtimeVersion(),
        architecture, cpus, memory, fileSystem(true));
  }

  @Override
  public ResourceUsage usage() {
    long processes = 0;
    String loadavg = read("proc/loadavg");
    String[] fields = loadavg.split("\\s+");
    if (fields.length >= 4 && fields[3].contains("/")) {
      processes = parseLong(fields[3].substring(fields[3].indexOf('/') + 1));
    }
    return new ResourceUsage(meminfo("MemAvailable"), fileSystem(false), processes,
        parseLong(read("proc/sys/kernel/pid_max")));
  }

  private EngineInfo engineInfo() {
    try {
      engine = runtime.info();
    } catch (RuntimeException e) {
      LOG.debug("container engine info unavailable: {}", e.getMessage());
    }
    return engine;
  }

  static String architecture(String javaArchitecture) {
    return switch (javaArchitecture == null ? "" : javaArchitecture) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> javaArchitecture == null ? "" : javaArchitecture;
    };
  }

  private String osImage() {
    for (String line : lines("etc/os-release")) {
      if (line.startsWith("PRETTY_NAME=")) {
        String value = line.substring("PRETTY_NAME=".length()).strip();
        if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return "Linux";
  }

  /** A /proc/meminfo value in bytes (the file says kB, meaning KiB). */
  private long meminfo(String key) {
    for (String line : lines("proc/meminfo")) {
      if (line.startsWith(key + ":")) {
        String[] parts = line.substring(key.length() + 1).strip().split("\\s+");
        long value = parseLong(parts[0]);
        return parts.length > 1 && parts[1].toLowerCase(Locale.ROOT).equals("kb") ? value * 1024 : value;
      }
    }
    return 0;
  }

  private long fileSystem(boolean capacity) {
    try {
      Path existing = dataDir;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
      return capacity ? store.getTotalSpace() : store.getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private String read(String relative) {
    try {
      // read as a stream: Files.readString trusts the size /proc reports and can return a truncated value
      try (InputStream in = Files.newInputStream(root.resolve(relative))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private List<String> lines(String relative) {
    try {
      return Files.readAllLines(root.resolve(relative));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
