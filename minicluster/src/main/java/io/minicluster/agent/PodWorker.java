package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.probe.ProbeManager;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.runtime.SandboxInfo;
import io.minicluster.agent.volume.AtomicWriter;
import io.minicluster.agent.volume.VolumeException;
import io.minicluster.agent.volume.VolumeManager;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Lifecycle;
import io.minicluster.api.core.LifecycleHandler;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync logic of one pod (the kubelet's {@code SyncPod}/{@code SyncTerminatingPod}): converge the engine's
 * containers on the pod spec, then report what the engine says as the pod status. {@link PodActions} decides what to
 * do from the spec and the observed containers; this class observes the engine, executes those actions (with
 * {@link ContainerConfigs} translating the spec into the runtime's create options) and writes the status. Calls for
 * one pod UID must be serialised by the caller; calls for different pods may run in parallel.
 */
public final class PodWorker {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  /** The runtime handler the Docker engine provides: its default runtime, runc. */
  static final String DEFAULT_RUNTIME_HANDLER = "runc";
  static final Duration CRASH_BACK_OFF_INITIAL = Duration.ofSeconds(10);
  static final Duration CRASH_BACK_OFF_MAX = Duration.ofMinutes(5);

  private final Client client;
  private final ContainerRuntime runtime;
  private final AgentConfig config;
  private final EventRecorder recorder;
  private final Clock clock;
  private final ImageManager images;
  private final ContainerConfigs configs;
  private final VolumeManager volumes;
  private final ProbeManager probes;
  private final Prober hookRunner;
  private final Executor stopExecutor;
  private final BackOff crashBackOff;
  private final Map<String, String> podIps = new ConcurrentHashMap<>();
  /** Each pod's {@link PodRecords}, read from its directory on its first sync. */
  private final Map<String, PodRecords> records = new ConcurrentHashMap<>();

  /** Per-sync scratch state. */
  private static final class SyncState {
    final Map<String, ContainerWaiting> waiting = new HashMap<>();
    /** The reason and message of a pod the agent fails (past its active deadline), or null. */
    ContainerWaiting failure;
    Duration wakeUp;
    boolean initFailed;
    private Optional<Instant> engineStartedAt;

    void wakeIn(Duration delay) {
      if (wakeUp == null || delay.compareTo(wakeUp) < 0) {
        wakeUp = delay;
      }
    }
  }

  public PodWorker(Client client, ContainerRuntime runtime, AgentConfig config, EventRecorder recorder, Clock clock,
      ImageManager images, EnvironmentResolver environment, VolumeManager volumes, ProbeManager probes,
      Prober hookRunner, Executor stopExecutor) {
    this.client = requireNonNull(client, "client is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.config = requireNonNull(config, "config is null");
    this.recorder = requireNonNull(recorder, "recorder is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.images = requireNonNull(images, "images is null");
    this.configs = new ContainerConfigs(config, environment);
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.probes = requireNonNull(probes, "probes is null");
    this.hookRunner = requireNonNull(hookRunner, "hookRunner is null");
    this.stopExecutor = requireNonNull(stopExecutor, "stopExecutor is null");
    this.crashBackOff = new BackOff(clock, CRASH_BACK_OFF_INITIAL, CRASH_BACK_OFF_MAX);
  }

  /** The pod's records, read from its directory the first time. */
  private PodRecords records(String podUid) {
    return records.computeIfAbsent(podUid, uid -> PodRecords.load(config.podDirectory(uid)));
  }

  /** When the engine that runs now started, asked once per sync and only when an exited container makes it matter. */
  private Optional<Instant> engineStartedAt(SyncState state) {
    if (state.engineStartedAt == null) {
      state.engineStartedAt = runtime.engineStartedAt();
    }
    return state.engineStartedAt;
  }

  /** Whether an exited instance last started before the engine that runs now, so the engine's stop stopped it. */
  private boolean startedBeforeEngine(ContainerStatus instance, SyncState state) {
    return !instance.running() && instance.startedAt() != null && engineStartedAt(state)
        .map(engineStart -> instance.startedAt().isBefore(engineStart)).orElse(false);
  }

  /**
   * Stops a sandbox. One that still runs is noted first as stopped by the agent, so that it is never taken for one
   * the engine stopped; one that has already exited is not: the agent did not stop it (while the engine shuts down,
   * a pod whose sandbox the engine has just stopped is seen as changed, and noting it would keep it from coming back
   * in place once the engine is up again).
   */
  private void stopSandbox(String podUid, String sandboxId) {
    if (runtime.inspect(sandboxId).map(ContainerStatus::running).orElse(false)) {
      records(podUid).sandboxStopped(sandboxId);
    }
    runtime.stopSandbox(sandboxId);
  }

  /** The pod IP of a pod this worker runs, if known. */
  public Optional<String> podIp(String podUid) {
    return Optional.ofNullable(podIps.get(podUid));
  }

  // ------------------------------------------------------------------------------------------------ entry point

  /**
   * Synchronises one pod.
   *
   * @param podUid the pod's UID
   * @param agentPod the pod as the API has it, or null when it is gone from the API
   * @return when to sync again at the latest (back-off expiry), or null
   */
  public Duration sync(String podUid, AgentPod agentPod) {
    if (agentPod == null) {
      teardown(podUid, null, 0);
      return null;
    }
    Pod pod = agentPod.pod();
    if (pod.metadata().isDeleting()) {
      terminate(pod);
      return null;
    }
    String phase = pod.status().phase();
    List<ContainerSummary> summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      for (ContainerSummary summary : summaries) {
        if (summary.state() == ContainerState.RUNNING) {
          if (summary.sandbox()) {
            stopSandbox(podUid, summary.id());
          } else {
            runtime.stopContainer(summary.id(), PodSpecs.gracePeriod(pod));
          }
        }
      }
      probes.remove(podUid);
      return null;
    }
    SyncState state = new SyncState();
    Optional<Duration> deadline = ActiveDeadline.remaining(pod, clock.instant());
    if (deadline.isPresent() && (deadline.get().isZero() || deadline.get().isNegative())) {
      failPastDeadline(pod, podUid, summaries, state);
      return null;
    }
    deadline.ifPresent(state::wakeIn);
    Path podDirectory = config.podDirectory(podUid);
    PodRecords podRecords = records(podUid);
    try {
      Files.createDirectories(podDirectory);
    } catch (IOException e) {
      throw new ContainerRuntimeException("cannot create pod directory " + podDirectory + ": " + e.getMessage());
    }
    Map<String, VolumeManager.Prepared> prepared;
    try {
      prepared = volumes.prepare(pod, podDirectory);
    } catch (VolumeException e) {
      event(pod, null, "Warning", "FailedMount", e.eventMessage());
      writeStatus(pod, podUid, instances(podUid, summaries), null, state, "");
      return Duration.ofSeconds(5);
    }
    // projected tokens are renewed by a sync
    volumes.untilTokenRefresh(podUid).ifPresent(state::wakeIn);
    Map<String, List<ContainerStatus>> instances = instances(podUid, summaries);
    PodActions.SandboxAction sandboxAction = PodActions.sandbox(summaries, id -> !podRecords.stoppedByAgent(id)
        && runtime.inspect(id).map(sandbox -> startedBeforeEngine(sandbox, state)).orElse(false));
    String sandboxId = ensureSandbox(pod, podUid, sandboxAction, state);
    if (sandboxId == null) {
      // ensureSandbox may have killed containers: inspect them again
      writeStatus(pod, podUid, instances(podUid, summaries), null, state, "");
      return state.wakeUp == null ? Duration.ofSeconds(5) : state.wakeUp;
    }
    if (!sandboxIdEqualsExisting(summaries, sandboxId)) {
      summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
      instances = instances(podUid, summaries);
    }
    String podIp = podIps.getOrDefault(podUid, "");
    Pod podWithIps = PodSpecs.withIps(pod, podIp, config.nodeIp());

    PodActions actions = PodActions.compute(agentPod, sandboxId, instances, probes, crashBackOff,
        instance -> startedBeforeEngine(instance, state));
    state.initFailed = actions.initFailed();
    boolean changed = false;
    for (PodActions.Step step : actions.steps()) {
      changed |= execute(agentPod, podWithIps, step, sandboxId, prepared, state);
    }
    if (changed) {
      summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
      instances = instances(podUid, summaries);
    }
    String finalPhase = writeStatus(pod, podUid, instances, sandboxId, state, podIp);
    if ("Succeeded".equals(finalPhase) || "Failed".equals(finalPhase)) {
      stopSandbox(podUid, sandboxId);
      probes.remove(podUid);
    }
    removeOldInstances(summaries, sandboxId);
    podRecords.retain(summaries.stream().map(ContainerSummary::id).collect(Collectors.toSet()));
    return state.wakeUp;
  }

  /**
   * A pod past its active deadline (the kubelet's ShouldEvict): phase Failed with reason DeadlineExceeded, its
   * containers killed with its grace period, its sandbox stopped.
   */
  private void failPastDeadline(Pod pod, String podUid, List<ContainerSummary> summaries, SyncState state) {
    event(pod, null, "Normal", ActiveDeadline.REASON, ActiveDeadline.MESSAGE);
    stopContainers(podUid, pod, PodSpecs.gracePeriod(pod), summaries);
    state.failure = new ContainerWaiting(ActiveDeadline.REASON, ActiveDeadline.MESSAGE);
    writeStatus(pod, podUid, instances(podUid, runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid))), null,
        state, podIps.getOrDefault(podUid, ""));
    for (ContainerSummary summary : summaries) {
      if (summary.state() == ContainerState.RUNNING && summary.sandbox()) {
        stopSandbox(podUid, summary.id());
      }
    }
    probes.remove(podUid);
  }

  private static boolean sandboxIdEqualsExisting(List<ContainerSummary> summaries, String sandboxId) {
    return summaries.stream().anyMatch(s -> s.id().equals(sandboxId));
  }

  // ------------------------------------------------------------------------------------------------ inventory

  /**
   * Application container instances by container name, newest (highest restart count) first, inspected, each with
   * the restarts in place the pod's records add to its label's count.
   */
  private Map<String, List<ContainerStatus>> instances(String podUid, List<ContainerSummary> summaries) {
    PodRecords podRecords = records(podUid);
    Map<String, List<ContainerSummary>> byName = new LinkedHashMap<>();
    for (ContainerSummary summary : summaries) {
      if (!summary.sandbox()) {
        byName.computeIfAbsent(summary.containerName(), k -> new ArrayList<>()).add(summary);
      }
    }
    Map<String, List<ContainerStatus>> result = new HashMap<>();
    for (Map.Entry<String, List<ContainerSummary>> entry : byName.entrySet()) {
      List<ContainerSummary> sorted = new ArrayList<>(entry.getValue());
      sorted.sort(newestFirst());
      List<ContainerStatus> inspected = new ArrayList<>();
      for (ContainerSummary summary : sorted.subList(0, Math.min(2, sorted.size()))) {
        runtime.inspect(summary.id()).map(podRecords::counted).ifPresent(inspected::add);
      }
      result.put(entry.getKey(), inspected);
    }
    return result;
  }

  static Comparator<ContainerSummary> newestFirst() {
    return Comparator.comparingInt((ContainerSummary s) -> RuntimeLabels.restartCount(s.labels()))
        .thenComparing(ContainerSummary::createdAt).reversed();
  }

  /** Runs a clean-up step whose failure must not stop the sync (the next relist tries it again). */
  private static void bestEffort(String what, Runnable action) {
    try {
      action.run();
    } catch (ContainerRuntimeException e) {
      LOG.warn("{} failed: {}", what, e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------------------ sandbox

  /** Executes the sandbox action; returns the running sandbox's id, null when none could be had. */
  private String ensureSandbox(Pod pod, String podUid, PodActions.SandboxAction action, SyncState state) {
    if (action instanceof PodActions.KeepSandbox keep) {
      for (String stale : keep.staleSandboxIds()) {
        bestEffort("removing old sandbox " + stale, () -> runtime.removeContainer(stale));
      }
      if (!podIps.containsKey(podUid)) {
        String ip = pod.spec().hostNetwork() ? config.nodeIp()
            : runtime.inspect(keep.sandboxId()).map(ContainerStatus::ipAddress).orElse("");
        if (!ip.isEmpty()) {
          podIps.put(podUid, ip);
        }
      }
      return keep.sandboxId();
    }
    if (action instanceof PodActions.ResumeSandbox resume) {
      for (String stale : resume.staleSandboxIds()) {
        bestEffort("removing old sandbox " + stale, () -> runtime.removeContainer(stale));
      }
      // every container of the pod stopped with the engine and comes back with the same id: its probes start afresh
      // (an agent that ran through the engine's restart still has their results from before)
      probes.remove(podUid);
      boolean hostNetwork = pod.spec().hostNetwork();
      try {
        SandboxInfo info = runtime.startSandbox(resume.sandboxId(), hostNetwork ? "" : records(podUid).podIp());
        podIpStarted(podUid, hostNetwork || info.ipAddress().isEmpty() ? config.nodeIp() : info.ipAddress(),
            hostNetwork);
        LOG.info("pod {}: sandbox {} stopped by the engine, started again", podUid, resume.sandboxId());
        return resume.sandboxId();
      } catch (ContainerRuntimeException e) {
        // it cannot start again (Docker can leave a container "dead" after its restart): a new sandbox, as when one
        // dies
        LOG.info("pod {}: sandbox {} cannot start again ({}); it is replaced", podUid, resume.sandboxId(),
            e.getMessage());
        List<ContainerSummary> summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
        int attempt = summaries.stream().filter(ContainerSummary::sandbox).mapToInt(PodActions::sandboxAttempt)
            .max().orElse(0) + 1;
        action = new PodActions.CreateSandbox(attempt, Optional.of(resume.sandboxId()), List.of());
      }
    }
    PodActions.CreateSandbox create = (PodActions.CreateSandbox) action;
    create.changedSandboxId().ifPresent(old -> {
      event(pod, null, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
      for (String id : create.containersToKill()) {
        bestEffort("killing container " + id, () -> runtime.killContainer(id));
      }
      bestEffort("stopping sandbox " + old, () -> stopSandbox(podUid, old));
      podIps.remove(podUid);
    });
    Optional<String> unsupported = unsupportedRuntimeHandler(pod);
    if (unsupported.isPresent()) {
      // as kubelet when the runtime has no such handler: the sandbox is not created and the pod stays pending
      event(pod, null, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: rpc error: code = Unknown "
          + "desc = failed to get sandbox runtime: no runtime for \"" + unsupported.get() + "\" is configured");
      state.wakeIn(Duration.ofSeconds(5));
      return null;
    }
    try {
      SandboxInfo info = runtime.runSandbox(configs.sandbox(pod, create.attempt()));
      boolean hostNetwork = pod.spec().hostNetwork();
      podIpStarted(podUid, hostNetwork || info.ipAddress().isEmpty() ? config.nodeIp() : info.ipAddress(),
          hostNetwork);
      create.changedSandboxId().ifPresent(old ->
          bestEffort("removing old sandbox " + old, () -> runtime.removeContainer(old)));
      return info.id();
    } catch (ContainerRuntimeException e) {
      event(pod, null, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: "
          + e.getMessage());
      state.wakeIn(Duration.ofSeconds(5));
      return null;
    }
  }

  /**
   * The handler of the pod's RuntimeClass when the node cannot run it: the Docker engine runs every container with
   * its default runtime, which is the handler {@value #DEFAULT_RUNTIME_HANDLER}. A class gone since admission counts
   * as kubelet's lookup failure.
   */
  private Optional<String> unsupportedRuntimeHandler(Pod pod) {
    String className = pod.spec().runtimeClassName();
    if (className == null || className.isEmpty()) {
      return Optional.empty();
    }
    String handler = client.find(ResourceTypes.RUNTIME_CLASSES, null, className)
        .map(c -> Json.text(c, "handler")).orElse(className);
    return handler.equals(DEFAULT_RUNTIME_HANDLER) ? Optional.empty() : Optional.of(handler);
  }

  /** Notes the pod IP of a sandbox that started, in memory and (on the pod network) in the pod's records. */
  private void podIpStarted(String podUid, String ip, boolean hostNetwork) {
    podIps.put(podUid, ip);
    if (!hostNetwork) {
      records(podUid).podIp(ip);
    }
  }

  // ------------------------------------------------------------------------------------------------ containers

  /**
   * Executes one container step of the plan; events name the pod as {@code pod}, containers are created from
   * {@code podWithIps} (its status carries the pod and host IPs for the environment).
   *
   * @return whether a container was killed or created
   */
  private boolean execute(AgentPod pod, Pod podWithIps, PodActions.Step step, String sandboxId,
      Map<String, VolumeManager.Prepared> prepared, SyncState state) {
    if (step instanceof PodActions.Kill kill) {
      event(pod.pod(), kill.fieldPath(), "Normal", "Killing", kill.message());
      runtime.stopContainer(kill.running().id(), kill.gracePeriodSeconds());
      if (kill.restartAfter()) {
        ContainerStatus stopped = runtime.inspect(kill.running().id()).orElse(kill.running());
        PodActions.afterKill(pod, kill, stopped, crashBackOff)
            .ifPresent(next -> execute(pod, podWithIps, next, sandboxId, prepared, state));
      }
      return true;
    }
    if (step instanceof PodActions.BackingOff backingOff) {
      backOff(podWithIps, backingOff, state);
      return false;
    }
    if (step instanceof PodActions.Resume resume) {
      return resume(podWithIps, resume, state);
    }
    return start(podWithIps, pod.configHash(step.container()), (PodActions.Start) step, sandboxId, prepared, state);
  }

  /** A container its restart back-off holds: CrashLoopBackOff, and a sync again once the back-off expires. */
  private void backOff(Pod pod, PodActions.BackingOff step, SyncState state) {
    String name = step.name();
    state.waiting.put(name, new ContainerWaiting("CrashLoopBackOff", "back-off " + format(step.delay())
        + " restarting failed container=" + name + " pod=" + PodSpecs.describe(pod)));
    event(pod, step.fieldPath(), "Warning", "BackOff", "Back-off restarting failed container " + name
        + " in pod " + PodSpecs.describe(pod));
    state.wakeIn(step.retryIn().plusMillis(100));
  }

  /**
   * Starts a new instance of a container: image, create options, create, start, postStart hook; records waiting
   * reasons when one of them fails.
   *
   * @param configHash the container's {@link AgentPod#configHash}
   * @return whether a container was created
   */
  private boolean start(Pod pod, String configHash, PodActions.Start step, String sandboxId,
      Map<String, VolumeManager.Prepared> prepared, SyncState state) {
    Container container = step.container();
    ContainerStatus previous = step.previous();
    String name = step.name();
    String fieldPath = step.fieldPath();
    if (step.restartAfterExit()) {
      crashBackOff.next(PodActions.backOffKey(pod, name));
    }
    try {
      images.ensure(pod, container, fieldPath);
    } catch (ImageManager.ImageException e) {
      state.waiting.put(name, new ContainerWaiting(e.reason(), e.getMessage()));
      state.wakeIn(Duration.ofSeconds(e.reason().equals("ErrImagePull") ? 1 : 10));
      return false;
    }
    int restartCount = previous == null ? 0 : previous.restartCount() + 1;
    ContainerSpec spec;
    try {
      spec = configs.container(pod, container, configHash, sandboxId, restartCount, prepared);
    } catch (ConfigException e) {
      state.waiting.put(name, new ContainerWaiting("CreateContainerConfigError", e.getMessage()));
      event(pod, fieldPath, "Warning", "Failed", "Error: " + e.getMessage());
      state.wakeIn(Duration.ofSeconds(10));
      return false;
    }
    String id;
    try {
      id = runtime.createContainer(spec);
    } catch (ContainerRuntimeException e) {
      state.waiting.put(name, new ContainerWaiting("CreateContainerError", e.getMessage()));
      event(pod, fieldPath, "Warning", "Failed", "Error: " + e.getMessage());
      state.wakeIn(Duration.ofSeconds(10));
      return false;
    }
    event(pod, fieldPath, "Normal", "Created", "Created container: " + name);
    try {
      runtime.startContainer(id);
    } catch (ContainerRuntimeException e) {
      event(pod, fieldPath, "Warning", "Failed", "Error: " + e.getMessage());
      return true;
    }
    started(pod, container, id, fieldPath);
    return true;
  }

  /**
   * Starts an instance the engine stopped when it restarted again, the same container, and counts the restart in the
   * pod's records (its label cannot change).
   *
   * @return whether it was started
   */
  private boolean resume(Pod pod, PodActions.Resume step, SyncState state) {
    ContainerStatus stopped = step.stopped();
    try {
      runtime.startContainer(stopped.id());
    } catch (ContainerRuntimeException e) {
      event(pod, step.fieldPath(), "Warning", "Failed", "Error: " + e.getMessage());
      state.wakeIn(Duration.ofSeconds(1));
      return true;
    }
    records(pod.metadata().uid()).restartedInPlace(stopped);
    started(pod, step.container(), stopped.id(), step.fieldPath());
    return true;
  }

  /** The Started event of a container that started, and its postStart hook (stopping it when the hook fails). */
  private void started(Pod pod, Container container, String id, String fieldPath) {
    event(pod, fieldPath, "Normal", "Started", "Started container " + container.name());
    LifecycleHandler postStart = hook(container, Lifecycle::postStart);
    if (postStart != null) {
      Prober.Result result = hookRunner.probe(Prober.Action.of(postStart), new Prober.Target(pod, container, id,
          podIps.getOrDefault(pod.metadata().uid(), "")), Duration.ofSeconds(Math.max(1, PodSpecs.gracePeriod(pod))));
      if (!result.success()) {
        event(pod, fieldPath, "Warning", "FailedPostStartHook", "PostStartHook failed: "
            + result.message());
        runtime.stopContainer(id, PodSpecs.gracePeriod(pod));
      }
    }
  }

  /** A lifecycle hook of a container, null when it has none. */
  private static LifecycleHandler hook(Container container, Function<Lifecycle, LifecycleHandler> which) {
    return container.lifecycle() == null ? null : which.apply(container.lifecycle());
  }

  /** Records an event about the pod (or one of its containers, by field path). */
  private void event(Pod pod, String fieldPath, String type, String reason, String message) {
    recorder.record(PodSpecs.eventTarget(pod), fieldPath, type, reason, message);
  }

  /** A duration as Go prints it in the kubelet's back-off message ({@code 10s}, {@code 1m20s}, {@code 5m0s}). */
  static String format(Duration delay) {
    long seconds = delay.toSeconds();
    if (seconds >= 60 && seconds % 60 == 0) {
      return (seconds / 60) + "m0s";
    }
    if (seconds >= 60) {
      return (seconds / 60) + "m" + (seconds % 60) + "s";
    }
    return seconds + "s";
  }

  /** Keeps the two newest instances of each container name (current and previous, for logs); removes older ones. */
  private void removeOldInstances(List<ContainerSummary> summaries, String sandboxId) {
    Map<String, List<ContainerSummary>> byName = new HashMap<>();
    for (ContainerSummary summary : summaries) {
      if (!summary.sandbox()) {
        byName.computeIfAbsent(summary.containerName(), k -> new ArrayList<>()).add(summary);
      } else if (!summary.id().equals(sandboxId) && summary.state() != ContainerState.RUNNING) {
        bestEffort("removing old sandbox " + summary.id(), () -> runtime.removeContainer(summary.id()));
      }
    }
    for (List<ContainerSummary> list : byName.values()) {
      list.sort(newestFirst());
      for (ContainerSummary old : list.subList(Math.min(2, list.size()), list.size())) {
        if (old.state() != ContainerState.RUNNING) {
          bestEffort("removing old container " + old.id(), () -> runtime.removeContainer(old.id()));
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ termination

  /** Graceful deletion: preStop hooks, stop with the deletion grace period, clean up, delete the API object. */
  private void terminate(Pod pod) {
    ObjectMeta meta = pod.metadata();
    Long deletionGrace = meta.deletionGracePeriodSeconds();
    long grace = deletionGrace != null ? deletionGrace : PodSpecs.gracePeriod(pod);
    teardown(meta.uid(), pod, grace);
    try {
      client.delete(ResourceTypes.PODS, meta.namespace(), meta.name(),
          new DeleteOptions(0L, null, meta.uid(), null, false));
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
  }

  /**
   * Stops the running application containers of a pod in parallel (the kubelet's killPod): a Killing event and the
   * preStop hook for each when the pod is known, all within {@code grace} seconds.
   */
  private void stopContainers(String podUid, Pod pod, long grace, List<ContainerSummary> summaries) {
    Instant deadline = clock.instant().plusSeconds(grace);
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ContainerSummary summary : summaries) {
      if (summary.sandbox() || summary.state() != ContainerState.RUNNING) {
        continue;
      }
      stops.add(CompletableFuture.runAsync(() -> {
        String name = summary.containerName();
        if (pod != null) {
          Optional<Container> container = PodSpecs.container(pod, name);
          String fieldPath = pod.spec().containers().stream().anyMatch(c -> c.name().equals(name))
              ? "spec.containers{" + name + "}" : "spec.initContainers{" + name + "}";
          event(pod, fieldPath, "Normal", "Killing", "Stopping container " + name);
          LifecycleHandler preStop = container.map(c -> hook(c, Lifecycle::preStop)).orElse(null);
          if (preStop != null && grace > 0) {
            Prober.Result result = hookRunner.probe(Prober.Action.of(preStop), new Prober.Target(pod,
                container.get(), summary.id(), podIps.getOrDefault(podUid, "")), Duration.ofSeconds(grace));
            if (!result.success()) {
              event(pod, fieldPath, "Warning", "FailedPreStopHook", "PreStopHook failed: "
                  + result.message());
            }
          }
        }
        long left = Math.max(0, Duration.between(clock.instant(), deadline).toSeconds());
        runtime.stopContainer(summary.id(), left);
      }, stopExecutor));
    }
    for (CompletableFuture<Void> stop : stops) {
      try {
        stop.join();
      } catch (RuntimeException e) {
        LOG.warn("stopping a container of pod {} failed: {}", podUid, e.getMessage());
      }
    }
  }

  /** Stops and removes every engine container of a pod and its directory. */
  void teardown(String podUid, Pod pod, long grace) {
    List<ContainerSummary> summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
    probes.remove(podUid);
    volumes.forget(podUid);
    stopContainers(podUid, pod, grace, summaries);
    for (ContainerSummary summary : summaries) {
      if (summary.sandbox()) {
        runtime.stopSandbox(summary.id());
      }
    }
    for (ContainerSummary summary : summaries) {
      runtime.removeContainer(summary.id());
    }
    podIps.remove(podUid);
    records.remove(podUid);
    crashBackOff.forgetPrefix(podUid + "/");
    images.forget(podUid);
    try {
      AtomicWriter.deleteRecursively(config.podDirectory(podUid));
    } catch (IOException e) {
      LOG.warn("cannot remove the directory of pod {}: {}", podUid, e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------------------ status

  /**
   * Computes the status from the inspected container instances ({@link #instances}) and writes it when it changed;
   * returns the phase.
   */
  private String writeStatus(Pod pod, String podUid, Map<String, List<ContainerStatus>> instances,
      String sandboxId, SyncState state, String podIp) {
    // the probe workers first: a worker created for a run the stored status already reports starts from that report
    List<ProbeManager.Running> running = new ArrayList<>();
    addRunning(running, pod, pod.spec().initContainers(), "spec.initContainers{", instances);
    addRunning(running, pod, pod.spec().containers(), "spec.containers{", instances);
    probes.update(pod, podIp, running);
    PodStatusBuilder builder = new PodStatusBuilder(pod, clock.instant(), config.nodeIp(), podIp,
        sandboxId != null, state.initFailed, state.waiting, probes, records(podUid).restarts());
    ObjectNode desired = builder.build(instances);
    if (state.failure != null) {
      desired.put("phase", "Failed");
      desired.put("reason", state.failure.reason());
      desired.put("message", state.failure.message());
    }
    String phase = desired.path("phase").asText();
    try {
      client.modifyStatus(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(), current -> {
        if (!podUid.equals(Meta.uid(current))) {
          return null;
        }
        ObjectNode status = current.has("status") && current.get("status").isObject()
            ? (ObjectNode) current.get("status") : Json.object();
        ObjectNode merged = PodStatusBuilder.merge(status, desired, clock.instant());
        if (merged.equals(status)) {
          return null;
        }
        current.set("status", merged);
        return current;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return phase;
  }

  /** The containers of a list whose newest instance runs, for their probes. */
  private static void addRunning(List<ProbeManager.Running> running, Pod pod, List<Container> containers,
      String fieldPathPrefix, Map<String, List<ContainerStatus>> instances) {
    for (Container container : containers) {
      List<ContainerStatus> mine = instances.getOrDefault(container.name(), List.of());
      if (!mine.isEmpty() && mine.get(0).running() && mine.get(0).startedAt() != null) {
        running.add(new ProbeManager.Running(mine.get(0).id(), container, mine.get(0).startedAt(),
            fieldPathPrefix + container.name() + "}", PodStatusBuilder.reported(pod.status(), container.name(),
            mine.get(0))));
      }
    }
  }
}
