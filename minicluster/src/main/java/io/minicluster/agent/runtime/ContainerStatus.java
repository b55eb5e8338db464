package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The inspected state of one engine container (sandbox or application container).
 *
 * @param id engine container id
 * @param name engine container name (without leading "/")
 * @param state created, running, exited
 * @param exitCode exit code once exited (0 otherwise)
 * @param oomKilled whether the kernel OOM killer killed it
 * @param createdAt creation time
 * @param startedAt last start, null if never started
 * @param finishedAt last exit, null if never exited
 * @param error the engine's error when starting failed (e.g. executable not found), empty otherwise
 * @param restartCount minicluster's restart count label
 * @param image image reference the container was created from
 * @param imageId image id ("sha256:...")
 * @param ipAddress the container's IP on minicluster's pod network, empty if none (host network, joined containers)
 * @param pid main process id on the host while running, 0 otherwise
 * @param labels all labels
 */
public record ContainerStatus(
    String id,
    String name,
    ContainerState state,
    int exitCode,
    boolean oomKilled,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error,
    int restartCount,
    String image,
    String imageId,
    String ipAddress,
    long pid,
    Map<String, String> labels) {

  public ContainerStatus {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(state, "state is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(error, "error is null");
    requireNonNull(image, "image is null");
    requireNonNull(imageId, "imageId is null");
    requireNonNull(ipAddress, "ipAddress is null");
    labels = Map.copyOf(requireNonNull(labels, "labels is null"));
  }

  /** This status with another restart count (one the agent keeps for a container it started again in place). */
  public ContainerStatus withRestartCount(int count) {
    return new ContainerStatus(id, name, state, exitCode, oomKilled, createdAt, startedAt, finishedAt, error, count,
        image, imageId, ipAddress, pid, labels);
  }

  public Optional<Instant> started() {
    return Optional.ofNullable(startedAt);
  }

  public Optional<Instant> finished() {
    return Optional.ofNullable(finishedAt);
  }

  public boolean running() {
    return state == ContainerState.RUNNING;
  }

  /** Whether this is a sandbox (versus an application container). */
  public boolean sandbox() {
    return RuntimeLabels.TYPE_SANDBOX.equals(labels.get(RuntimeLabels.TYPE));
  }
}
