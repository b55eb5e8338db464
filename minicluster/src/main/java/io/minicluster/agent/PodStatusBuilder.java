package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.probe.ProbeManager;
import io.minicluster.agent.probe.ProbeResults;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ImageReference;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerStateTerminated;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodStatus;
import io.minicluster.api.core.helper.QosClass;
import io.minicluster.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes a pod's status the way the kubelet reports it (phase, conditions, container statuses) from the engine's
 * containers, and merges it into the stored status keeping transition times, startTime, qosClass and foreign
 * conditions (PodScheduled).
 */
final class PodStatusBuilder {
  private static final String CONTAINER_ID_PREFIX = "docker://";
  private static final List<String> CONDITION_ORDER = List.of("PodReadyToStartContainers", "Initialized", "Ready",
      "ContainersReady", "PodScheduled");

  private final Pod pod;
  private final Instant now;
  private final String hostIp;
  private final String podIp;
  private final boolean sandboxReady;
  private final boolean initFailed;
  private final Map<String, ContainerWaiting> waiting;
  private final ProbeResults probes;
  private final Map<String, PodRecords.InPlaceRestart> inPlaceRestarts;

  /**
   * @param inPlaceRestarts the containers the agent started again in place, by engine id: their lastState is how they
   *     had exited then, which the engine forgets when it starts them
   */
  PodStatusBuilder(Pod pod, Instant now, String hostIp, String podIp, boolean sandboxReady, boolean initFailed,
      Map<String, ContainerWaiting> waiting, ProbeResults probes,
      Map<String, PodRecords.InPlaceRestart> inPlaceRestarts) {
    this.pod = requireNonNull(pod, "pod is null");
    this.now = requireNonNull(now, "now is null");
    this.hostIp = requireNonNull(hostIp, "hostIp is null");
    this.podIp = podIp == null ? "" : podIp;
    this.sandboxReady = sandboxReady;
    this.initFailed = initFailed;
    this.waiting = requireNonNull(waiting, "waiting is null");
    this.probes = requireNonNull(probes, "probes is null");
    this.inPlaceRestarts = Map.copyOf(requireNonNull(inPlaceRestarts, "inPlaceRestarts is null"));
  }

  /** The desired status fields (conditions without transition times resolved). */
  ObjectNode build(Map<String, List<ContainerStatus>> instances) {
    ObjectNode status = Json.object();
    List<Container> inits = pod.spec().initContainers();
    List<Container> containers = pod.spec().containers();
    ArrayNode initStatuses = Json.array();
    List<String> incompleteInit = new ArrayList<>();
    boolean initDone = true;
    for (Container init : inits) {
      String name = init.name();
      List<ContainerStatus> mine = instances.getOrDefault(name, List.of());
      ObjectNode containerStatus = containerStatus(init, mine, true, initDone);
      initStatuses.add(containerStatus);
      boolean done = PodSpecs.sidecar(init)
          ? containerStatus.path("started").asBoolean(false)
          : "Completed".equals(containerStatus.path("state").path("terminated").path("reason").asText())
              && containerStatus.path("state").path("terminated").path("exitCode").asInt(-1) == 0;
      if (!done) {
        incompleteInit.add(name);
        initDone = false;
      }
    }
    ArrayNode statuses = Json.array();
    List<String> unready = new ArrayList<>();
    int running = 0;
    int waitingCount = 0;
    int stopped = 0;
    int succeeded = 0;
    for (Container container : containers) {
      String name = container.name();
      ObjectNode containerStatus = containerStatus(container, instances.getOrDefault(name, List.of()), false,
          initDone);
      statuses.add(containerStatus);
      if (!containerStatus.path("ready").asBoolean()) {
        unready.add(name);
      }
      JsonNode state = containerStatus.path("state");
      if (state.has("running")) {
        running++;
      } else if (state.has("terminated")) {
        stopped++;
        if (state.path("terminated").path("exitCode").asInt() == 0) {
          succeeded++;
        }
      } else if (containerStatus.path("lastState").has("terminated")) {
        stopped++;
      } else {
        waitingCount++;
      }
    }
    for (Container init : inits) {
      if (PodSpecs.sidecar(init)) {
        for (JsonNode initStatus : initStatuses) {
          if (initStatus.path("name").asText().equals(init.name()) && !initStatus.path("ready").asBoolean()) {
            unready.add(init.name());
          }
        }
      }
    }
    String policy = PodSpecs.restartPolicy(pod);
    String phase;
    if (initFailed) {
      phase = "Failed";
    } else if (!initDone || waitingCount > 0 || containers.isEmpty()) {
      phase = "Pending";
    } else if (running > 0) {
      phase = "Running";
    } else if (stopped > 0) {
      if (policy.equals("Always")) {
        phase = "Running";
      } else if (stopped == succeeded) {
        phase = "Succeeded";
      } else if (policy.equals("Never")) {
        phase = "Failed";
      } else {
        phase = "Running";
      }
    } else {
      phase = "Pending";
    }
    status.put("phase", phase);
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("PodReadyToStartContainers", sandboxReady && !phase.equals("Succeeded")
        && !phase.equals("Failed"), null, null));
    conditions.add(inits.isEmpty() || initDone || phase.equals("Succeeded")
        ? condition("Initialized", true, phase.equals("Succeeded") && !inits.isEmpty() ? "PodCompleted" : null, null)
        : condition("Initialized", false, "ContainersNotInitialized", "containers with incomplete status: "
            + list(incompleteInit)));
    boolean completed = phase.equals("Succeeded");
    boolean ready = unready.isEmpty() && !completed && !phase.equals("Failed") && initDone;
    String reason = completed ? "PodCompleted" : ready ? null : "ContainersNotReady";
    String message = ready || completed ? null : "containers with unready status: " + list(unready);
    conditions.add(condition("Ready", ready, reason, message));
    conditions.add(condition("ContainersReady", ready, reason, message));
    status.put("hostIP", hostIp);
    status.set("hostIPs", Json.array().add(Json.object().put("ip", hostIp)));
    if (!podIp.isEmpty() && sandboxReady) {
      status.put("podIP", podIp);
      status.set("podIPs", Json.array().add(Json.object().put("ip", podIp)));
    }
    if (!inits.isEmpty()) {
      status.set("initContainerStatuses", initStatuses);
    }
    status.set("containerStatuses", statuses);
    if (pod.status().qosClass().isEmpty()) {
      status.put("qosClass", QosClass.of(pod.spec()));
    }
    return status;
  }

  private static String list(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  private static ObjectNode condition(String type, boolean value, String reason, String message) {
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", value ? "True" : "False");
    if (reason != null) {
      condition.put("reason", reason);
    }
    if (message != null) {
      condition.put("message", message);
    }
    return condition;
  }

  private ObjectNode containerStatus(Container spec, List<ContainerStatus> mine, boolean init, boolean initDone) {
    String name = spec.name();
    ObjectNode status = Json.object();
    status.put("name", name);
    ContainerStatus latest = mine.isEmpty() ? null : mine.get(0);
    ContainerStatus previous = mine.size() > 1 ? mine.get(1) : null;
    ContainerWaiting reason = waiting.get(name);
    ObjectNode state = status.putObject("state");
    ObjectNode lastState = status.putObject("lastState");
    boolean ready = false;
    boolean started = false;
    if (latest == null) {
      String waitingReason = reason != null ? reason.reason() : (init || initDone) ? "ContainerCreating"
          : "PodInitializing";
      ObjectNode waitingNode = state.putObject("waiting");
      waitingNode.put("reason", waitingReason);
      if (reason != null && reason.message() != null) {
        waitingNode.put("message", reason.message());
      }
    } else if (latest.running()) {
      state.putObject("running").put("startedAt", Meta.timestamp(latest.startedAt() == null ? now
          : latest.startedAt()));
      ready = probes.ready(latest.id(), spec);
      started = probes.started(latest.id(), spec);
      PodRecords.InPlaceRestart inPlace = inPlaceRestarts.get(latest.id());
      if (inPlace != null) {
        lastState.set("terminated", terminated(inPlace.lastExit(latest)));
      } else if (previous != null && previous.state() != ContainerState.RUNNING) {
        lastState.set("terminated", terminated(previous));
      } else {
        carryLastState(name, init, latest.restartCount(), lastState);
      }
    } else if (latest.state() == ContainerState.CREATED && latest.error().isEmpty() && latest.finishedAt() == null) {
      ObjectNode waitingNode = state.putObject("waiting");
      waitingNode.put("reason", reason != null ? reason.reason() : "ContainerCreating");
      if (reason != null && reason.message() != null) {
        waitingNode.put("message", reason.message());
      }
      carryLastState(name, init, latest.restartCount(), lastState);
    } else if (reason != null) {
      ObjectNode waitingNode = state.putObject("waiting");
      waitingNode.put("reason", reason.reason());
      if (reason.message() != null) {
        waitingNode.put("message", reason.message());
      }
      lastState.set("terminated", terminated(latest));
    } else {
      state.set("terminated", terminated(latest));
      if (previous != null) {
        lastState.set("terminated", terminated(previous));
      } else {
        carryLastState(name, init, latest.restartCount(), lastState);
      }
    }
    status.put("ready", ready);
    status.put("restartCount", latest == null ? 0 : latest.restartCount());
    String image = spec.image();
    try {
      image = ImageReference.parse(image).familiar();
    } catch (IllegalArgumentException invalid) {
      // report as written
    }
    status.put("image", image);
    status.put("imageID", latest == null ? "" : latest.imageId());
    if (latest != null) {
      status.put("containerID", CONTAINER_ID_PREFIX + latest.id());
    }
    status.put("started", started);
    return status;
  }

  /** Keeps the lastState the stored status has when the previous instance was removed (e.g. after a re-adoption). */
  private void carryLastState(String name, boolean init, int restartCount, ObjectNode lastState) {
    if (restartCount == 0) {
      return;
    }
    for (var stored : init ? pod.status().initContainerStatuses()
        : pod.status().containerStatuses()) {
      ContainerStateTerminated terminated = stored.lastState().terminated();
      if (name.equals(stored.name()) && terminated != null) {
        lastState.set("terminated", terminated(terminated));
      }
    }
  }

  /** A stored terminated state as the status has it (the fields set, in the order {@link #terminated} writes them). */
  private static ObjectNode terminated(ContainerStateTerminated stored) {
    ObjectNode terminated = Json.object();
    terminated.put("exitCode", stored.exitCode());
    if (stored.signal() != 0) {
      terminated.put("signal", stored.signal());
    }
    putIfSet(terminated, "reason", stored.reason());
    putIfSet(terminated, "message", stored.message());
    if (stored.startedAt() != null) {
      terminated.put("startedAt", Meta.timestamp(stored.startedAt()));
    }
    if (stored.finishedAt() != null) {
      terminated.put("finishedAt", Meta.timestamp(stored.finishedAt()));
    }
    putIfSet(terminated, "containerID", stored.containerID());
    return terminated;
  }

  private static void putIfSet(ObjectNode object, String field, String value) {
    if (!value.isEmpty()) {
      object.put(field, value);
    }
  }

  private static ObjectNode terminated(ContainerStatus container) {
    ObjectNode terminated = Json.object();
    int exitCode = container.state() == ContainerState.CREATED && !container.error().isEmpty() ? 128
        : container.exitCode();
    terminated.put("exitCode", exitCode);
    String reason;
    if (container.oomKilled()) {
      reason = "OOMKilled";
    } else if (!container.error().isEmpty()) {
      reason = "StartError";
    } else if (exitCode == 0) {
      reason = "Completed";
    } else {
      reason = "Error";
    }
    terminated.put("reason", reason);
    if (!container.error().isEmpty()) {
      terminated.put("message", container.error());
    }
    if (container.startedAt() != null) {
      terminated.put("startedAt", Meta.timestamp(container.startedAt()));
    } else {
      terminated.put("startedAt", Meta.timestamp(container.createdAt()));
    }
    terminated.put("finishedAt", Meta.timestamp(container.finishedAt() != null ? container.finishedAt()
        : container.createdAt()));
    terminated.put("containerID", CONTAINER_ID_PREFIX + container.id());
    return terminated;
  }

  /**
   * What a stored pod status reports about the running instance of a container: its ready and started flags when the
   * status is about this very run (the same container ID and start time, to the second the status keeps), {@link
   * ProbeManager.Reported#NONE} otherwise (a new container, or the same one started again by the engine).
   */
  static ProbeManager.Reported reported(PodStatus stored, String name, ContainerStatus running) {
    if (running.startedAt() == null) {
      return ProbeManager.Reported.NONE;
    }
    Instant startedAt = running.startedAt().truncatedTo(ChronoUnit.SECONDS);
    return stored.containerStatus(name)
        .filter(status -> status.containerID().equals(CONTAINER_ID_PREFIX + running.id()))
        .filter(status -> status.state().running() != null
            && startedAt.equals(status.state().running().startedAt()))
        .map(status -> new ProbeManager.Reported(status.ready(), Boolean.TRUE.equals(status.started())))
        .orElse(ProbeManager.Reported.NONE);
  }

  /** The stored status updated with the desired fields; conditions keep their transition times while unchanged. */
  static ObjectNode merge(ObjectNode old, ObjectNode desired, Instant now) {
    ObjectNode merged = old.deepCopy();
    desired.fields().forEachRemaining(entry -> {
      if (!entry.getKey().equals("conditions")) {
        merged.set(entry.getKey(), entry.getValue().deepCopy());
      }
    });
    if (!desired.has("podIP")) {
      merged.remove("podIP");
      merged.remove("podIPs");
    }
    if (!merged.hasNonNull("startTime")) {
      merged.put("startTime", Meta.timestamp(now));
    }
    List<ObjectNode> conditions = new ArrayList<>();
    JsonNode oldConditions = old.get("conditions");
    for (JsonNode wanted : desired.path("conditions")) {
      ObjectNode condition = (ObjectNode) wanted.deepCopy();
      JsonNode previous = Conditions.find(oldConditions, condition.path("type").asText());
      condition.putNull("lastProbeTime");
      condition.put("lastTransitionTime",
          Conditions.transitionTime(previous, condition.path("status").asText(), Meta.timestamp(now)));
      conditions.add(condition);
    }
    if (oldConditions != null) {
      for (JsonNode condition : oldConditions) {
        if (Conditions.find(desired.path("conditions"), condition.path("type").asText()) == null) {
          conditions.add((ObjectNode) condition.deepCopy());
        }
      }
    }
    conditions.sort((a, b) -> Integer.compare(order(a), order(b)));
    ArrayNode array = merged.putArray("conditions");
    conditions.forEach(array::add);
    return merged;
  }

  private static int order(JsonNode condition) {
    int index = CONDITION_ORDER.indexOf(condition.path("type").asText());
    return index < 0 ? CONDITION_ORDER.size() : index;
  }

}
