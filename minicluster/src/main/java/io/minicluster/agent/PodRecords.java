package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the agent keeps of a pod that the engine's labels cannot hold (labels are fixed when a container is created),
 * in {@value #FILE} of the pod's directory, so that it outlives the daemon: the sandboxes the agent stopped itself, the
 * pod IP, and the containers it started again in place after the engine stopped them, with how often and how they had
 * exited. Calls for one pod are serialised by its pod worker.
 */
final class PodRecords {
  static final String FILE = "agent.json";
  /** How many of the sandboxes the agent stopped are remembered (a pod has one live sandbox; older ones are removed). */
  private static final int STOPPED_SANDBOXES_KEPT = 4;

  /**
   * A container the agent started again in place (same engine container), {@code count} times in all, and how it had
   * exited the last time: its lastState, which the engine forgets when it starts the container again.
   */
  record InPlaceRestart(int count, int exitCode, boolean oomKilled, Instant startedAt, Instant finishedAt) {
    InPlaceRestart {
      if (count < 1) {
        throw new IllegalArgumentException("count must be positive: " + count);
      }
    }

    /** The instance as it was when it had exited (for its lastState). */
    ContainerStatus lastExit(ContainerStatus current) {
      Instant started = startedAt != null ? startedAt : current.createdAt();
      return new ContainerStatus(current.id(), current.name(), ContainerState.EXITED, exitCode, oomKilled,
          current.createdAt(), started, finishedAt != null ? finishedAt : started, "", current.restartCount(),
          current.image(), current.imageId(), "", 0, current.labels());
    }
  }

  private final Path file;
  private String podIp;
  private final List<String> stoppedSandboxes;
  private final Map<String, InPlaceRestart> restarts;

  private PodRecords(Path file, String podIp, List<String> stoppedSandboxes, Map<String, InPlaceRestart> restarts) {
    this.file = file;
    this.podIp = podIp;
    this.stoppedSandboxes = stoppedSandboxes;
    this.restarts = restarts;
  }

  /** The records in {@code podDirectory}, empty ones when it has none (or they cannot be read). */
  static PodRecords load(Path podDirectory) {
    Path file = requireNonNull(podDirectory, "podDirectory is null").resolve(FILE);
    ObjectNode stored;
    try {
      stored = Json.parseObject(Files.readAllBytes(file));
    } catch (IOException | RuntimeException absentOrUnreadable) {
      stored = Json.object();
    }
    List<String> stopped = new ArrayList<>(Json.strings(stored, "stoppedSandboxes"));
    Map<String, InPlaceRestart> restarts = new HashMap<>();
    JsonNode restartsNode = Json.get(stored, "restarts");
    if (restartsNode != null && restartsNode.isObject()) {
      restartsNode.fields().forEachRemaining(entry -> {
        JsonNode value = entry.getValue();
        int count = (int) Json.number(value, "count", 0);
        if (count > 0) {
          restarts.put(entry.getKey(), new InPlaceRestart(count, (int) Json.number(value, "exitCode", 0),
              Json.bool(value, "oomKilled"), instant(Json.textOrNull(value, "startedAt")),
              instant(Json.textOrNull(value, "finishedAt"))));
        }
      });
    }
    return new PodRecords(file, Json.text(stored, "podIP"), stopped, restarts);
  }

  private static Instant instant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  /** Whether the agent itself stopped this sandbox. */
  boolean stoppedByAgent(String sandboxId) {
    return stoppedSandboxes.contains(sandboxId);
  }

  /** Notes that the agent stops this sandbox (before it does). */
  void sandboxStopped(String sandboxId) {
    requireNonNull(sandboxId, "sandboxId is null");
    if (stoppedSandboxes.contains(sandboxId)) {
      return;
    }
    stoppedSandboxes.add(sandboxId);
    while (stoppedSandboxes.size() > STOPPED_SANDBOXES_KEPT) {
      stoppedSandboxes.remove(0);
    }
    save();
  }

  /** The pod IP the pod's sandbox had last, empty if none is known. */
  String podIp() {
    return podIp;
  }

  void podIp(String ip) {
    requireNonNull(ip, "ip is null");
    if (!ip.equals(podIp)) {
      podIp = ip;
      save();
    }
  }

  /** The containers started again in place, by engine container id. */
  Map<String, InPlaceRestart> restarts() {
    return Map.copyOf(restarts);
  }

  /**
   * The instance with the restarts the agent counted for it: its label holds the count it was created with, each
   * start in place adds one.
   */
  ContainerStatus counted(ContainerStatus instance) {
    InPlaceRestart restart = restarts.get(instance.id());
    return restart == null ? instance : instance.withRestartCount(instance.restartCount() + restart.count());
  }

  /** Notes that the agent started this exited instance again in place. */
  void restartedInPlace(ContainerStatus exited) {
    InPlaceRestart before = restarts.get(exited.id());
    restarts.put(exited.id(), new InPlaceRestart(before == null ? 1 : before.count() + 1, exited.exitCode(),
        exited.oomKilled(), exited.startedAt(), exited.finishedAt()));
    save();
  }

  /** Forgets what it noted of containers the engine no longer has. */
  void retain(Set<String> containerIds) {
    if (restarts.keySet().retainAll(containerIds)) {
      save();
    }
  }

  private void save() {
    ObjectNode stored = Json.object();
    if (!podIp.isEmpty()) {
      stored.put("podIP", podIp);
    }
    ArrayNode stopped = stored.putArray("stoppedSandboxes");
    stoppedSandboxes.forEach(stopped::add);
    ObjectNode restartsNode = stored.putObject("restarts");
    restarts.forEach((id, restart) -> {
      ObjectNode entry = restartsNode.putObject(id);
      entry.put("count", restart.count());
      entry.put("exitCode", restart.exitCode());
      entry.put("oomKilled", restart.oomKilled());
      if (restart.startedAt() != null) {
        entry.put("startedAt", restart.startedAt().toString());
      }
      if (restart.finishedAt() != null) {
        entry.put("finishedAt", restart.finishedAt().toString());
      }
    });
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(FILE + ".tmp");
      Files.write(temporary, Json.indented(stored));
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ContainerRuntimeException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
