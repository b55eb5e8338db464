package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.probe.ProbeResults;
import io.minicluster.agent.probe.ProbeType;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one sync does to a pod's containers, computed from the pod spec and the engine's observed containers without
 * any effect (the kubelet's {@code computePodActions}); {@link PodWorker} executes it in order.
 *
 * <p>The plan has two stages because the second reads the engine after the first acted: {@link #sandbox} decides
 * whether the pod's sandbox is kept, started again or (re-)created, then {@link #compute} decides, for the sandbox that
 * runs, which containers are killed, started or held back by their restart back-off: at most one init container (the
 * next one, in order), and the application containers once every init container completed.
 *
 * <p>A restart of the engine (or of the whole system) stops every container of a pod, which the kubelet meets as a
 * changed sandbox after a node reboot: new sandbox, new containers. This agent brings such a pod back as it was
 * instead: the same sandbox and the same containers, started again, each container's restart count one more (kept
 * by the agent, {@link PodRecords}, as labels cannot change). It tells the engine's stop from a sandbox that died or
 * that someone stopped by three facts together: the sandbox last started before the engine that runs now (so the
 * engine restarted since), the agent did not stop it itself (it notes each sandbox it stops), and no container of the
 * pod runs (the engine stops them all). A sandbox that stopped otherwise is replaced, as the kubelet does.
 *
 * @param steps what to do, in order
 * @param initFailed whether an init container failed for good (restart policy Never): the pod fails
 */
record PodActions(List<Step> steps, boolean initFailed) {
  PodActions {
    steps = List.copyOf(steps);
  }

  // ------------------------------------------------------------------------------------------------ sandbox

  /** What becomes of the pod's sandbox. */
  sealed interface SandboxAction permits KeepSandbox, ResumeSandbox, CreateSandbox {}

  /** The newest sandbox runs: keep it and remove the older ones. */
  record KeepSandbox(String sandboxId, List<String> staleSandboxIds) implements SandboxAction {
    KeepSandbox {
      requireNonNull(sandboxId, "sandboxId is null");
      staleSandboxIds = List.copyOf(staleSandboxIds);
    }
  }

  /**
   * The newest sandbox was stopped by a restart of the engine, with every container of the pod: start it again (the
   * same container, asking for the same pod IP) and remove the older ones.
   */
  record ResumeSandbox(String sandboxId, List<String> staleSandboxIds) implements SandboxAction {
    ResumeSandbox {
      requireNonNull(sandboxId, "sandboxId is null");
      staleSandboxIds = List.copyOf(staleSandboxIds);
    }
  }

  /**
   * No sandbox runs: create attempt {@code attempt}. When an earlier sandbox stopped ({@code changedSandboxId}, the
   * kubelet's SandboxChanged), first kill the containers still running in the pod and stop it, and remove it after.
   */
  record CreateSandbox(int attempt, Optional<String> changedSandboxId, List<String> containersToKill)
      implements SandboxAction {
    CreateSandbox {
      requireNonNull(changedSandboxId, "changedSandboxId is null");
      containersToKill = List.copyOf(containersToKill);
    }
  }

  /**
   * The sandbox action for a pod's containers as the engine lists them (sandboxes and application containers).
   *
   * @param stoppedByEngine whether a sandbox that does not run was stopped by a restart of the engine and not by the
   *     agent (see the class comment)
   */
  static SandboxAction sandbox(List<ContainerSummary> summaries, Predicate<String> stoppedByEngine) {
    ContainerSummary latest = null;
    for (ContainerSummary summary : summaries) {
      if (summary.sandbox() && (latest == null || sandboxAttempt(summary) > sandboxAttempt(latest))) {
        latest = summary;
      }
    }
    if (latest == null) {
      return new CreateSandbox(0, Optional.empty(), List.of());
    }
    String newest = latest.id();
    List<String> older = summaries.stream()
        .filter(summary -> summary.sandbox() && !summary.id().equals(newest))
        .map(ContainerSummary::id)
        .toList();
    if (latest.state() == ContainerState.RUNNING) {
      return new KeepSandbox(newest, older);
    }
    boolean containerRuns = summaries.stream()
        .anyMatch(summary -> !summary.sandbox() && summary.state() == ContainerState.RUNNING);
    if (!containerRuns && stoppedByEngine.test(newest)) {
      return new ResumeSandbox(newest, older);
    }
    // a sandbox the engine cannot stop or remove (left "dead" by an engine restart, say) must not keep the pod from a
    // new one: its attempt number is passed over
    return new CreateSandbox(sandboxAttempt(latest) + 1, Optional.of(latest.id()), summaries.stream()
        .filter(summary -> !summary.sandbox() && summary.state() == ContainerState.RUNNING)
        .map(ContainerSummary::id)
        .toList());
  }

  static int sandboxAttempt(ContainerSummary summary) {
    try {
      return Integer.parseInt(summary.labels().getOrDefault(RuntimeLabels.SANDBOX_ATTEMPT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------ containers

  /** One step of the plan for a container of the pod spec. */
  sealed interface Step permits Start, Resume, Kill, BackingOff {
    Container container();

    /** The container's field path in events ({@code spec.containers{name}} or {@code spec.initContainers{name}}). */
    String fieldPath();

    default String name() {
      return container().name();
    }
  }

  /**
   * Start a new instance of the container.
   *
   * @param previous the instance it follows (its restart count plus one is the new one's), null for the first
   */
  record Start(Container container, String fieldPath, boolean init, ContainerStatus previous) implements Step {
    Start {
      requireNonNull(container, "container is null");
      requireNonNull(fieldPath, "fieldPath is null");
    }

    /** Whether the start is a restart after an exit, which the crash back-off counts. */
    boolean restartAfterExit() {
      return previous != null && !previous.running();
    }
  }

  /**
   * Start the instance the engine stopped when it restarted again, the same container (no back-off: it did not fail).
   *
   * @param stopped the exited instance, in the sandbox that runs
   */
  record Resume(Container container, String fieldPath, boolean init, ContainerStatus stopped) implements Step {
    Resume {
      requireNonNull(container, "container is null");
      requireNonNull(fieldPath, "fieldPath is null");
      requireNonNull(stopped, "stopped is null");
    }
  }

  /**
   * Stop a running instance whose liveness or startup probe failed or whose spec changed.
   *
   * @param message why, as the Killing event says it
   * @param restartAfter whether, once it stopped, the container starts again if the restart policy calls for it given
   *     how it exited ({@link #afterKill}); false when the plan's next step starts it anyway (a sidecar)
   */
  record Kill(Container container, String fieldPath, ContainerStatus running, String message,
      long gracePeriodSeconds, boolean restartAfter) implements Step {
    Kill {
      requireNonNull(container, "container is null");
      requireNonNull(fieldPath, "fieldPath is null");
      requireNonNull(running, "running is null");
      requireNonNull(message, "message is null");
    }
  }

  /**
   * Do not restart the container yet: its restart back-off ({@code delay}) holds it for {@code retryIn} more
   * (CrashLoopBackOff).
   */
  record BackingOff(Container container, String fieldPath, Duration delay, Duration retryIn) implements Step {
    BackingOff {
      requireNonNull(container, "container is null");
      requireNonNull(fieldPath, "fieldPath is null");
      requireNonNull(delay, "delay is null");
      requireNonNull(retryIn, "retryIn is null");
    }
  }

  /**
   * The container steps of one sync.
   *
   * @param sandboxId the sandbox that runs; instances of another sandbox count as gone
   * @param instances each container's inspected instances by name, newest first
   * @param probes the probes' results on running instances
   * @param crashBackOff the containers' restart back-off (read only here), keyed by {@link #backOffKey}
   * @param stoppedByEngine whether an exited instance was stopped by a restart of the engine (it last started before
   *     the engine that runs now): one of the sandbox that runs, of the container's current spec, is started again in
   *     place ({@link Resume}) where the restart policy restarts it
   */
  static PodActions compute(AgentPod pod, String sandboxId, Map<String, List<ContainerStatus>> instances,
      ProbeResults probes, BackOff crashBackOff, Predicate<ContainerStatus> stoppedByEngine) {
    requireNonNull(sandboxId, "sandboxId is null");
    Restarts restarts = new Restarts(pod, sandboxId, crashBackOff, stoppedByEngine);
    List<Step> steps = new ArrayList<>();
    String policy = PodSpecs.restartPolicy(pod.pod());
    boolean initialized = true;
    boolean initFailed = false;
    for (Container init : pod.pod().spec().initContainers()) {
      String fieldPath = fieldPath(init, true);
      ContainerStatus latest = latest(instances, init);
      boolean inSandbox = inSandbox(latest, sandboxId);
      if (PodSpecs.sidecar(init)) {
        if (inSandbox && latest.running()) {
          Optional<Kill> kill = killIfUnhealthy(pod, init, fieldPath, latest, probes, false);
          if (kill.isEmpty()) {
            if (!probes.started(latest.id(), init)) {
              initialized = false;
              break;
            }
            continue;
          }
          steps.add(kill.get());
        }
        steps.add(restarts.start(init, fieldPath, true, latest));
        initialized = false;
        break;
      }
      if (inSandbox && succeeded(latest)) {
        continue;
      }
      initialized = false;
      if (inSandbox && latest.running()) {
        break;
      }
      if (inSandbox && exited(latest) && policy.equals("Never")) {
        initFailed = true;
        break;
      }
      steps.add(restarts.start(init, fieldPath, true, latest));
      break;
    }
    if (initialized) {
      for (Container container : pod.pod().spec().containers()) {
        String fieldPath = fieldPath(container, false);
        ContainerStatus latest = latest(instances, container);
        if (latest != null && latest.running() && inSandbox(latest, sandboxId)) {
          killIfUnhealthy(pod, container, fieldPath, latest, probes, true).ifPresent(steps::add);
        } else {
          restarts.restart(container, fieldPath, latest).ifPresent(steps::add);
        }
      }
    }
    return new PodActions(steps, initFailed);
  }

  /** The step after a {@link Kill} with {@code restartAfter}, once the killed instance stopped (as then inspected). */
  static Optional<Step> afterKill(AgentPod pod, Kill kill, ContainerStatus stopped, BackOff crashBackOff) {
    return new Restarts(pod, "", crashBackOff, instance -> false).restart(kill.container(), kill.fieldPath(), stopped);
  }

  /** The crash back-off key of a container of a pod. */
  static String backOffKey(Pod pod, String containerName) {
    return pod.metadata().uid() + "/" + containerName;
  }

  /** How the containers of one pod start again, in the sandbox that runs. */
  private record Restarts(AgentPod pod, String sandboxId, BackOff crashBackOff,
      Predicate<ContainerStatus> stoppedByEngine) {

    /** An application container that does not run in the sandbox: start it unless it stopped for good. */
    Optional<Step> restart(Container container, String fieldPath, ContainerStatus latest) {
      if (latest != null && !latest.running() && !shouldRestart(PodSpecs.restartPolicy(pod.pod()), latest)) {
        return Optional.empty();
      }
      return Optional.of(start(container, fieldPath, false, latest));
    }

    /**
     * Starts the instance again in place when the engine stopped it, else a new instance, unless the container exited
     * and its restart back-off still holds it.
     */
    Step start(Container container, String fieldPath, boolean init, ContainerStatus previous) {
      if (previous != null && previous.state() == ContainerState.EXITED && inSandbox(previous, sandboxId)
          && pod.configHash(container).equals(previous.labels().get(RuntimeLabels.CONFIG_HASH))
          && stoppedByEngine.test(previous)) {
        return new Resume(container, fieldPath, init, previous);
      }
      Start start = new Start(container, fieldPath, init, previous);
      if (start.restartAfterExit()) {
        String key = backOffKey(pod.pod(), container.name());
        Instant finished = previous.finishedAt() != null ? previous.finishedAt() : previous.createdAt();
        if (crashBackOff.inBackOffSince(key, finished)) {
          return new BackingOff(container, fieldPath, crashBackOff.delay(key), crashBackOff.remaining(key, finished));
        }
      }
      return start;
    }
  }

  /** A kill of a running instance whose liveness/startup probe failed or whose spec changed, if it must go. */
  private static Optional<Kill> killIfUnhealthy(AgentPod pod, Container container, String fieldPath,
      ContainerStatus running, ProbeResults probes, boolean restartAfter) {
    String name = container.name();
    Optional<ProbeType> failed = probes.restartNeeded(running.id());
    String message;
    if (failed.isPresent()) {
      message = "Container " + name + " failed " + failed.get().label().toLowerCase(Locale.ROOT)
          + " probe, will be restarted";
    } else if (!pod.configHash(container).equals(running.labels().get(RuntimeLabels.CONFIG_HASH))) {
      message = "Container " + name + " definition changed, will be restarted";
    } else {
      return Optional.empty();
    }
    long grace = PodSpecs.gracePeriod(pod.pod());
    Probe probe = failed.map(type -> type.of(container)).orElse(null);
    if (probe != null && probe.terminationGracePeriodSeconds() != null) {
      grace = probe.terminationGracePeriodSeconds();
    }
    return Optional.of(new Kill(container, fieldPath, running, message, grace, restartAfter));
  }

  private static String fieldPath(Container container, boolean init) {
    return (init ? "spec.initContainers{" : "spec.containers{") + container.name() + "}";
  }

  private static ContainerStatus latest(Map<String, List<ContainerStatus>> instances, Container container) {
    List<ContainerStatus> mine = instances.getOrDefault(container.name(), List.of());
    return mine.isEmpty() ? null : mine.get(0);
  }

  private static boolean inSandbox(ContainerStatus instance, String sandboxId) {
    return instance != null && sandboxId.equals(instance.labels().get(RuntimeLabels.SANDBOX_ID));
  }

  private static boolean succeeded(ContainerStatus status) {
    return status.state() == ContainerState.EXITED && status.exitCode() == 0 && status.error().isEmpty();
  }

  /** Whether an instance ended: it exited, or its start failed. */
  static boolean exited(ContainerStatus status) {
    return status.state() == ContainerState.EXITED || (status.state() == ContainerState.CREATED
        && (!status.error().isEmpty() || status.finishedAt() != null));
  }

  /** Whether a stopped instance is followed by a new one under the pod's restart policy. */
  static boolean shouldRestart(String policy, ContainerStatus latest) {
    if (!exited(latest) && latest.state() != ContainerState.CREATED) {
      return false;
    }
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode(latest) != 0;
      default -> true;
    };
  }

  private static int exitCode(ContainerStatus status) {
    if (status.state() == ContainerState.CREATED && !status.error().isEmpty()) {
      return 128;
    }
    return status.exitCode();
  }
}
