package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.probe.ProbeManager;
import io.minicluster.agent.probe.ProbeType;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.MountSpec;
import io.minicluster.agent.runtime.PortMapping;
import io.minicluster.agent.runtime.ResourceSpec;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.runtime.SandboxInfo;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.agent.runtime.SecuritySpec;
import io.minicluster.agent.volume.AtomicWriter;
import io.minicluster.agent.volume.VolumeException;
import io.minicluster.agent.volume.VolumeManager;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.json.Json;
import io.minicluster.registry.DeleteOptions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync logic of one pod (the kubelet's {@code SyncPod}/{@code SyncTerminatingPod}): converge the engine's
 * containers on the pod spec, then report what the engine says as the pod status. Calls for one pod UID must be
 * serialised by the caller; calls for different pods may run in parallel.
 */
public final class PodWorker {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  static final Duration CRASH_BACK_OFF_INITIAL = Duration.ofSeconds(10);
  static final Duration CRASH_BACK_OFF_MAX = Duration.ofMinutes(5);

  private final Client client;
  private final ContainerRuntime runtime;
  private final AgentConfig config;
  private final EventRecorder recorder;
  private final Clock clock;
  private final ImageManager images;
  private final EnvironmentResolver environment;
  private final VolumeManager volumes;
  private final ProbeManager probes;
  private final Prober hookRunner;
  private final Executor stopExecutor;
  private final BackOff crashBackOff;
  private final Map<String, String> podIps = new ConcurrentHashMap<>();

  /** Why a container waits, decided during one sync. */
  record Waiting(String reason, String message) {}

  /** Per-sync scratch state. */
  private static final class SyncState {
    final Map<String, Waiting> waiting = new HashMap<>();
    Duration wakeUp;
    boolean initFailed;

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
    this.environment = requireNonNull(environment, "environment is null");
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.probes = requireNonNull(probes, "probes is null");
    this.hookRunner = requireNonNull(hookRunner, "hookRunner is null");
    this.stopExecutor = requireNonNull(stopExecutor, "stopExecutor is null");
    this.crashBackOff = new BackOff(clock, CRASH_BACK_OFF_INITIAL, CRASH_BACK_OFF_MAX);
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
   * @param pod the pod as the API has it, or null when it is gone from the API
   * @return when to sync again at the latest (back-off expiry), or null
   */
  public Duration sync(String podUid, ObjectNode pod) {
    if (pod == null) {
      teardown(podUid, null, 0);
      return null;
    }
    if (Meta.deleting(pod)) {
      terminate(pod);
      return null;
    }
    String phase = Json.text(pod, "status", "phase");
    List<ContainerSummary> summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      for (ContainerSummary summary : summaries) {
        if (summary.state() == ContainerState.RUNNING) {
          if (summary.sandbox()) {
            runtime.stopSandbox(summary.id());
          } else {
            runtime.stopContainer(summary.id(), gracePeriod(pod));
          }
        }
      }
      probes.remove(podUid);
      return null;
    }
    SyncState state = new SyncState();
    Path podDirectory = config.podDirectory(podUid);
    try {
      Files.createDirectories(podDirectory);
    } catch (IOException e) {
      throw new ContainerRuntimeException("cannot create pod directory " + podDirectory + ": " + e.getMessage());
    }
    Map<String, VolumeManager.Prepared> prepared;
    try {
      prepared = volumes.prepare(pod, podDirectory);
    } catch (VolumeException e) {
      recorder.record(pod, null, "Warning", "FailedMount", e.eventMessage());
      writeStatus(pod, podUid, instances(summaries), null, state, "");
      return Duration.ofSeconds(5);
    }
    Map<String, List<ContainerStatus>> instances = instances(summaries);
    String sandboxId = ensureSandbox(pod, podUid, summaries, instances, state);
    if (sandboxId == null) {
      // ensureSandbox may have killed containers: inspect them again
      writeStatus(pod, podUid, instances(summaries), null, state, "");
      return state.wakeUp == null ? Duration.ofSeconds(5) : state.wakeUp;
    }
    if (!sandboxIdEqualsExisting(summaries, sandboxId)) {
      summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
      instances = instances(summaries);
    }
    String podIp = podIps.getOrDefault(podUid, "");
    ObjectNode podWithIps = pod.deepCopy();
    Json.with(podWithIps, "status").put("podIP", podIp);
    Json.with(podWithIps, "status").put("hostIP", config.nodeIp());
    Json.with(podWithIps, "status").set("podIPs", Json.array().add(Json.object().put("ip", podIp)));
    Json.with(podWithIps, "status").set("hostIPs", Json.array().add(Json.object().put("ip", config.nodeIp())));

    boolean changed = false;
    boolean initialized = true;
    for (ObjectNode init : PodSpecs.initContainers(pod)) {
      String name = PodSpecs.name(init);
      List<ContainerStatus> mine = instances.getOrDefault(name, List.of());
      ContainerStatus latest = mine.isEmpty() ? null : mine.get(0);
      boolean inSandbox = latest != null && sandboxId.equals(latest.labels().get(RuntimeLabels.SANDBOX_ID));
      if (PodSpecs.sidecar(init)) {
        if (inSandbox && latest.running()) {
          if (!restartIfUnhealthy(pod, init, latest, "spec.initContainers{" + name + "}")) {
            if (!probes.started(latest.id(), init)) {
              initialized = false;
              break;
            }
            continue;
          }
          changed = true;
        }
        changed |= startContainer(podWithIps, init, latest, sandboxId, prepared, state, true);
        initialized = false;
        break;
      }
      if (inSandbox && latest.state() == ContainerState.EXITED && latest.exitCode() == 0 && latest.error().isEmpty()) {
        continue;
      }
      initialized = false;
      if (inSandbox && latest.running()) {
        break;
      }
      if (inSandbox && exited(latest)) {
        if (PodSpecs.restartPolicy(pod).equals("Never")) {
          state.initFailed = true;
          break;
        }
      }
      changed |= startContainer(podWithIps, init, inSandbox ? latest : latestOrNull(mine), sandboxId, prepared,
          state, true);
      break;
    }
    if (initialized && !state.initFailed) {
      String policy = PodSpecs.restartPolicy(pod);
      for (ObjectNode container : PodSpecs.containers(pod)) {
        String name = PodSpecs.name(container);
        String fieldPath = "spec.containers{" + name + "}";
        List<ContainerStatus> mine = instances.getOrDefault(name, List.of());
        ContainerStatus latest = mine.isEmpty() ? null : mine.get(0);
        boolean inSandbox = latest != null && sandboxId.equals(latest.labels().get(RuntimeLabels.SANDBOX_ID));
        if (latest != null && latest.running() && inSandbox) {
          if (!restartIfUnhealthy(pod, container, latest, fieldPath)) {
            continue;
          }
          changed = true;
          latest = runtime.inspect(latest.id()).orElse(latest);
        }
        if (latest != null && !latest.running() && !shouldRestart(policy, latest) && inSandbox) {
          continue;
        }
        if (latest != null && !latest.running() && !inSandbox && !shouldRestart(policy, latest)) {
          continue;
        }
        changed |= startContainer(podWithIps, container, latest, sandboxId, prepared, state, false);
      }
    }
    if (changed) {
      summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
      instances = instances(summaries);
    }
    String finalPhase = writeStatus(pod, podUid, instances, sandboxId, state, podIp);
    if ("Succeeded".equals(finalPhase) || "Failed".equals(finalPhase)) {
      runtime.stopSandbox(sandboxId);
      probes.remove(podUid);
    }
    removeOldInstances(summaries, sandboxId);
    return state.wakeUp;
  }

  private static boolean sandboxIdEqualsExisting(List<ContainerSummary> summaries, String sandboxId) {
    return summaries.stream().anyMatch(s -> s.id().equals(sandboxId));
  }

  private static ContainerStatus latestOrNull(List<ContainerStatus> mine) {
    return mine.isEmpty() ? null : mine.get(0);
  }

  private static boolean exited(ContainerStatus status) {
    return status.state() == ContainerState.EXITED || (status.state() == ContainerState.CREATED
        && (!status.error().isEmpty() || status.finishedAt() != null));
  }

  private static boolean shouldRestart(String policy, ContainerStatus latest) {
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

  // ------------------------------------------------------------------------------------------------ inventory

  /** Application container instances by container name, newest (highest restart count) first, inspected. */
  private Map<String, List<ContainerStatus>> instances(List<ContainerSummary> summaries) {
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
        runtime.inspect(summary.id()).ifPresent(inspected::add);
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

  private static int sandboxAttempt(ContainerSummary summary) {
    try {
      return Integer.parseInt(summary.labels().getOrDefault(RuntimeLabels.SANDBOX_ATTEMPT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------ sandbox

  /** Returns the running sandbox's id, creating one (SandboxChanged) when needed; null when none could be had. */
  private String ensureSandbox(ObjectNode pod, String podUid, List<ContainerSummary> summaries,
      Map<String, List<ContainerStatus>> instances, SyncState state) {
    ContainerSummary latest = null;
    for (ContainerSummary summary : summaries) {
      if (summary.sandbox() && (latest == null || sandboxAttempt(summary) > sandboxAttempt(latest))) {
        latest = summary;
      }
    }
    if (latest != null && latest.state() == ContainerState.RUNNING) {
      for (ContainerSummary summary : summaries) {
        if (summary.sandbox() && !summary.id().equals(latest.id())) {
          bestEffort("removing old sandbox " + summary.id(), () -> runtime.removeContainer(summary.id()));
        }
      }
      if (!podIps.containsKey(podUid)) {
        String ip = PodSpecs.hostNetwork(pod) ? config.nodeIp()
            : runtime.inspect(latest.id()).map(ContainerStatus::ipAddress).orElse("");
        if (!ip.isEmpty()) {
          podIps.put(podUid, ip);
        }
      }
      return latest.id();
    }
    if (latest != null) {
      recorder.record(pod, null, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
      for (ContainerSummary summary : summaries) {
        if (!summary.sandbox() && summary.state() == ContainerState.RUNNING) {
          bestEffort("killing container " + summary.id(), () -> runtime.killContainer(summary.id()));
        }
      }
      // a sandbox the engine cannot stop or remove (left "dead" by an engine restart, say) must not keep the pod from
      // a new one: its attempt number is passed over
      ContainerSummary old = latest;
      bestEffort("stopping sandbox " + old.id(), () -> runtime.stopSandbox(old.id()));
      podIps.remove(podUid);
    }
    int attempt = latest == null ? 0 : sandboxAttempt(latest) + 1;
    try {
      SandboxInfo info = runtime.runSandbox(sandboxSpec(pod, attempt));
      String ip = PodSpecs.hostNetwork(pod) || info.ipAddress().isEmpty() ? config.nodeIp() : info.ipAddress();
      podIps.put(podUid, ip);
      if (latest != null) {
        ContainerSummary old = latest;
        bestEffort("removing old sandbox " + old.id(), () -> runtime.removeContainer(old.id()));
      }
      return info.id();
    } catch (ContainerRuntimeException e) {
      recorder.record(pod, null, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: "
          + e.getMessage());
      state.wakeIn(Duration.ofSeconds(5));
      return null;
    }
  }

  private SandboxSpec sandboxSpec(ObjectNode pod, int attempt) {
    SandboxSpec.Builder builder = SandboxSpec.builder(Meta.uid(pod), Meta.name(pod), Meta.namespace(pod))
        .attempt(attempt)
        .hostNetwork(PodSpecs.hostNetwork(pod))
        .hostIpc(Json.at(pod, "spec", "hostIPC") != null && Json.at(pod, "spec", "hostIPC").asBoolean());
    String hostname = Json.text(pod, "spec", "hostname");
    if (hostname != null && !hostname.isEmpty()) {
      builder.hostname(hostname);
    }
    String dnsPolicy = Json.text(pod, "spec", "dnsPolicy");
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    boolean clusterFirst = dnsPolicy == null || dnsPolicy.equals("ClusterFirst")
        || (dnsPolicy.equals("ClusterFirstWithHostNet") && PodSpecs.hostNetwork(pod));
    if (clusterFirst && !PodSpecs.hostNetwork(pod) || "ClusterFirstWithHostNet".equals(dnsPolicy)) {
      if (!config.clusterDns().isEmpty()) {
        servers.addAll(config.clusterDns());
        if (!config.searchDomains().isEmpty()) {
          String domain = config.searchDomains();
          searches.add(Meta.namespace(pod) + ".svc." + domain);
          searches.add("svc." + domain);
          searches.add(domain);
        }
        options.add("ndots:5");
      }
    }
    JsonNode dnsConfig = Json.at(pod, "spec", "dnsConfig");
    if (dnsConfig != null) {
      dnsConfig.path("nameservers").forEach(n -> servers.add(n.asText()));
      dnsConfig.path("searches").forEach(n -> searches.add(n.asText()));
      dnsConfig.path("options").forEach(n -> options.add(n.path("value").isMissingNode()
          ? n.path("name").asText() : n.path("name").asText() + ":" + n.path("value").asText()));
    }
    builder.dnsServers(servers).dnsSearches(searches).dnsOptions(options);
    List<String> hosts = new ArrayList<>();
    for (JsonNode alias : PodSpecs.objectsOf(Json.at(pod, "spec", "hostAliases"))) {
      alias.path("hostnames").forEach(h -> hosts.add(h.asText() + ":" + alias.path("ip").asText()));
    }
    builder.extraHosts(hosts);
    List<PortMapping> ports = new ArrayList<>();
    for (ObjectNode container : PodSpecs.containers(pod)) {
      for (JsonNode port : PodSpecs.objectsOf(container.get("ports"))) {
        int hostPort = port.path("hostPort").asInt(0);
        if (hostPort > 0 && !PodSpecs.hostNetwork(pod)) {
          ports.add(new PortMapping(port.path("containerPort").asInt(), hostPort, port.path("hostIP").asText(""),
              port.path("protocol").asText("TCP")));
        }
      }
    }
    builder.portMappings(ports);
    return builder.build();
  }

  // ------------------------------------------------------------------------------------------------ containers

  /** Kills a running container whose liveness/startup probe failed or whose spec changed; true if it did. */
  private boolean restartIfUnhealthy(ObjectNode pod, ObjectNode container, ContainerStatus running,
      String fieldPath) {
    String name = PodSpecs.name(container);
    Optional<ProbeType> failed = probes.restartNeeded(running.id());
    String message = null;
    if (failed.isPresent()) {
      message = "Container " + name + " failed " + failed.get().label().toLowerCase(java.util.Locale.ROOT)
          + " probe, will be restarted";
    } else if (!PodSpecs.hash(container).equals(running.labels().get(RuntimeLabels.CONFIG_HASH))) {
      message = "Container " + name + " definition changed, will be restarted";
    }
    if (message == null) {
      return false;
    }
    recorder.record(pod, fieldPath, "Normal", "Killing", message);
    long grace = gracePeriod(pod);
    JsonNode probeGrace = failed.isPresent() ? container.path(failed.get().field()).get(
        "terminationGracePeriodSeconds") : null;
    if (probeGrace != null && probeGrace.canConvertToLong()) {
      grace = probeGrace.asLong();
    }
    runtime.stopContainer(running.id(), grace);
    return true;
  }

  /**
   * Starts a new instance of a container unless its restart back-off holds it; records waiting reasons.
   *
   * @return whether a container was created
   */
  private boolean startContainer(ObjectNode pod, ObjectNode container, ContainerStatus previous, String sandboxId,
      Map<String, VolumeManager.Prepared> prepared, SyncState state, boolean init) {
    String name = PodSpecs.name(container);
    String uid = Meta.uid(pod);
    String fieldPath = (init ? "spec.initContainers{" : "spec.containers{") + name + "}";
    String key = uid + "/" + name;
    if (previous != null && !previous.running()) {
      Instant finished = previous.finishedAt() != null ? previous.finishedAt() : previous.createdAt();
      if (crashBackOff.inBackOffSince(key, finished)) {
        Duration delay = crashBackOff.delay(key);
        state.waiting.put(name, new Waiting("CrashLoopBackOff", "back-off " + format(delay)
            + " restarting failed container=" + name + " pod=" + PodSpecs.describe(pod)));
        recorder.record(pod, fieldPath, "Warning", "BackOff", "Back-off restarting failed container " + name
            + " in pod " + PodSpecs.describe(pod));
        state.wakeIn(crashBackOff.remaining(key, finished).plusMillis(100));
        return false;
      }
      crashBackOff.next(key);
    }
    try {
      images.ensure(pod, container, fieldPath);
    } catch (ImageManager.ImageException e) {
      state.waiting.put(name, new Waiting(e.reason(), e.getMessage()));
      state.wakeIn(Duration.ofSeconds(e.reason().equals("ErrImagePull") ? 1 : 10));
      return false;
    }
    int restartCount = previous == null ? 0 : previous.restartCount() + 1;
    ContainerSpec spec;
    try {
      spec = containerSpec(pod, container, sandboxId, restartCount, prepared);
    } catch (ConfigException e) {
      state.waiting.put(name, new Waiting("CreateContainerConfigError", e.getMessage()));
      recorder.record(pod, fieldPath, "Warning", "Failed", "Error: " + e.getMessage());
      state.wakeIn(Duration.ofSeconds(10));
      return false;
    }
    String id;
    try {
      id = runtime.createContainer(spec);
    } catch (ContainerRuntimeException e) {
      state.waiting.put(name, new Waiting("CreateContainerError", e.getMessage()));
      recorder.record(pod, fieldPath, "Warning", "Failed", "Error: " + e.getMessage());
      state.wakeIn(Duration.ofSeconds(10));
      return false;
    }
    recorder.record(pod, fieldPath, "Normal", "Created", "Created container: " + name);
    try {
      runtime.startContainer(id);
    } catch (ContainerRuntimeException e) {
      recorder.record(pod, fieldPath, "Warning", "Failed", "Error: " + e.getMessage());
      return true;
    }
    recorder.record(pod, fieldPath, "Normal", "Started", "Started container " + name);
    JsonNode postStart = Json.at(container, "lifecycle", "postStart");
    if (postStart != null && !postStart.isNull()) {
      Prober.Result result = hookRunner.probe(postStart, new Prober.Target(pod, container, id,
          podIps.getOrDefault(uid, "")), Duration.ofSeconds(Math.max(1, gracePeriod(pod))));
      if (!result.success()) {
        recorder.record(pod, fieldPath, "Warning", "FailedPostStartHook", "PostStartHook failed: "
            + result.message());
        runtime.stopContainer(id, gracePeriod(pod));
      }
    }
    return true;
  }

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

  private ContainerSpec containerSpec(ObjectNode pod, ObjectNode container, String sandboxId, int restartCount,
      Map<String, VolumeManager.Prepared> prepared) throws ConfigException {
    Map<String, String> env = environment.resolve(pod, container);
    List<String> command = new ArrayList<>();
    container.path("command").forEach(part -> command.add(Expansion.expand(part.asText(), env)));
    List<String> args = new ArrayList<>();
    container.path("args").forEach(part -> args.add(Expansion.expand(part.asText(), env)));
    List<MountSpec> mounts = VolumeManager.mounts(container, prepared);
    JsonNode podSecurity = Json.at(pod, "spec", "securityContext");
    JsonNode security = container.get("securityContext");
    Long user = longField(security, "runAsUser");
    if (user == null) {
      user = longField(podSecurity, "runAsUser");
    }
    Long group = longField(security, "runAsGroup");
    if (group == null) {
      group = longField(podSecurity, "runAsGroup");
    }
    List<Long> groups = new ArrayList<>();
    if (podSecurity != null) {
      podSecurity.path("supplementalGroups").forEach(g -> groups.add(g.asLong()));
      if (podSecurity.hasNonNull("fsGroup")) {
        groups.add(podSecurity.get("fsGroup").asLong());
      }
    }
    List<String> added = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    if (security != null) {
      security.path("capabilities").path("add").forEach(c -> added.add(c.asText()));
      security.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
    }
    SecuritySpec securitySpec = new SecuritySpec(SecuritySpec.userOf(user, group), groups,
        security != null && security.path("privileged").asBoolean(false), added, dropped,
        security != null && security.path("readOnlyRootFilesystem").asBoolean(false));
    ResourceSpec resources;
    try {
      resources = new ResourceSpec(
          quantity(container, "requests", "cpu", true), quantity(container, "limits", "cpu", true),
          quantity(container, "limits", "memory", false), quantity(container, "requests", "memory", false));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("invalid resources: " + e.getMessage());
    }
    JsonNode share = Json.at(pod, "spec", "shareProcessNamespace");
    JsonNode hostPid = Json.at(pod, "spec", "hostPID");
    return ContainerSpec.builder(Meta.uid(pod), Meta.name(pod), Meta.namespace(pod), PodSpecs.name(container))
        .restartCount(restartCount)
        .sandboxId(sandboxId)
        .image(container.path("image").asText())
        .command(command)
        .args(args)
        .env(env)
        .workingDir(container.path("workingDir").asText(""))
        .mounts(mounts)
        .resources(resources)
        .security(securitySpec)
        .tty(container.path("tty").asBoolean(false))
        .stdin(container.path("stdin").asBoolean(false))
        .stdinOnce(container.path("stdinOnce").asBoolean(false))
        .shareProcessNamespace(share != null && share.asBoolean(false))
        .hostPid(hostPid != null && hostPid.asBoolean(false))
        .configHash(PodSpecs.hash(container))
        .build();
  }

  private static Long longField(JsonNode node, String field) {
    return node != null && node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  private static long quantity(JsonNode container, String kind, String resource, boolean millis) {
    JsonNode value = Json.at(container, "resources", kind, resource);
    if (value == null || value.isNull()) {
      if (kind.equals("requests")) {
        value = Json.at(container, "resources", "limits", resource);
      }
      if (value == null || value.isNull()) {
        return 0;
      }
    }
    Quantity amount = Quantity.parse(value.asText());
    return millis ? amount.milliValue() : amount.value();
  }

  private static long gracePeriod(JsonNode pod) {
    JsonNode grace = Json.at(pod, "spec", "terminationGracePeriodSeconds");
    return grace != null && grace.canConvertToLong() ? Math.max(0, grace.asLong()) : 30;
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
  private void terminate(ObjectNode pod) {
    JsonNode graceNode = Json.at(pod, "metadata", "deletionGracePeriodSeconds");
    long grace = graceNode != null && graceNode.canConvertToLong() ? graceNode.asLong() : gracePeriod(pod);
    teardown(Meta.uid(pod), pod, grace);
    try {
      client.delete(ResourceTypes.PODS, Meta.namespace(pod), Meta.name(pod),
          new DeleteOptions(0L, null, Meta.uid(pod), null, false));
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
  }

  /** Stops and removes every engine container of a pod and its directory. */
  void teardown(String podUid, ObjectNode pod, long grace) {
    List<ContainerSummary> summaries = runtime.listContainers(Map.of(RuntimeLabels.POD_UID, podUid));
    probes.remove(podUid);
    Instant deadline = clock.instant().plusSeconds(grace);
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ContainerSummary summary : summaries) {
      if (summary.sandbox() || summary.state() != ContainerState.RUNNING) {
        continue;
      }
      stops.add(CompletableFuture.runAsync(() -> {
        String name = summary.containerName();
        if (pod != null) {
          Optional<ObjectNode> container = PodSpecs.container(pod, name);
          String fieldPath = PodSpecs.containers(pod).stream().anyMatch(c -> PodSpecs.name(c).equals(name))
              ? "spec.containers{" + name + "}" : "spec.initContainers{" + name + "}";
          recorder.record(pod, fieldPath, "Normal", "Killing", "Stopping container " + name);
          JsonNode preStop = container.map(c -> Json.at(c, "lifecycle", "preStop")).orElse(null);
          if (preStop != null && !preStop.isNull() && grace > 0) {
            Prober.Result result = hookRunner.probe(preStop, new Prober.Target(pod, container.get(), summary.id(),
                podIps.getOrDefault(podUid, "")), Duration.ofSeconds(grace));
            if (!result.success()) {
              recorder.record(pod, fieldPath, "Warning", "FailedPreStopHook", "PreStopHook failed: "
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
    for (ContainerSummary summary : summaries) {
      if (summary.sandbox()) {
        runtime.stopSandbox(summary.id());
      }
    }
    for (ContainerSummary summary : summaries) {
      runtime.removeContainer(summary.id());
    }
    podIps.remove(podUid);
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
  private String writeStatus(ObjectNode pod, String podUid, Map<String, List<ContainerStatus>> instances,
      String sandboxId, SyncState state, String podIp) {
    PodStatusBuilder builder = new PodStatusBuilder(pod, clock.instant(), config.nodeIp(), podIp,
        sandboxId != null, state.initFailed, state.waiting, probes);
    ObjectNode desired = builder.build(instances);
    String phase = desired.path("phase").asText();
    try {
      client.modifyStatus(ResourceTypes.PODS, Meta.namespace(pod), Meta.name(pod), current -> {
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
    List<ProbeManager.Running> running = new ArrayList<>();
    for (ObjectNode container : allContainers(pod)) {
      List<ContainerStatus> mine = instances.getOrDefault(PodSpecs.name(container), List.of());
      if (!mine.isEmpty() && mine.get(0).running() && mine.get(0).startedAt() != null) {
        boolean init = PodSpecs.initContainers(pod).contains(container);
        running.add(new ProbeManager.Running(mine.get(0).id(), container, mine.get(0).startedAt(),
            (init ? "spec.initContainers{" : "spec.containers{") + PodSpecs.name(container) + "}"));
      }
    }
    probes.update(pod, podIp, running);
    return phase;
  }

  private static List<ObjectNode> allContainers(ObjectNode pod) {
    List<ObjectNode> all = new ArrayList<>(PodSpecs.initContainers(pod));
    all.addAll(PodSpecs.containers(pod));
    return all;
  }
}
