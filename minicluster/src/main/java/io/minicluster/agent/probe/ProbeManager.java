package io.minicluster.agent.probe;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.PodSpecs;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Probe;
import io.minicluster.client.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Keeps one probe worker per running container and probe kind, like the kubelet's prober manager. {@link #tick()}
 * (called about twice a second) runs the probes that are due on the executor; results pass the success/failure
 * thresholds before they count. Readiness starts failed, liveness succeeded, startup unknown, unless the stored pod
 * status already reports this run of the container ready or started (the agent restarted under a running container:
 * as the kubelet's prober keeps a running container's results through the status manager, its pods do not leave
 * their services for a probe period); liveness and readiness wait for the startup probe. A changed result calls the pod-changed callback with the pod UID.
 */
public final class ProbeManager implements ProbeResults {
  private final Prober prober;
  private final EventRecorder recorder;
  private final Clock clock;
  private final Executor executor;
  private final Consumer<String> podChanged;
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();

  /**
   * A running container to probe, with what the stored pod status reported for this same run of it ({@link
   * Reported#NONE} for a new run): the initial readiness and startup results of workers created for it.
   */
  public record Running(String containerId, Container container, Instant startedAt, String fieldPath,
      Reported reported) {
    public Running {
      requireNonNull(containerId, "containerId is null");
      requireNonNull(container, "container is null");
      requireNonNull(startedAt, "startedAt is null");
      requireNonNull(fieldPath, "fieldPath is null");
      requireNonNull(reported, "reported is null");
    }

    /** A container nothing was reported about yet. */
    public Running(String containerId, Container container, Instant startedAt, String fieldPath) {
      this(containerId, container, startedAt, fieldPath, Reported.NONE);
    }
  }

  /** The ready and started flags a pod's stored status reports for a container's current run. */
  public record Reported(boolean ready, boolean started) {
    public static final Reported NONE = new Reported(false, false);
  }

  public ProbeManager(Prober prober, EventRecorder recorder, Clock clock, Executor executor,
      Consumer<String> podChanged) {
    this.prober = requireNonNull(prober, "prober is null");
    this.recorder = requireNonNull(recorder, "recorder is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.podChanged = requireNonNull(podChanged, "podChanged is null");
  }

  /** The pod a worker probes, and the same pod as the object its events are about. */
  private record PodView(Pod pod, ObjectNode eventTarget) {}

  private static String key(String containerId, ProbeType type) {
    return containerId + "/" + type.name();
  }

  /** Makes the workers of one pod match its running containers (others of the pod are stopped). */
  public void update(Pod pod, String podIp, Iterable<Running> running) {
    String uid = pod.metadata().uid();
    ObjectNode eventTarget = PodSpecs.eventTarget(pod);
    Set<String> wanted = new HashSet<>();
    for (Running container : running) {
      for (ProbeType type : ProbeType.values()) {
        Probe probe = type.of(container.container());
        if (probe == null) {
          continue;
        }
        String key = key(container.containerId(), type);
        wanted.add(key);
        Worker worker = workers.computeIfAbsent(key, k -> new Worker(uid, type, probe, container));
        worker.pod = new PodView(pod, eventTarget);
        worker.podIp = podIp;
      }
    }
    workers.entrySet().removeIf(entry -> entry.getValue().podUid.equals(uid) && !wanted.contains(entry.getKey()));
  }

  /** Stops every worker of a pod. */
  public void remove(String podUid) {
    workers.values().removeIf(worker -> worker.podUid.equals(podUid));
  }

  @Override
  public boolean ready(String containerId, Container container) {
    if (ProbeType.READINESS.of(container) == null) {
      return started(containerId, container);
    }
    Worker worker = workers.get(key(containerId, ProbeType.READINESS));
    return worker != null && worker.result && started(containerId, container);
  }

  @Override
  public boolean started(String containerId, Container container) {
    if (ProbeType.STARTUP.of(container) == null) {
      return true;
    }
    Worker worker = workers.get(key(containerId, ProbeType.STARTUP));
    return worker != null && worker.result;
  }

  @Override
  public Optional<ProbeType> restartNeeded(String containerId) {
    for (ProbeType type : new ProbeType[] {ProbeType.LIVENESS, ProbeType.STARTUP}) {
      Worker worker = workers.get(key(containerId, type));
      if (worker != null && worker.killRequested) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Runs the probes that are due. */
  public void tick() {
    Instant now = clock.instant();
    for (Worker worker : workers.values()) {
      if (worker.due(now)) {
        worker.running = true;
        worker.next = now.plus(worker.period());
        executor.execute(() -> {
          try {
            worker.run();
          } finally {
            worker.running = false;
          }
        });
      }
    }
  }

  private final class Worker {
    final String podUid;
    final ProbeType type;
    final Probe probe;
    final Prober.Action action;
    final Running container;
    volatile PodView pod;
    volatile String podIp = "";
    volatile boolean result;
    volatile boolean killRequested;
    volatile boolean running;
    volatile Instant next;
    int successes;
    int failures;

    Worker(String podUid, ProbeType type, Probe probe, Running container) {
      this.podUid = podUid;
      this.type = type;
      this.probe = probe;
      this.action = Prober.Action.of(probe);
      this.container = container;
      this.result = switch (type) {
        case LIVENESS -> true;
        case READINESS -> container.reported().ready();
        case STARTUP -> container.reported().started();
      };
      this.next = container.startedAt().plusSeconds(Math.max(0, probe.initialDelaySeconds()));
    }

    /** periodSeconds; 0 is unset, which the API defaults to 10. */
    Duration period() {
      return Duration.ofSeconds(probe.periodSeconds() == 0 ? 10 : Math.max(1, probe.periodSeconds()));
    }

    boolean due(Instant now) {
      if (running || killRequested || now.isBefore(next)) {
        return false;
      }
      if (type == ProbeType.STARTUP) {
        return !result;
      }
      return started(container.containerId(), container.container());
    }

    /** failureThreshold; 0 is unset, which the API defaults to 3. */
    int failureThreshold() {
      return probe.failureThreshold() == 0 ? 3 : Math.max(1, probe.failureThreshold());
    }

    void run() {
      Duration timeout = Duration.ofSeconds(Math.max(1, probe.timeoutSeconds()));
      Prober.Result outcome;
      try {
        outcome = prober.probe(action, new Prober.Target(pod.pod(), container.container(), container.containerId(),
            podIp), timeout);
      } catch (RuntimeException e) {
        outcome = Prober.Result.failure(String.valueOf(e.getMessage()));
      }
      if (!workers.containsKey(key(container.containerId(), type))) {
        return;
      }
      boolean changed = false;
      if (outcome.success()) {
        failures = 0;
        successes++;
        int threshold = type == ProbeType.READINESS ? Math.max(1, probe.successThreshold()) : 1;
        if (!result && successes >= threshold) {
          result = true;
          changed = true;
        }
      } else {
        successes = 0;
        failures++;
        recorder.record(pod.eventTarget(), container.fieldPath(), "Warning", "Unhealthy", type.label() + " probe failed: "
            + outcome.message());
        if (failures >= failureThreshold()) {
          if (type == ProbeType.READINESS) {
            if (result) {
              result = false;
              changed = true;
            }
          } else {
            result = false;
            killRequested = true;
            changed = true;
          }
        }
      }
      if (changed) {
        podChanged.accept(podUid);
      }
    }
  }
}
