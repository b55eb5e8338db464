package io.minicluster.agent.oom;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The OOM-kill counters of memory cgroups, for where the kernel log cannot be read: cgroup v1's
 * {@code memory.oom_control} and cgroup v2's {@code memory.events} both count, as {@code oom_kill}, the processes of
 * the cgroup that any OOM killer killed (since Linux 4.13 and 4.19).
 */
public final class MemoryCgroups {
  private static final String V1_FILE = "memory.oom_control";
  private static final String V2_FILE = "memory.events";

  private final Path proc;
  private final Path cgroupRoot;

  /**
   * @param proc where /proc is mounted
   * @param cgroupRoot where the cgroup file systems are mounted (/sys/fs/cgroup: the v1 memory hierarchy under
   *     {@code memory/}, or the v2 unified hierarchy itself)
   */
  public MemoryCgroups(Path proc, Path cgroupRoot) {
    this.proc = requireNonNull(proc, "proc is null");
    this.cgroupRoot = requireNonNull(cgroupRoot, "cgroupRoot is null");
  }

  /** This machine's. */
  public static MemoryCgroups host() {
    return new MemoryCgroups(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
  }

  /**
   * The directory of a process' memory cgroup (from {@code /proc/<pid>/cgroup}): the v1 memory controller's when it
   * is mounted, else the v2 hierarchy's. Empty when the process is gone or no counter file is there.
   */
  public Optional<Path> memoryCgroup(long pid) {
    List<String> lines;
    try {
      lines = Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
    } catch (IOException gone) {
      return Optional.empty();
    }
    String unified = null;
    for (String line : lines) {
      // hierarchy-id:controller-list:path
      String[] fields = line.split(":", 3);
      if (fields.length < 3) {
        continue;
      }
      if (List.of(fields[1].split(",")).contains("memory")) {
        Path directory = under(cgroupRoot.resolve("memory"), fields[2]);
        if (Files.isRegularFile(directory.resolve(V1_FILE))) {
          return Optional.of(directory);
        }
      } else if (fields[0].equals("0") && fields[1].isEmpty()) {
        unified = fields[2];
      }
    }
    if (unified != null) {
      Path directory = under(cgroupRoot, unified);
      if (Files.isRegularFile(directory.resolve(V2_FILE))) {
        return Optional.of(directory);
      }
    }
    return Optional.empty();
  }

  /** How many processes of the cgroup the OOM killer killed; empty when the cgroup is gone or keeps no count. */
  public OptionalLong oomKills(Path cgroup) {
    requireNonNull(cgroup, "cgroup is null");
    for (String file : List.of(V1_FILE, V2_FILE)) {
      Path counters = cgroup.resolve(file);
      List<String> lines;
      try {
        lines = Files.readAllLines(counters);
      } catch (IOException absent) {
        continue;
      }
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length == 2 && fields[0].equals("oom_kill")) {
          try {
            return OptionalLong.of(Long.parseLong(fields[1]));
          } catch (NumberFormatException malformed) {
            return OptionalLong.empty();
          }
        }
      }
    }
    return OptionalLong.empty();
  }

  private static Path under(Path root, String cgroupPath) {
    String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    Path resolved = root.resolve(relative).normalize();
    return resolved.startsWith(root) ? resolved : root;
  }
}
