package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * An engine event about one of minicluster's containers. Events are hints to re-inspect: they can be lost around a
 * reconnect, so the pod worker must also resynchronize periodically.
 *
 * @param type what happened
 * @param containerId engine container id
 * @param labels the container's labels (pod uid, type, container name, ...)
 * @param time when it happened
 * @param exitCode exit code for {@link Type#DIE}, -1 otherwise
 */
public record RuntimeEvent(Type type, String containerId, Map<String, String> labels, Instant time, int exitCode) {
  /** Event kinds. */
  public enum Type {
    CREATE,
    START,
    DIE,
    OOM,
    DESTROY
  }

  public RuntimeEvent {
    requireNonNull(type, "type is null");
    requireNonNull(containerId, "containerId is null");
    labels = Map.copyOf(requireNonNull(labels, "labels is null"));
    requireNonNull(time, "time is null");
  }

  public String podUid() {
    return labels.getOrDefault(RuntimeLabels.POD_UID, "");
  }
}
