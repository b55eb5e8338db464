package io.minicluster.agent;

import static io.minicluster.agent.AgentHarness.condition;
import static io.minicluster.agent.AgentHarness.containerStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodWorkerTest {
  @TempDir
  Path directory;
  AgentHarness harness;
  TestRuntime runtime;

  @BeforeEach
  void setUp() {
    harness = new AgentHarness(directory);
    runtime = harness.runtime;
    runtime.addImage("nginx:1.25");
    runtime.addImage("mongo");
    runtime.addImage("busybox:1");
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private ObjectNode web(String restartPolicy) {
    return harness.createPod("""
        {"metadata":{"name":"web"},"spec":{"restartPolicy":"%s","containers":[
          {"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]}}""".formatted(restartPolicy));
  }

  /** The web pod (restart policy Always) whose container exited with 1 once and was started again; its UID. */
  private String webCrashedOnce() {
    String uid = Meta.uid(web("Always"));
    harness.sync("web");
    runtime.exit(runtime.instances(uid, "web").get(0).id(), 1, false);
    harness.sync("web");
    return uid;
  }

  @Test
  void podGoesRunningWithReadyContainerAndEvents() throws Exception {
    ObjectNode created = web("Always");
    harness.sync("web");
    ObjectNode pod = harness.pod("web");
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(pod.path("status").path("podIP").asText()).startsWith("10.244.0.");
    assertThat(pod.path("status").path("hostIP").asText()).isEqualTo("192.168.1.10");
    assertThat(pod.path("status").path("startTime").asText()).isNotEmpty();
    JsonNode web = containerStatus(pod, "web");
    assertThat(web.path("state").has("running")).isTrue();
    assertThat(web.path("ready").asBoolean()).isTrue();
    assertThat(web.path("started").asBoolean()).isTrue();
    assertThat(web.path("restartCount").asInt()).isZero();
    assertThat(web.path("containerID").asText()).matches("docker://[0-9a-f]{64}");
    assertThat(condition(pod, "Ready")).isEqualTo("True");
    assertThat(condition(pod, "ContainersReady")).isEqualTo("True");
    assertThat(condition(pod, "Initialized")).isEqualTo("True");
    assertThat(condition(pod, "PodReadyToStartContainers")).isEqualTo("True");
    assertThat(pod.path("status").path("qosClass").asText()).isEqualTo("BestEffort");
    harness.awaitEvents(
        "Pulled: Container image \"nginx:1.25\" already present on machine",
        "Created: Created container: web",
        "Started: Started container web");
    String resourceVersion = Meta.resourceVersion(pod);
    harness.sync("web");
    assertThat(Meta.resourceVersion(harness.pod("web"))).as("no status write without change")
        .isEqualTo(resourceVersion);
    assertThat(runtime.instances(Meta.uid(created), "web")).hasSize(1);
  }

  @Test
  void aPodWhoseRuntimeClassHandlerTheEngineLacksIsNotRunButGetsKubeletsSandboxEvent() throws Exception {
    harness.client.create(ResourceTypes.RUNTIME_CLASSES, null,
        Json.parseObject("{\"metadata\":{\"name\":\"gvisor\"},\"handler\":\"runsc\"}"));
    harness.client.create(ResourceTypes.RUNTIME_CLASSES, null,
        Json.parseObject("{\"metadata\":{\"name\":\"default\"},\"handler\":\"runc\"}"));
    ObjectNode sandboxed = harness.createPod("""
        {"metadata":{"name":"sandboxed"},"spec":{"runtimeClassName":"gvisor","containers":[
          {"name":"web","image":"nginx:1.25"}]}}""");
    harness.createPod("""
        {"metadata":{"name":"plain"},"spec":{"runtimeClassName":"default","containers":[
          {"name":"web","image":"nginx:1.25"}]}}""");
    harness.sync("sandboxed");
    harness.sync("plain");

    assertThat(runtime.instances(Meta.uid(sandboxed), "web")).isEmpty();
    assertThat(harness.pod("sandboxed").path("status").path("phase").asText()).isEqualTo("Pending");
    harness.awaitEvents("FailedCreatePodSandBox: Failed to create pod sandbox: rpc error: code = "
        + "Unknown desc = failed to get sandbox runtime: no runtime for \"runsc\" is configured");
    assertThat(harness.pod("plain").path("status").path("phase").asText()).as("runc is Docker's runtime")
        .isEqualTo("Running");
  }

  @Test
  void theStoredLastStateIsKeptAsWrittenWhenThePreviousInstanceIsGone() {
    String uid = webCrashedOnce();
    JsonNode before = containerStatus(harness.pod("web"), "web").path("lastState");
    assertThat(before.path("terminated").path("exitCode").asInt()).isEqualTo(1);
    String resourceVersion = Meta.resourceVersion(harness.pod("web"));

    runtime.removeContainer(runtime.instances(uid, "web").get(0).id());
    assertThat(runtime.instances(uid, "web")).as("only the running instance is left").hasSize(1);
    harness.sync("web");

    assertThat(containerStatus(harness.pod("web"), "web").path("lastState")).isEqualTo(before);
    assertThat(Meta.resourceVersion(harness.pod("web"))).as("the same status: no write").isEqualTo(resourceVersion);
  }

  @Test
  void crashingContainerBacksOffWithGrowingDelays() {
    String uid = webCrashedOnce();
    assertThat(runtime.instances(uid, "web")).hasSize(2);
    assertThat(containerStatus(harness.pod("web"), "web").path("restartCount").asInt()).isEqualTo(1);

    runtime.exit(runtime.instances(uid, "web").get(1).id(), 1, false);
    Duration wake = harness.sync("web");
    JsonNode status = containerStatus(harness.pod("web"), "web");
    assertThat(status.path("state").path("waiting").path("reason").asText()).isEqualTo("CrashLoopBackOff");
    assertThat(status.path("state").path("waiting").path("message").asText())
        .isEqualTo("back-off 10s restarting failed container=web pod=web_default(" + uid + ")");
    assertThat(status.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
    assertThat(status.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
    assertThat(status.path("ready").asBoolean()).isFalse();
    assertThat(harness.pod("web").path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(wake).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(11));

    harness.clock.advance(Duration.ofSeconds(11));
    harness.sync("web");
    assertThat(containerStatus(harness.pod("web"), "web").path("restartCount").asInt()).isEqualTo(2);
    assertThat(runtime.instances(uid, "web")).as("current and previous kept, older removed").hasSize(2);

    runtime.exit(runtime.instances(uid, "web").get(1).id(), 2, false);
    harness.sync("web");
    assertThat(containerStatus(harness.pod("web"), "web").path("state").path("waiting").path("message").asText())
        .startsWith("back-off 20s");
    harness.clock.advance(Duration.ofSeconds(11));
    harness.sync("web");
    assertThat(containerStatus(harness.pod("web"), "web").path("restartCount").asInt()).as("still backing off")
        .isEqualTo(2);
    harness.clock.advance(Duration.ofSeconds(10));
    harness.sync("web");
    assertThat(containerStatus(harness.pod("web"), "web").path("restartCount").asInt()).isEqualTo(3);
    ContainerStatus newest = runtime.instances(uid, "web").get(runtime.instances(uid, "web").size() - 1);
    assertThat(newest.labels()).containsEntry("io.minicluster.container.restartCount", "3");
  }

  @Test
  void neverPolicyFailsPodAndOomIsReported() {
    ObjectNode pod = web("Never");
    harness.sync("web");
    runtime.exit(runtime.instances(Meta.uid(pod), "web").get(0).id(), 137, true);
    harness.sync("web");
    ObjectNode current = harness.pod("web");
    assertThat(current.path("status").path("phase").asText()).isEqualTo("Failed");
    JsonNode terminated = containerStatus(current, "web").path("state").path("terminated");
    assertThat(terminated.path("reason").asText()).isEqualTo("OOMKilled");
    assertThat(terminated.path("exitCode").asInt()).isEqualTo(137);
    assertThat(runtime.instances(Meta.uid(pod), "web")).hasSize(1);
    assertThat(runtime.sandboxes(Meta.uid(pod))).allMatch(s -> !s.running());
    assertThat(condition(current, "Ready")).isEqualTo("False");
  }

  @Test
  void onFailureSucceedsWhenContainerCompletes() {
    ObjectNode pod = web("OnFailure");
    harness.sync("web");
    runtime.exit(runtime.instances(Meta.uid(pod), "web").get(0).id(), 0, false);
    harness.sync("web");
    ObjectNode current = harness.pod("web");
    assertThat(current.path("status").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(containerStatus(current, "web").path("state").path("terminated").path("reason").asText())
        .isEqualTo("Completed");
    assertThat(condition(current, "Ready")).isEqualTo("False");
  }

  @Test
  void initContainersRunInOrderBeforeContainers() {
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"init"},"spec":{"initContainers":[
          {"name":"first","image":"busybox:1"},{"name":"second","image":"busybox:1"}],
          "containers":[{"name":"main","image":"busybox:1"}]}}""");
    String uid = Meta.uid(pod);
    harness.sync("init");
    ObjectNode current = harness.pod("init");
    assertThat(current.path("status").path("phase").asText()).isEqualTo("Pending");
    assertThat(condition(current, "Initialized")).isEqualTo("False");
    assertThat(containerStatus(current, "main").path("state").path("waiting").path("reason").asText())
        .isEqualTo("PodInitializing");
    assertThat(runtime.instances(uid, "second")).isEmpty();
    runtime.exit(runtime.instances(uid, "first").get(0).id(), 0, false);
    harness.sync("init");
    assertThat(runtime.instances(uid, "second")).hasSize(1);
    assertThat(runtime.instances(uid, "main")).isEmpty();
    runtime.exit(runtime.instances(uid, "second").get(0).id(), 0, false);
    harness.sync("init");
    current = harness.pod("init");
    assertThat(runtime.instances(uid, "main")).hasSize(1);
    assertThat(current.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(condition(current, "Initialized")).isEqualTo("True");
    assertThat(containerStatus(current, "first").path("state").path("terminated").path("reason").asText())
        .isEqualTo("Completed");
  }

  @Test
  void deletionStopsContainersWithGraceAndDeletesThePod() throws Exception {
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    assertThat(Files.isDirectory(harness.config.podDirectory(uid))).isTrue();
    harness.client.delete(ResourceTypes.PODS, "default", "web", new DeleteOptions(7L, null, null, null, false));
    assertThat(Meta.deleting(harness.pod("web"))).isTrue();
    harness.sync("web");
    assertThat(harness.client.find(ResourceTypes.PODS, "default", "web")).isEmpty();
    assertThat(runtime.containers).isEmpty();
    assertThat(runtime.calls).contains("stop web 7");
    assertThat(Files.exists(harness.config.podDirectory(uid))).isFalse();
    harness.awaitEvents("Killing: Stopping container web");
  }

  @Test
  void orphansOfDeletedPodsAreRemovedButForeignContainersAreLeftAlone() {
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    // a container of another minicluster instance sharing the engine: no pod directory here
    runtime.runSandbox(SandboxSpec.builder("foreign-uid", "x", "default").build());
    harness.client.delete(ResourceTypes.PODS, "default", "web", DeleteOptions.immediate());
    harness.agent.syncGone(uid);
    assertThat(runtime.containers.values()).extracting(c -> c.labels().get("io.minicluster.pod.uid"))
        .containsOnly("foreign-uid");
  }

  @Test
  void restartedAgentAdoptsContainersWithoutRestartingThem() {
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    runtime.exit(runtime.instances(uid, "web").get(0).id(), 1, false);
    harness.sync("web");
    List<String> before = runtime.containers.keySet().stream().sorted().toList();
    int creates = (int) runtime.calls.stream().filter(c -> c.startsWith("create") || c.startsWith("runSandbox"))
        .count();
    harness.agent.close();
    harness.agent = harness.newAgent();
    harness.sync("web");
    harness.sync("web");
    assertThat(runtime.containers.keySet().stream().sorted().toList()).isEqualTo(before);
    assertThat(runtime.calls.stream().filter(c -> c.startsWith("create") || c.startsWith("runSandbox")).count())
        .isEqualTo(creates);
    JsonNode status = containerStatus(harness.pod("web"), "web");
    assertThat(status.path("restartCount").asInt()).isEqualTo(1);
    assertThat(status.path("state").has("running")).isTrue();
  }

  @Test
  void sandboxDeathRecreatesSandboxAndContainers() throws Exception {
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    String sandbox = runtime.sandboxes(uid).get(0).id();
    runtime.exit(runtime.instances(uid, "web").get(0).id(), 137, false);
    runtime.exit(sandbox, 137, false);
    harness.sync("web");
    assertThat(runtime.sandboxes(uid)).hasSize(1).allMatch(ContainerStatus::running);
    assertThat(runtime.sandboxes(uid).get(0).id()).isNotEqualTo(sandbox);
    assertThat(runtime.sandboxes(uid).get(0).labels()).containsEntry("io.minicluster.sandbox.attempt", "1");
    JsonNode status = containerStatus(harness.pod("web"), "web");
    assertThat(status.path("state").has("running")).isTrue();
    assertThat(status.path("restartCount").asInt()).isEqualTo(1);
    harness.awaitEvents("SandboxChanged: Pod sandbox changed, it will be killed and re-created.");
  }

  @Test
  void afterAnEngineRestartThePodComesBackWithTheSameSandboxContainersAndIp() throws Exception {
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    String sandbox = runtime.sandboxes(uid).get(0).id();
    String web = runtime.instances(uid, "web").get(0).id();
    String podIp = harness.pod("web").path("status").path("podIP").asText();
    runtime.restartEngine(harness.clock);
    // the IP the sandbox had is another sandbox's before this one starts again
    runtime.runSandbox(SandboxSpec.builder("other-uid", "other", "default").build());
    harness.sync("web");

    assertThat(runtime.sandboxes(uid)).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(sandbox);
      assertThat(s.running()).isTrue();
    });
    assertThat(runtime.instances(uid, "web")).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo(web);
      assertThat(c.running()).isTrue();
    });
    assertThat(runtime.calls).filteredOn(call -> call.startsWith("create") || call.startsWith("runSandbox web"))
        .containsExactly("runSandbox web 0", "create web 0");
    ObjectNode after = harness.pod("web");
    assertThat(after.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(after.path("status").path("podIP").asText()).isEqualTo(podIp);
    JsonNode status = containerStatus(after, "web");
    assertThat(status.path("restartCount").asInt()).isEqualTo(1);
    assertThat(status.path("containerID").asText()).isEqualTo("docker://" + web);
    assertThat(status.path("state").has("running")).isTrue();
    assertThat(status.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(143);
    assertThat(status.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
    assertThat(harness.events()).doesNotContain("SandboxChanged: Pod sandbox changed, it will be killed and re-created.")
        .contains("Started: Started container web");

    // counted across a restart of the agent (kept in the pod's directory) and a second engine restart
    harness.agent.close();
    harness.agent = harness.newAgent();
    runtime.restartEngine(harness.clock);
    harness.sync("web");
    assertThat(runtime.instances(uid, "web")).extracting(ContainerStatus::id).containsExactly(web);
    assertThat(containerStatus(harness.pod("web"), "web").path("restartCount").asInt()).isEqualTo(2);

    // a crash after that: a new instance, created with the count that follows
    runtime.exit(web, 1, false);
    harness.sync("web");
    assertThat(runtime.instances(uid, "web")).hasSize(2).last()
        .satisfies(c -> assertThat(c.labels()).containsEntry("io.minicluster.container.restartCount", "3"));
    status = containerStatus(harness.pod("web"), "web");
    assertThat(status.path("restartCount").asInt()).isEqualTo(3);
    assertThat(status.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
  }

  @Test
  void aContainerStartedAgainInPlaceIsProbedAfreshNotReadyOnItsOldResults() throws Exception {
    harness.createPod("""
        {"metadata":{"name":"probed"},"spec":{"containers":[{"name":"app","image":"busybox:1",
          "readinessProbe":{"httpGet":{"port":80},"periodSeconds":1,"failureThreshold":1}}]}}""");
    harness.sync("probed");
    harness.clock.advance(Duration.ofSeconds(1));
    harness.agent.probeTick();
    harness.sync("probed");
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("True");
    // the engine restarts under the running agent; the same container id comes back
    runtime.restartEngine(harness.clock);
    harness.sync("probed");
    assertThat(containerStatus(harness.pod("probed"), "app").path("restartCount").asInt()).isEqualTo(1);
    assertThat(condition(harness.pod("probed"), "Ready")).as("not ready before its first probe").isEqualTo("False");
    harness.clock.advance(Duration.ofSeconds(1));
    harness.agent.probeTick();
    harness.sync("probed");
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("True");
  }

  @Test
  void aRestartedAgentKeepsTheReadinessAndStartupItsStoredStatusReportsForARunningContainer() throws Exception {
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"probed"},"spec":{"containers":[{"name":"app","image":"busybox:1",
          "startupProbe":{"exec":{"command":["true"]},"periodSeconds":1,"failureThreshold":3},
          "readinessProbe":{"httpGet":{"port":80},"periodSeconds":5,"failureThreshold":1}}]}}""");
    String uid = Meta.uid(pod);
    harness.sync("probed");
    for (int i = 0; i < 2; i++) {
      harness.clock.advance(Duration.ofSeconds(1));
      harness.agent.probeTick();
      harness.sync("probed");
    }
    String app = runtime.instances(uid, "app").get(0).id();
    assertThat(containerStatus(harness.pod("probed"), "app").path("started").asBoolean()).isTrue();
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("True");

    // the daemon restarts: a new agent over the same running container, no probe run yet
    harness.agent.close();
    harness.agent = harness.newAgent();
    int probesBefore = harness.probed.size();
    harness.sync("probed");
    assertThat(runtime.instances(uid, "app")).extracting(ContainerStatus::id).containsExactly(app);
    assertThat(condition(harness.pod("probed"), "Ready")).as("ready as reported before the restart").isEqualTo("True");
    assertThat(containerStatus(harness.pod("probed"), "app").path("started").asBoolean()).isTrue();
    assertThat(harness.probed).as("no probe ran yet").hasSize(probesBefore);

    // the carried results are only the start: the next failure of the readiness probe counts as before
    harness.probeResults.put("app", Prober.Result.failure("HTTP probe failed with statuscode: 500"));
    harness.clock.advance(Duration.ofSeconds(5));
    harness.agent.probeTick();
    harness.sync("probed");
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("False");

    // and an unready report is carried as unready
    harness.agent.close();
    harness.agent = harness.newAgent();
    harness.probeResults.remove("app");
    harness.sync("probed");
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("False");
  }

  @Test
  void afterAnEngineRestartANeverPodFailsAndItsSandboxIsNotTakenForOneTheEngineStopped() throws Exception {
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"once"},"spec":{"restartPolicy":"Never","containers":[
          {"name":"sleeper","image":"busybox:1"}]}}""");
    String uid = Meta.uid(pod);
    harness.sync("once");
    String sleeper = runtime.instances(uid, "sleeper").get(0).id();
    runtime.restartEngine(harness.clock);
    harness.sync("once");
    ObjectNode after = harness.pod("once");
    assertThat(after.path("status").path("phase").asText()).isEqualTo("Failed");
    JsonNode status = containerStatus(after, "sleeper");
    assertThat(status.path("restartCount").asInt()).isZero();
    assertThat(status.path("state").path("terminated").path("exitCode").asInt()).isEqualTo(143);
    assertThat(runtime.instances(uid, "sleeper")).extracting(ContainerStatus::id).containsExactly(sleeper);
    assertThat(runtime.sandboxes(uid)).singleElement().satisfies(s -> assertThat(s.running()).isFalse());
    // the agent stopped that sandbox itself once the pod failed: after another engine restart, even a view of the pod
    // from before it failed does not take the sandbox for one the engine stopped
    runtime.restartEngine(harness.clock);
    harness.client.modifyStatus(ResourceTypes.PODS, "default", "once", current -> {
      ((ObjectNode) current.get("status")).put("phase", "Running");
      return current;
    });
    harness.agent.syncNow("default", "once");
    assertThat(runtime.calls.stream().filter(call -> call.startsWith("startSandbox")).count()).isEqualTo(1);
  }

  @Test
  void aSandboxThatCannotStartAgainAfterAnEngineRestartIsReplaced() throws Exception {
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    String sandbox = runtime.sandboxes(uid).get(0).id();
    runtime.restartEngine(harness.clock);
    runtime.stuck.add(sandbox);
    harness.sync("web");
    harness.sync("web");
    assertThat(runtime.sandboxes(uid)).filteredOn(ContainerStatus::running).singleElement()
        .satisfies(running -> assertThat(running.labels()).containsEntry("io.minicluster.sandbox.attempt", "1"));
    JsonNode status = containerStatus(harness.pod("web"), "web");
    assertThat(status.path("state").has("running")).isTrue();
    assertThat(status.path("restartCount").asInt()).isEqualTo(1);
  }

  @Test
  void aSandboxTheEngineCannotStopOrRemoveDoesNotKeepThePodFromANewOne() throws Exception {
    // after an engine restart Docker can leave a sandbox "dead": stopping and removing it fail (device busy)
    ObjectNode pod = web("Always");
    String uid = Meta.uid(pod);
    harness.sync("web");
    String sandbox = runtime.sandboxes(uid).get(0).id();
    runtime.exit(runtime.instances(uid, "web").get(0).id(), 137, false);
    runtime.exit(sandbox, 137, false);
    runtime.stuck.add(sandbox);
    harness.sync("web");
    harness.sync("web");
    assertThat(runtime.sandboxes(uid)).filteredOn(ContainerStatus::running).singleElement()
        .satisfies(running -> assertThat(running.labels()).containsEntry("io.minicluster.sandbox.attempt", "1"));
    assertThat(containerStatus(harness.pod("web"), "web").path("state").has("running")).isTrue();
  }

  @Test
  void imagePolicies() throws Exception {
    harness.createPod("""
        {"metadata":{"name":"never"},"spec":{"containers":[
          {"name":"app","image":"absent:1","imagePullPolicy":"Never"}]}}""");
    harness.sync("never");
    JsonNode waiting = containerStatus(harness.pod("never"), "app").path("state").path("waiting");
    assertThat(waiting.path("reason").asText()).isEqualTo("ErrImageNeverPull");
    assertThat(waiting.path("message").asText())
        .isEqualTo("Container image \"absent:1\" is not present with pull policy of Never");

    harness.createPod("""
        {"metadata":{"name":"absent"},"spec":{"containers":[{"name":"app","image":"absent:2"}]}}""");
    harness.sync("absent");
    assertThat(containerStatus(harness.pod("absent"), "app").path("state").path("waiting").path("reason").asText())
        .isEqualTo("ErrImagePull");
    harness.sync("absent");
    assertThat(containerStatus(harness.pod("absent"), "app").path("state").path("waiting").path("reason").asText())
        .isEqualTo("ImagePullBackOff");
    harness.clock.advance(Duration.ofSeconds(11));
    runtime.pullable("absent:2");
    harness.sync("absent");
    assertThat(containerStatus(harness.pod("absent"), "app").path("state").has("running")).isTrue();

    // offline: policy Always (":latest") cannot pull, but the local image is used
    harness.createPod("""
        {"metadata":{"name":"offline"},"spec":{"containers":[{"name":"db","image":"mongo"}]}}""");
    harness.sync("offline");
    assertThat(containerStatus(harness.pod("offline"), "db").path("state").has("running")).isTrue();
    assertThat(runtime.calls).contains("pull mongo");
    Eventually.assertThat(() -> assertThat(harness.eventList()).anyMatch(e -> e.startsWith(
        "Failed: Failed to pull image \"mongo\"") && e.endsWith("using the image present on the machine")));
  }

  @Test
  void environmentAndCommandExpansion() throws Exception {
    harness.client.create(ResourceTypes.CONFIG_MAPS, "default", Json.parseObject("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"mode":"fast","K1":"v1"}}"""));
    harness.client.create(ResourceTypes.SECRETS, "default", Json.parseObject("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"sec"},"data":{"password":"czNjcjN0"}}"""));
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"env","labels":{"app":"x"}},"spec":{"serviceAccountName":"robot","containers":[
          {"name":"app","image":"busybox:1","command":["sh","-c","echo $(GREETING) $$(HOME) $(MISSING)"],
           "args":["$(POD_NAME)"],
           "envFrom":[{"configMapRef":{"name":"cfg"},"prefix":"CFG_"}],
           "env":[{"name":"GREETING","value":"hello"},
                  {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                  {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                  {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                  {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
                  {"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"mode"}}},
                  {"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"sec","key":"password"}}},
                  {"name":"OPTIONAL","valueFrom":{"secretKeyRef":{"name":"nope","key":"x","optional":true}}},
                  {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
                  {"name":"COMBINED","value":"$(GREETING)-$(POD_NAME)"}],
           "resources":{"limits":{"memory":"64Mi","cpu":"500m"}}}]}}""");
    harness.sync("env");
    ContainerSpec spec = runtime.specs.get(runtime.instances(Meta.uid(pod), "app").get(0).id());
    assertThat(spec.command()).containsExactly("sh", "-c", "echo hello $(HOME) $(MISSING)");
    assertThat(spec.args()).containsExactly("env");
    assertThat(spec.env()).containsEntry("CFG_mode", "fast").containsEntry("CFG_K1", "v1")
        .containsEntry("POD_NAME", "env").containsEntry("APP", "x").containsEntry("SA", "robot")
        .containsEntry("MODE", "fast").containsEntry("PASSWORD", "s3cr3t").containsEntry("MEM", "64")
        .containsEntry("COMBINED", "hello-env").doesNotContainKey("OPTIONAL");
    assertThat(spec.env().get("POD_IP")).startsWith("10.244.0.");
    assertThat(spec.resources().memoryLimitBytes()).isEqualTo(64L << 20);
    assertThat(spec.resources().cpuLimitMillis()).isEqualTo(500);

    harness.createPod("""
        {"metadata":{"name":"bad"},"spec":{"containers":[{"name":"app","image":"busybox:1",
          "env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"absent"}}}]}]}}""");
    harness.sync("bad");
    JsonNode waiting = containerStatus(harness.pod("bad"), "app").path("state").path("waiting");
    assertThat(waiting.path("reason").asText()).isEqualTo("CreateContainerConfigError");
    assertThat(waiting.path("message").asText()).isEqualTo("couldn't find key absent in ConfigMap default/cfg");
  }

  @Test
  void volumesAreProjectedAndKeptCurrent() throws Exception {
    harness.client.create(ResourceTypes.CONFIG_MAPS, "default", Json.parseObject("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"app.conf":"v=1"}}"""));
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"vol"},"spec":{"volumes":[
            {"name":"cache","emptyDir":{}},
            {"name":"config","configMap":{"name":"cfg","items":[{"key":"app.conf","path":"conf/app.conf",
              "mode":384}]}},
            {"name":"info","downwardAPI":{"items":[{"path":"name","fieldRef":{"fieldPath":"metadata.name"}}]}}],
          "containers":[{"name":"app","image":"busybox:1","volumeMounts":[
            {"name":"cache","mountPath":"/cache"},{"name":"config","mountPath":"/etc/app"},
            {"name":"info","mountPath":"/info","readOnly":true},
            {"name":"cache","mountPath":"/sub","subPath":"deep/dir"}]}]}}""");
    harness.sync("vol");
    String uid = Meta.uid(pod);
    Path volumes = harness.config.podDirectory(uid).resolve("volumes");
    Path conf = volumes.resolve("kubernetes.io~configmap/config/conf/app.conf");
    assertThat(Files.readString(conf)).isEqualTo("v=1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(volumes.resolve("kubernetes.io~downward-api/info/name"))).isEqualTo("vol");
    assertThat(Files.isDirectory(volumes.resolve("kubernetes.io~empty-dir/cache/deep/dir"))).isTrue();
    ContainerSpec spec = runtime.specs.get(runtime.instances(uid, "app").get(0).id());
    assertThat(spec.mounts()).extracting(m -> m.target() + (m.readOnly() ? ":ro" : ":rw"))
        .containsExactly("/cache:rw", "/etc/app:ro", "/info:ro", "/sub:rw");

    harness.client.modify(ResourceTypes.CONFIG_MAPS, "default", "cfg", cm -> {
      ((ObjectNode) cm.get("data")).put("app.conf", "v=2");
      return cm;
    });
    harness.sync("vol");
    assertThat(Files.readString(conf)).isEqualTo("v=2");

    harness.createPod("""
        {"metadata":{"name":"missing"},"spec":{"volumes":[{"name":"s","secret":{"secretName":"nope"}}],
          "containers":[{"name":"app","image":"busybox:1"}]}}""");
    harness.sync("missing");
    assertThat(containerStatus(harness.pod("missing"), "app").path("state").path("waiting").path("reason").asText())
        .isEqualTo("ContainerCreating");
    harness.awaitEvents(
        "FailedMount: MountVolume.SetUp failed for volume \"s\" : secret \"nope\" not found");
  }

  @Test
  void readinessAndLivenessProbes() throws Exception {
    ObjectNode pod = harness.createPod("""
        {"metadata":{"name":"probed"},"spec":{"containers":[{"name":"app","image":"busybox:1",
          "readinessProbe":{"httpGet":{"port":80},"periodSeconds":1,"failureThreshold":1},
          "livenessProbe":{"tcpSocket":{"port":80},"periodSeconds":1,"failureThreshold":2}}]}}""");
    String uid = Meta.uid(pod);
    harness.sync("probed");
    assertThat(containerStatus(harness.pod("probed"), "app").path("ready").asBoolean()).as("not ready before probe")
        .isFalse();
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("False");
    harness.clock.advance(Duration.ofSeconds(1));
    harness.agent.probeTick();
    harness.sync("probed");
    assertThat(containerStatus(harness.pod("probed"), "app").path("ready").asBoolean()).isTrue();
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("True");

    harness.probeResults.put("app", Prober.Result.failure("HTTP probe failed with statuscode: 500"));
    harness.clock.advance(Duration.ofSeconds(1));
    harness.agent.probeTick();
    harness.sync("probed");
    assertThat(containerStatus(harness.pod("probed"), "app").path("ready").asBoolean()).isFalse();
    assertThat(condition(harness.pod("probed"), "Ready")).isEqualTo("False");
    assertThat(runtime.instances(uid, "app")).as("one liveness failure is below the threshold").hasSize(1);

    harness.clock.advance(Duration.ofSeconds(1));
    harness.agent.probeTick();
    harness.sync("probed");
    assertThat(runtime.instances(uid, "app")).hasSize(2);
    assertThat(runtime.instances(uid, "app").get(0).running()).isFalse();
    assertThat(containerStatus(harness.pod("probed"), "app").path("restartCount").asInt()).isEqualTo(1);
    harness.awaitEvents(
        "Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500",
        "Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500",
        "Killing: Container app failed liveness probe, will be restarted");
  }

  @Test
  void hostNetworkPodUsesNodeIp() {
    harness.createPod("""
        {"metadata":{"name":"host"},"spec":{"hostNetwork":true,"containers":[{"name":"app","image":"busybox:1"}]}}""");
    harness.sync("host");
    assertThat(harness.pod("host").path("status").path("podIP").asText()).isEqualTo("192.168.1.10");
  }
}
