package io.minicluster.agent;

import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.EngineInfo;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.ImagePullException;
import io.minicluster.agent.runtime.ImageReference;
import io.minicluster.agent.runtime.ImageSummary;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.LogOptions;
import io.minicluster.agent.runtime.RegistryAuth;
import io.minicluster.agent.runtime.RuntimeEvent;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.runtime.SandboxInfo;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.agent.runtime.StreamFrame;
import io.minicluster.agent.runtime.StreamSession;
import io.minicluster.testing.MutableClock;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A hand-written in-memory container engine for the agent's unit tests: containers never run anything, tests make them
 * exit with {@link #exit}; images are present after {@link #addImage}; pulls succeed only for {@link #pullable} images.
 */
final class TestRuntime implements ContainerRuntime {
  private final Clock clock;
  final Map<String, ContainerStatus> containers = new ConcurrentHashMap<>();
  final Map<String, ContainerSpec> specs = new ConcurrentHashMap<>();
  final Map<String, String> logs = new ConcurrentHashMap<>();
  final Set<String> images = ConcurrentHashMap.newKeySet();
  final Set<String> pullable = ConcurrentHashMap.newKeySet();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<Consumer<RuntimeEvent>> subscribers = new CopyOnWriteArrayList<>();
  private int nextId = 1;
  private int nextIp = 2;
  /** When the test's engine started: before any container, until {@link #restartEngine}. */
  private Instant engineStartedAt = Instant.EPOCH;

  TestRuntime(Clock clock) {
    this.clock = clock;
  }

  void addImage(String image) {
    images.add(ImageReference.parse(image).normalized());
  }

  void pullable(String image) {
    pullable.add(ImageReference.parse(image).normalized());
  }

  /** Makes a running container exit. */
  synchronized void exit(String id, int code, boolean oom) {
    ContainerStatus c = containers.get(id);
    containers.put(id, new ContainerStatus(c.id(), c.name(), ContainerState.EXITED, code, oom, c.createdAt(),
        c.startedAt(), clock.instant(), "", c.restartCount(), c.image(), c.imageId(), c.ipAddress(), 0, c.labels()));
  }

  /**
   * A restart of the engine as Docker does it without live-restore: every running container is stopped (SIGTERM for
   * application containers, which exit 143; SIGKILL for sandboxes, whose pause process ignores SIGTERM), then the
   * engine starts again, a second later on the test's clock (which this advances).
   */
  synchronized void restartEngine(MutableClock testClock) {
    for (ContainerStatus c : List.copyOf(containers.values())) {
      if (c.running()) {
        exit(c.id(), c.sandbox() ? 137 : 143, false);
      }
    }
    testClock.advance(Duration.ofSeconds(1));
    engineStartedAt = testClock.instant();
    testClock.advance(Duration.ofSeconds(1));
    calls.add("restartEngine");
  }

  /** Every instance (running or not) of a pod's container, in creation order. */
  List<ContainerStatus> instances(String podUid, String name) {
    List<ContainerStatus> result = new ArrayList<>();
    containers.values().stream()
        .filter(c -> podUid.equals(c.labels().get(RuntimeLabels.POD_UID))
            && name.equals(c.labels().get(RuntimeLabels.CONTAINER_NAME)))
        .sorted((a, b) -> Integer.compare(Integer.parseInt(a.id().substring(1)), Integer.parseInt(b.id().substring(1))))
        .forEach(result::add);
    return result;
  }

  List<ContainerStatus> sandboxes(String podUid) {
    return containers.values().stream()
        .filter(c -> c.sandbox() && podUid.equals(c.labels().get(RuntimeLabels.POD_UID))).toList();
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo("20.10.24", "1.41", 2, 4L << 30, "6.1", "Test OS", "linux", "x86_64", "test", "/var/lib");
  }

  @Override
  public boolean ping() {
    return true;
  }

  @Override
  public void ensureNetwork(String cidr) {
    calls.add("ensureNetwork " + cidr);
  }

  @Override
  public String ensureSandboxImage() {
    return "minicluster.local/pause:1";
  }

  @Override
  public synchronized SandboxInfo runSandbox(SandboxSpec spec) {
    String id = engineId(nextId++);
    String ip = spec.hostNetwork() ? "" : "10.244.0." + nextIp++;
    Instant now = clock.instant();
    containers.put(id, new ContainerStatus(id, RuntimeLabels.sandboxName(spec), ContainerState.RUNNING, 0, false, now,
        now, null, "", 0, "pause", "sha256:pause", ip, 1, RuntimeLabels.forSandbox(spec)));
    calls.add("runSandbox " + spec.podName() + " " + spec.attempt());
    return new SandboxInfo(id, ip);
  }

  @Override
  public Optional<Instant> engineStartedAt() {
    return Optional.of(engineStartedAt);
  }

  /** Starts a stopped sandbox with {@code preferredIp} unless a running sandbox has it, else with a new address. */
  @Override
  public synchronized SandboxInfo startSandbox(String sandboxId, String preferredIp) {
    refuseIfStuck(sandboxId, "starting sandbox");
    ContainerStatus c = containers.get(sandboxId);
    if (c == null) {
      throw new ContainerRuntimeException("No such container: " + sandboxId);
    }
    boolean taken = containers.values().stream()
        .anyMatch(other -> other.running() && other.sandbox() && other.ipAddress().equals(preferredIp));
    String ip = preferredIp.isEmpty() || taken ? "10.244.0." + nextIp++ : preferredIp;
    containers.put(sandboxId, new ContainerStatus(c.id(), c.name(), ContainerState.RUNNING, 0, false, c.createdAt(),
        clock.instant(), null, "", c.restartCount(), c.image(), c.imageId(), ip, 1, c.labels()));
    calls.add("startSandbox " + c.labels().get(RuntimeLabels.POD_NAME));
    return new SandboxInfo(sandboxId, ip);
  }

  /** Containers the engine can neither stop nor remove (Docker's "dead" after a failed removal). */
  final Set<String> stuck = ConcurrentHashMap.newKeySet();

  private void refuseIfStuck(String id, String action) {
    if (stuck.contains(id)) {
      throw new ContainerRuntimeException(action + " " + id + ": driver \"overlay2\" failed to remove root "
          + "filesystem: device or resource busy");
    }
  }

  @Override
  public synchronized void stopSandbox(String sandboxId) {
    refuseIfStuck(sandboxId, "stopping sandbox");
    ContainerStatus c = containers.get(sandboxId);
    if (c != null && c.running()) {
      exit(sandboxId, 137, false);
    }
  }

  @Override
  public synchronized String createContainer(ContainerSpec spec) {
    if (!images.contains(ImageReference.parse(spec.image()).normalized())) {
      throw new ContainerRuntimeException("No such image: " + spec.image());
    }
    String id = engineId(nextId++);
    containers.put(id, new ContainerStatus(id, RuntimeLabels.containerName(spec), ContainerState.CREATED, 0, false,
        clock.instant(), null, null, "", spec.restartCount(), spec.image(), "sha256:" + spec.image().hashCode(), "",
        0, RuntimeLabels.forContainer(spec)));
    specs.put(id, spec);
    calls.add("create " + spec.containerName() + " " + spec.restartCount());
    return id;
  }

  @Override
  public synchronized void startContainer(String containerId) {
    ContainerStatus c = containers.get(containerId);
    containers.put(containerId, new ContainerStatus(c.id(), c.name(), ContainerState.RUNNING, 0, false, c.createdAt(),
        clock.instant(), null, "", c.restartCount(), c.image(), c.imageId(), "", 2, c.labels()));
    calls.add("start " + c.labels().get(RuntimeLabels.CONTAINER_NAME));
  }

  @Override
  public synchronized void stopContainer(String containerId, long gracePeriodSeconds) {
    ContainerStatus c = containers.get(containerId);
    if (c != null && c.running()) {
      calls.add("stop " + c.labels().get(RuntimeLabels.CONTAINER_NAME) + " " + gracePeriodSeconds);
      exit(containerId, 143, false);
    }
  }

  @Override
  public synchronized void killContainer(String containerId) {
    ContainerStatus c = containers.get(containerId);
    if (c != null && c.running()) {
      exit(containerId, 137, false);
    }
  }

  @Override
  public synchronized void removeContainer(String containerId) {
    refuseIfStuck(containerId, "removing container");
    if (containers.remove(containerId) != null) {
      calls.add("remove " + containerId);
    }
  }

  @Override
  public synchronized List<ContainerSummary> listContainers(Map<String, String> labelFilter) {
    List<ContainerSummary> result = new ArrayList<>();
    for (ContainerStatus c : containers.values()) {
      boolean matches = labelFilter.entrySet().stream().allMatch(e -> e.getValue().equals(c.labels().get(e.getKey())));
      if (matches) {
        result.add(new ContainerSummary(c.id(), c.name(), c.state(), c.image(), c.imageId(), c.createdAt(),
            c.labels()));
      }
    }
    return result;
  }

  @Override
  public Optional<ContainerStatus> inspect(String containerId) {
    return Optional.ofNullable(containers.get(containerId));
  }

  @Override
  public boolean imagePresent(String imageReference) {
    return images.contains(ImageReference.parse(imageReference).normalized());
  }

  @Override
  public Optional<String> imageId(String imageReference) {
    return imagePresent(imageReference) ? Optional.of("sha256:" + imageReference.hashCode()) : Optional.empty();
  }

  @Override
  public void pullImage(String imageReference, Optional<RegistryAuth> auth) {
    calls.add("pull " + imageReference);
    String normalized = ImageReference.parse(imageReference).normalized();
    if (!pullable.contains(normalized)) {
      throw new ImagePullException(imageReference, "dial tcp: lookup registry-1.docker.io: no such host", null);
    }
    images.add(normalized);
  }

  @Override
  public List<ImageSummary> listImages() {
    return images.stream().map(i -> new ImageSummary("sha256:" + i.hashCode(), List.of(i), 1)).toList();
  }

  @Override
  public StreamSession logs(String containerId, LogOptions options, FrameSink sink) {
    String text = logs.getOrDefault(containerId, "");
    List<String> lines = new ArrayList<>(List.of(text.split("(?<=\n)")));
    if (options.tailLines() >= 0 && lines.size() > options.tailLines()) {
      lines = lines.subList(lines.size() - options.tailLines(), lines.size());
    }
    for (String line : lines) {
      if (!line.isEmpty()) {
        sink.accept(new StreamFrame(StreamFrame.Kind.STDOUT, line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    return new StreamSession() {
      @Override
      public CompletableFuture<Void> completion() {
        return done;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin,
      FrameSink sink) {
    throw new ContainerRuntimeException("exec is not supported by the test runtime");
  }

  @Override
  public InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    throw new ContainerRuntimeException("attach is not supported by the test runtime");
  }

  @Override
  public Closeable events(Consumer<RuntimeEvent> consumer) {
    subscribers.add(consumer);
    return () -> subscribers.remove(consumer);
  }

  /** Ids of the engine's form (64 hexadecimal digits), as cgroup paths name them. */
  private static String engineId(int number) {
    return String.format("%064x", number);
  }

  Map<String, String> labelsOf(String id) {
    return new LinkedHashMap<>(containers.get(id).labels());
  }
}
