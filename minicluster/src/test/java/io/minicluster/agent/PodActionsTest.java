package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.PodActions.BackingOff;
import io.minicluster.agent.PodActions.CreateSandbox;
import io.minicluster.agent.PodActions.KeepSandbox;
import io.minicluster.agent.PodActions.Kill;
import io.minicluster.agent.PodActions.Resume;
import io.minicluster.agent.PodActions.ResumeSandbox;
import io.minicluster.agent.PodActions.Start;
import io.minicluster.agent.PodActions.Step;
import io.minicluster.agent.probe.ProbeResults;
import io.minicluster.agent.probe.ProbeType;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.api.core.Container;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure part of a pod's sync: which sandbox and container actions follow from the spec and the observed state. */
class PodActionsTest {
  private static final String SANDBOX = "sandbox-1";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final BackOff crashBackOff =
      new BackOff(clock, PodWorker.CRASH_BACK_OFF_INITIAL, PodWorker.CRASH_BACK_OFF_MAX);
  private final FakeProbes probes = new FakeProbes();
  private final Map<String, List<ContainerStatus>> instances = new HashMap<>();
  /** The containers (by id) a restart of the engine stopped. */
  private final Set<String> stoppedByEngine = new HashSet<>();
  private int ids;

  // ------------------------------------------------------------------------------------------------ sandbox

  @Test
  void aPodWithoutSandboxGetsItsFirst() {
    assertThat(PodActions.sandbox(List.of(), id -> true)).isEqualTo(new CreateSandbox(0, Optional.empty(), List.of()));
  }

  @Test
  void theNewestRunningSandboxIsKeptAndOlderOnesRemoved() {
    List<ContainerSummary> summaries = List.of(
        sandbox("old", 0, ContainerState.EXITED),
        sandbox("current", 2, ContainerState.RUNNING),
        sandbox("older", 1, ContainerState.EXITED),
        summary("app", ContainerState.RUNNING));
    assertThat(PodActions.sandbox(summaries, id -> true))
        .isEqualTo(new KeepSandbox("current", List.of("old", "older")));
  }

  @Test
  void aStoppedSandboxIsReplacedAfterKillingTheContainersStillRunning() {
    List<ContainerSummary> summaries = List.of(
        sandbox("dead", 3, ContainerState.EXITED),
        sandbox("older", 1, ContainerState.EXITED),
        summary("web", ContainerState.RUNNING),
        summary("sidecar", ContainerState.RUNNING),
        summary("done", ContainerState.EXITED));
    assertThat(PodActions.sandbox(summaries, id -> false))
        .isEqualTo(new CreateSandbox(4, Optional.of("dead"), List.of("web", "sidecar")));
  }

  @Test
  void aSandboxTheEngineStoppedWithEveryContainerStartsAgain() {
    List<ContainerSummary> summaries = List.of(
        sandbox("stopped", 1, ContainerState.EXITED),
        sandbox("older", 0, ContainerState.EXITED),
        summary("web", ContainerState.EXITED),
        summary("done", ContainerState.EXITED));
    assertThat(PodActions.sandbox(summaries, "stopped"::equals))
        .isEqualTo(new ResumeSandbox("stopped", List.of("older")));
    assertThat(PodActions.sandbox(summaries, id -> false)).as("stopped otherwise (by the agent, or it died)")
        .isEqualTo(new CreateSandbox(2, Optional.of("stopped"), List.of()));
  }

  @Test
  void aSandboxStoppedWhileItsContainersRunIsReplacedEvenAfterAnEngineRestart() {
    // the engine stops every container: one that still runs tells of a sandbox stopped alone, by someone else
    List<ContainerSummary> summaries = List.of(
        sandbox("stopped", 0, ContainerState.EXITED),
        summary("web", ContainerState.RUNNING));
    assertThat(PodActions.sandbox(summaries, id -> true))
        .isEqualTo(new CreateSandbox(1, Optional.of("stopped"), List.of("web")));
  }

  // ------------------------------------------------------------------------------------------------ containers

  @Test
  void aNewPodStartsEveryContainer() {
    AgentPod pod = pod("Always", "[]", "[{\"name\":\"web\",\"image\":\"nginx\"},{\"name\":\"log\",\"image\":\"x\"}]");
    PodActions actions = compute(pod);
    assertThat(actions.initFailed()).isFalse();
    assertThat(actions.steps()).extracting(PodActionsTest::describe).containsExactly(
        "start spec.containers{web} after none", "start spec.containers{log} after none");
  }

  @Test
  void initContainersRunOneAtATimeInOrderBeforeTheContainers() {
    AgentPod pod = pod("Always", "[{\"name\":\"first\",\"image\":\"x\"},{\"name\":\"second\",\"image\":\"x\"}]",
        "[{\"name\":\"main\",\"image\":\"x\"}]");
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.initContainers{first} after none");

    observe(pod, "first", ContainerState.RUNNING, 0);
    assertThat(compute(pod).steps()).as("the running init container is waited for").isEmpty();

    observe(pod, "first", ContainerState.EXITED, 0);
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.initContainers{second} after none");

    observe(pod, "second", ContainerState.EXITED, 0);
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.containers{main} after none");
  }

  @Test
  void aFailedInitContainerIsRetriedUnlessThePolicyIsNever() {
    String init = "[{\"name\":\"setup\",\"image\":\"x\"}]";
    String containers = "[{\"name\":\"main\",\"image\":\"x\"}]";
    for (String policy : List.of("Always", "OnFailure")) {
      AgentPod pod = pod(policy, init, containers);
      ContainerStatus failed = observe(pod, "setup", ContainerState.EXITED, 1);
      PodActions actions = compute(pod);
      assertThat(actions.initFailed()).isFalse();
      assertThat(actions.steps()).singleElement().isEqualTo(new Start(container(pod, "setup"),
          "spec.initContainers{setup}", true, failed));
    }
    AgentPod never = pod("Never", init, containers);
    observe(never, "setup", ContainerState.EXITED, 1);
    PodActions actions = compute(never);
    assertThat(actions.initFailed()).isTrue();
    assertThat(actions.steps()).isEmpty();
  }

  @Test
  void restartPoliciesDecideWhichExitedContainersStartAgain() {
    String containers = "[{\"name\":\"ok\",\"image\":\"x\"},{\"name\":\"failed\",\"image\":\"x\"}]";
    Map<String, List<String>> restarted = Map.of(
        "Always", List.of("start spec.containers{ok} after exit 0", "start spec.containers{failed} after exit 1"),
        "OnFailure", List.of("start spec.containers{failed} after exit 1"),
        "Never", List.of());
    restarted.forEach((policy, expected) -> {
      instances.clear();
      AgentPod pod = pod(policy, "[]", containers);
      observe(pod, "ok", ContainerState.EXITED, 0);
      observe(pod, "failed", ContainerState.EXITED, 1);
      assertThat(compute(pod).steps()).as(policy).extracting(PodActionsTest::describe)
          .containsExactlyElementsOf(expected);
    });
  }

  @Test
  void aStartThatFailedCountsAsAnExitWithCode128() {
    AgentPod pod = pod("OnFailure", "[]", "[{\"name\":\"app\",\"image\":\"x\"}]");
    ContainerStatus created = instance(pod, "app", ContainerState.CREATED, 0, SANDBOX, 0, clock.instant(),
        "exec: \"nope\": executable file not found");
    instances.put("app", List.of(created));
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.containers{app} after exit 0");
  }

  @Test
  void containersOfAReplacedSandboxStartInTheNewOneAsTheirPolicySays() {
    String containers = "[{\"name\":\"web\",\"image\":\"x\"}]";
    AgentPod always = pod("Always", "[]", containers);
    ContainerStatus killed = instance(always, "web", ContainerState.EXITED, 137, "old-sandbox", 0,
        clock.instant(), "");
    instances.put("web", List.of(killed));
    assertThat(compute(always).steps()).singleElement()
        .isEqualTo(new Start(container(always, "web"), "spec.containers{web}", false, killed));

    AgentPod never = pod("Never", "[]", containers);
    instances.put("web", List.of(instance(never, "web", ContainerState.EXITED, 137, "old-sandbox", 0,
        clock.instant(), "")));
    assertThat(compute(never).steps()).isEmpty();

    AgentPod init = pod("Always", "[{\"name\":\"setup\",\"image\":\"x\"}]", containers);
    ContainerStatus done = instance(init, "setup", ContainerState.EXITED, 0, "old-sandbox", 0, clock.instant(), "");
    instances.put("setup", List.of(done));
    assertThat(compute(init).steps()).as("init containers run again in a new sandbox").singleElement()
        .isEqualTo(new Start(container(init, "setup"), "spec.initContainers{setup}", true, done));
  }

  @Test
  void aRunningContainerWhoseSpecChangedIsKilledAndRestartedByPolicy() {
    AgentPod pod = pod("Always", "[]", "[{\"name\":\"web\",\"image\":\"nginx:1\"}]");
    ContainerStatus running = observe(pod, "web", ContainerState.RUNNING, 0);
    assertThat(compute(pod).steps()).as("same spec: nothing to do").isEmpty();

    ObjectNode changedTree = podTree("Always", "[]", "[{\"name\":\"web\",\"image\":\"nginx:2\"}]");
    Json.with(changedTree, "spec").put("terminationGracePeriodSeconds", 7);
    AgentPod changed = AgentPod.from(changedTree);
    assertThat(compute(changed).steps()).singleElement().isEqualTo(new Kill(container(changed, "web"),
        "spec.containers{web}", running, "Container web definition changed, will be restarted", 7, true));
  }

  @Test
  void aFailedLivenessProbeKillsWithTheProbesGracePeriod() {
    AgentPod pod = pod("Always", "[]", """
        [{"name":"web","image":"x","livenessProbe":{"tcpSocket":{"port":80},"terminationGracePeriodSeconds":3}}]""");
    ContainerStatus running = observe(pod, "web", ContainerState.RUNNING, 0);
    probes.restartNeeded.put(running.id(), ProbeType.LIVENESS);
    assertThat(compute(pod).steps()).singleElement().isEqualTo(new Kill(container(pod, "web"),
        "spec.containers{web}", running, "Container web failed liveness probe, will be restarted", 3, true));
  }

  @Test
  void aKilledContainerStartsAgainOnlyIfItsExitCallsForIt() {
    AgentPod pod = pod("OnFailure", "[]", "[{\"name\":\"web\",\"image\":\"x\"}]");
    ContainerStatus running = observe(pod, "web", ContainerState.RUNNING, 0);
    probes.restartNeeded.put(running.id(), ProbeType.LIVENESS);
    Kill kill = (Kill) compute(pod).steps().get(0);

    ContainerStatus graceful = instance(pod, "web", ContainerState.EXITED, 0, SANDBOX, 0, clock.instant(), "");
    assertThat(PodActions.afterKill(pod, kill, graceful, crashBackOff)).isEmpty();
    ContainerStatus terminated = instance(pod, "web", ContainerState.EXITED, 143, SANDBOX, 0, clock.instant(), "");
    assertThat(PodActions.afterKill(pod, kill, terminated, crashBackOff))
        .contains(new Start(container(pod, "web"), "spec.containers{web}", false, terminated));
  }

  @Test
  void anExitedContainerWaitsOutItsRestartBackOff() {
    AgentPod pod = pod("Always", "[]", "[{\"name\":\"web\",\"image\":\"x\"}]");
    ContainerStatus crashed = observe(pod, "web", ContainerState.EXITED, 1);
    assertThat(compute(pod).steps()).as("no back-off before the first restart").singleElement()
        .isInstanceOf(Start.class);

    crashBackOff.next(PodActions.backOffKey(pod.pod(), "web"));
    clock.advance(Duration.ofSeconds(4));
    assertThat(compute(pod).steps()).singleElement().isEqualTo(new BackingOff(container(pod, "web"),
        "spec.containers{web}", Duration.ofSeconds(10), Duration.ofSeconds(6)));

    clock.advance(Duration.ofSeconds(6));
    assertThat(compute(pod).steps()).singleElement()
        .isEqualTo(new Start(container(pod, "web"), "spec.containers{web}", false, crashed));
  }

  @Test
  void aSidecarMustStartBeforeTheNextContainersAndIsRestartedWhenUnhealthy() {
    AgentPod pod = pod("Never", """
        [{"name":"proxy","image":"x","restartPolicy":"Always","startupProbe":{"exec":{"command":["true"]}}}]""",
        "[{\"name\":\"main\",\"image\":\"x\"}]");
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.initContainers{proxy} after none");

    ContainerStatus proxy = observe(pod, "proxy", ContainerState.RUNNING, 0);
    probes.notStarted.add(proxy.id());
    assertThat(compute(pod).steps()).as("waits for the startup probe").isEmpty();

    probes.notStarted.clear();
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.containers{main} after none");

    probes.restartNeeded.put(proxy.id(), ProbeType.STARTUP);
    assertThat(compute(pod).steps()).as("restarted whatever the pod's policy, in the same sync").containsExactly(
        new Kill(container(pod, "proxy"), "spec.initContainers{proxy}", proxy,
            "Container proxy failed startup probe, will be restarted", 30, false),
        new Start(container(pod, "proxy"), "spec.initContainers{proxy}", true, proxy));
  }

  @Test
  void containersTheEngineStoppedStartAgainInPlaceWhereTheirPolicyRestartsThem() {
    for (String policy : List.of("Always", "OnFailure", "Never")) {
      AgentPod pod = pod(policy, "[]", "[{\"name\":\"web\",\"image\":\"nginx\"}]");
      ContainerStatus web = observe(pod, "web", ContainerState.EXITED, 143);
      stoppedByEngine.add(web.id());
      List<Step> expected = policy.equals("Never") ? List.of()
          : List.of(new Resume(container(pod, "web"), "spec.containers{web}", false, web));
      assertThat(compute(pod).steps()).as(policy).isEqualTo(expected);
    }
    AgentPod pod = pod("OnFailure", "[]", "[{\"name\":\"web\",\"image\":\"nginx\"}]");
    stoppedByEngine.add(observe(pod, "web", ContainerState.EXITED, 0).id());
    assertThat(compute(pod).steps()).as("OnFailure after a clean exit (SIGTERM handled)").isEmpty();
  }

  @Test
  void aContainerTheEngineStoppedDuringItsBackOffStartsAgainAtOnce() {
    AgentPod pod = pod("Always", "[]", "[{\"name\":\"web\",\"image\":\"nginx\"}]");
    crashBackOff.next(PodActions.backOffKey(pod.pod(), "web"));
    ContainerStatus web = observe(pod, "web", ContainerState.EXITED, 1);
    assertThat(compute(pod).steps()).singleElement().isInstanceOf(BackingOff.class);
    stoppedByEngine.add(web.id());
    assertThat(compute(pod).steps()).singleElement()
        .isEqualTo(new Resume(container(pod, "web"), "spec.containers{web}", false, web));
  }

  @Test
  void whatTheEngineStoppedIsNotStartedInPlaceOutsideTheSandboxOrUnderAnotherSpec() {
    AgentPod pod = pod("Always", "[]", "[{\"name\":\"web\",\"image\":\"nginx\"}]");
    ContainerStatus elsewhere = instance(pod, "web", ContainerState.EXITED, 143, "other-sandbox", 0,
        clock.instant(), "");
    instances.put("web", List.of(elsewhere));
    stoppedByEngine.add(elsewhere.id());
    assertThat(compute(pod).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.containers{web} after exit 143");
    ContainerStatus web = observe(pod, "web", ContainerState.EXITED, 143);
    stoppedByEngine.add(web.id());
    AgentPod changed = pod("Always", "[]", "[{\"name\":\"web\",\"image\":\"nginx:2\"}]");
    assertThat(compute(changed).steps()).extracting(PodActionsTest::describe)
        .containsExactly("start spec.containers{web} after exit 143");
  }

  @Test
  void afterAnEngineRestartCompletedInitContainersStayDoneAndTheOthersStartInPlace() {
    AgentPod pod = pod("Always", "[{\"name\":\"init\",\"image\":\"x\"}]",
        "[{\"name\":\"web\",\"image\":\"nginx\"},{\"name\":\"log\",\"image\":\"x\"}]");
    stoppedByEngine.add(observe(pod, "init", ContainerState.EXITED, 0).id());
    ContainerStatus web = observe(pod, "web", ContainerState.EXITED, 143);
    ContainerStatus log = observe(pod, "log", ContainerState.EXITED, 137);
    stoppedByEngine.add(web.id());
    stoppedByEngine.add(log.id());
    assertThat(compute(pod).steps()).containsExactly(
        new Resume(container(pod, "web"), "spec.containers{web}", false, web),
        new Resume(container(pod, "log"), "spec.containers{log}", false, log));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private PodActions compute(AgentPod pod) {
    return PodActions.compute(pod, SANDBOX, instances, probes, crashBackOff,
        instance -> stoppedByEngine.contains(instance.id()));
  }

  private static AgentPod pod(String restartPolicy, String initContainers, String containers) {
    return AgentPod.from(podTree(restartPolicy, initContainers, containers));
  }

  private static ObjectNode podTree(String restartPolicy, String initContainers, String containers) {
    return Json.parseObject("""
        {"metadata":{"name":"p","namespace":"default","uid":"uid-1"},
         "spec":{"restartPolicy":"%s","initContainers":%s,"containers":%s}}"""
        .formatted(restartPolicy, initContainers, containers));
  }

  private static Container container(AgentPod pod, String name) {
    return PodSpecs.container(pod.pod(), name).orElseThrow();
  }

  /** Observes a new instance of a container in {@link #SANDBOX}, created from the current spec. */
  private ContainerStatus observe(AgentPod pod, String name, ContainerState state, int exitCode) {
    ContainerStatus status = instance(pod, name, state, exitCode, SANDBOX, 0,
        state == ContainerState.EXITED ? clock.instant() : null, "");
    instances.put(name, List.of(status));
    return status;
  }

  private ContainerStatus instance(AgentPod pod, String name, ContainerState state, int exitCode,
      String sandboxId, int restartCount, Instant finishedAt, String error) {
    Map<String, String> labels = Map.of(
        RuntimeLabels.TYPE, RuntimeLabels.TYPE_CONTAINER,
        RuntimeLabels.CONTAINER_NAME, name,
        RuntimeLabels.SANDBOX_ID, sandboxId,
        RuntimeLabels.CONFIG_HASH, pod.configHash(container(pod, name)));
    return new ContainerStatus("c" + (++ids), name, state, exitCode, false, clock.instant().minusSeconds(60),
        state == ContainerState.CREATED ? null : clock.instant().minusSeconds(60), finishedAt, error, restartCount,
        "x", "sha256:x", "", 0, labels);
  }

  private static ContainerSummary sandbox(String id, int attempt, ContainerState state) {
    return new ContainerSummary(id, "sandbox-" + id, state, "pause", "sha256:p", Instant.EPOCH, Map.of(
        RuntimeLabels.TYPE, RuntimeLabels.TYPE_SANDBOX, RuntimeLabels.SANDBOX_ATTEMPT, Integer.toString(attempt)));
  }

  private static ContainerSummary summary(String id, ContainerState state) {
    return new ContainerSummary(id, id, state, "x", "sha256:x", Instant.EPOCH, Map.of(
        RuntimeLabels.TYPE, RuntimeLabels.TYPE_CONTAINER, RuntimeLabels.CONTAINER_NAME, id));
  }

  private static String describe(Step step) {
    if (step instanceof Start start) {
      return "start " + start.fieldPath() + " after "
          + (start.previous() == null ? "none" : "exit " + start.previous().exitCode());
    }
    return step.toString();
  }

  /** Probe results set by the test: by default every container started and none needs a restart. */
  private static final class FakeProbes implements ProbeResults {
    final Map<String, ProbeType> restartNeeded = new HashMap<>();
    final Set<String> notStarted = new HashSet<>();

    @Override
    public boolean ready(String containerId, Container container) {
      return started(containerId, container);
    }

    @Override
    public boolean started(String containerId, Container container) {
      return !notStarted.contains(containerId);
    }

    @Override
    public Optional<ProbeType> restartNeeded(String containerId) {
      return Optional.ofNullable(restartNeeded.get(containerId));
    }
  }
}
