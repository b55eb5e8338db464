package io.minicluster.agent.oom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One process the kernel's OOM killer killed (what cAdvisor's {@code OomInstance} holds).
 *
 * @param time when the kernel logged the kill (wall clock)
 * @param pid the killed process' id on the host, 0 when unknown (a kill seen only in a cgroup counter)
 * @param processName the killed process' command name, empty when unknown
 * @param taskCgroup the memory cgroup of the killed process ({@code task_memcg}), e.g. {@code /docker/<id>}
 * @param oomCgroup the memory cgroup whose limit was hit ({@code oom_memcg}); {@code /} for a system-wide OOM
 * @param containerId the engine id of the container the killed process belonged to, empty for a process outside any
 *     container
 */
public record OomKill(Instant time, long pid, String processName, String taskCgroup, String oomCgroup,
    String containerId) {
  /** The cgroup name of the system-wide OOM killer (no memory cgroup's limit was hit), as cAdvisor reports it. */
  public static final String ROOT = "/";
  private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");
  /** Unit-name prefixes runtimes give a container's scope under the systemd cgroup driver. */
  private static final String[] SCOPE_PREFIXES = {"docker-", "cri-containerd-", "crio-", "libpod-"};

  public OomKill {
    requireNonNull(time, "time is null");
    requireNonNull(processName, "processName is null");
    requireNonNull(taskCgroup, "taskCgroup is null");
    requireNonNull(oomCgroup, "oomCgroup is null");
    requireNonNull(containerId, "containerId is null");
  }

  /**
   * A kill the kernel reported with its cgroups; the container is the one of the killed process' own cgroup, else
   * the one of the cgroup whose limit was hit.
   */
  public static OomKill reported(Instant time, long pid, String processName, String taskCgroup, String oomCgroup) {
    String container = containerIdOf(taskCgroup).or(() -> containerIdOf(oomCgroup)).orElse("");
    return new OomKill(time, pid, processName, taskCgroup, oomCgroup, container);
  }

  /** Whether the whole machine ran out of memory (rather than a memory cgroup reaching its limit). */
  public boolean systemWide() {
    return ROOT.equals(oomCgroup);
  }

  /** The container the killed process belonged to, if any. */
  public Optional<String> container() {
    return containerId.isEmpty() ? Optional.empty() : Optional.of(containerId);
  }

  /**
   * The container id a cgroup path names, nearest the leaf: {@code /docker/<id>} (cgroupfs driver),
   * {@code /system.slice/docker-<id>.scope} (systemd driver), nested engines ({@code /docker/<outer>/docker/<id>}).
   */
  public static Optional<String> containerIdOf(String cgroupPath) {
    requireNonNull(cgroupPath, "cgroupPath is null");
    String[] segments = cgroupPath.split("/");
    for (int i = segments.length - 1; i >= 0; i--) {
      String segment = segments[i];
      if (segment.endsWith(".scope")) {
        segment = segment.substring(0, segment.length() - ".scope".length());
        for (String prefix : SCOPE_PREFIXES) {
          if (segment.startsWith(prefix)) {
            segment = segment.substring(prefix.length());
            break;
          }
        }
      }
      if (CONTAINER_ID.matcher(segment).matches()) {
        return Optional.of(segment);
      }
    }
    return Optional.empty();
  }
}
