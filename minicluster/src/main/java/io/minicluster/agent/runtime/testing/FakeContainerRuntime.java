package io.minicluster.agent.runtime.testing;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.EngineInfo;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.ImageReference;
import io.minicluster.agent.runtime.ImagePullException;
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
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
 * In-memory {@link ContainerRuntime} for pod worker tests. Containers never run anything: tests drive them with
 * {@link #exit(String, int, boolean)}; images are present when {@link #addImage(String)} was called, pullable when
 * {@link #makePullable(String)} was; every call is recorded in {@link #calls()}; events go to all subscribers.
 * Thread-safe.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
  private final Clock clock;
  private final Map<String, ContainerStatus> containers = new ConcurrentHashMap<>();
  private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
  private final Set<String> images = ConcurrentHashMap.newKeySet();
  private final Set<String> pullable = ConcurrentHashMap.newKeySet();
  private final Map<String, String> startFailures = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<Consumer<RuntimeEvent>> subscribers = new CopyOnWriteArrayList<>();
  private final Map<List<String>, Integer> execResults = new ConcurrentHashMap<>();
  private volatile boolean reachable = true;
  private volatile int nextIp = 2;
  private volatile int nextId = 1;

  public FakeContainerRuntime(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  public FakeContainerRuntime() {
    this(Clock.systemUTC());
  }

  // ------------------------------------------------------------- test controls

  /** Makes an image present locally. */
  public void addImage(String reference) {
    images.add(ImageReference.parse(reference).normalized());
  }

  /** Lets {@link #pullImage} succeed for this image (otherwise pulls fail like with no registry). */
  public void makePullable(String reference) {
    pullable.add(ImageReference.parse(reference).normalized());
  }

  /** Makes starting containers of {@code image} fail with {@code error} (like "executable file not found"). */
  public void failStartsOf(String image, String error) {
    startFailures.put(ImageReference.parse(image).normalized(), error);
  }

  /** Whether {@link #ping()} answers. */
  public void setReachable(boolean value) {
    reachable = value;
  }

  /** Exit code returned by {@link #exec} for {@code command} (default 0). */
  public void setExecResult(List<String> command, int exitCode) {
    execResults.put(List.copyOf(command), exitCode);
  }

  /** Appends a line to a container's log. */
  public void appendLog(String containerId, String line) {
    logs.computeIfAbsent(containerId, id -> new CopyOnWriteArrayList<>()).add(line);
  }

  /** Lets a running container exit, emitting DIE (and OOM first if {@code oomKilled}). */
  public synchronized void exit(String containerId, int exitCode, boolean oomKilled) {
    ContainerStatus status = require(containerId);
    if (status.state() != ContainerState.RUNNING) {
      throw new IllegalStateException("container " + containerId + " is not running");
    }
    put(copy(status, ContainerState.EXITED, exitCode, oomKilled, status.startedAt(), clock.instant(), ""));
    if (oomKilled) {
      emit(RuntimeEvent.Type.OOM, containerId, -1);
    }
    emit(RuntimeEvent.Type.DIE, containerId, exitCode);
  }

  /** Every call made, as "operation argument" strings, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** All containers, including exited ones. */
  public List<ContainerStatus> containers() {
    return List.copyOf(containers.values());
  }

  // ------------------------------------------------------------- ContainerRuntime

  @Override
  public EngineInfo info() {
    record("info");
    return new EngineInfo("20.10.24", "1.41", 2, 4L << 30, "6.1.0-fake", "Fake Linux", "linux", "x86_64", "fake-node",
        "/var/lib/docker");
  }

  @Override
  public boolean ping() {
    record("ping");
    return reachable;
  }

  @Override
  public void ensureNetwork(String cidr) {
    record("ensureNetwork " + cidr);
  }

  @Override
  public String ensureSandboxImage() {
    record("ensureSandboxImage");
    addImage("minicluster.local/pause:1");
    return "minicluster.local/pause:1";
  }

  @Override
  public synchronized SandboxInfo runSandbox(SandboxSpec spec) {
    record("runSandbox " + spec.podNamespace() + "/" + spec.podName());
    String id = newId();
    String ip = spec.hostNetwork() ? "" : spec.ipAddress().isEmpty() ? "10.244.0." + nextIp++ : spec.ipAddress();
    Instant now = clock.instant();
    put(new ContainerStatus(id, RuntimeLabels.sandboxName(spec), ContainerState.RUNNING, 0, false, now, now, null, "",
        0, "minicluster.local/pause:1", "sha256:pause", ip, 1, RuntimeLabels.forSandbox(spec)));
    emit(RuntimeEvent.Type.CREATE, id, -1);
    emit(RuntimeEvent.Type.START, id, -1);
    return new SandboxInfo(id, ip);
  }

  @Override
  public void stopSandbox(String sandboxId) {
    record("stopSandbox " + sandboxId);
    kill(sandboxId);
  }

  @Override
  public synchronized String createContainer(ContainerSpec spec) {
    record("createContainer " + spec.containerName());
    ContainerStatus sandbox = containers.get(spec.sandboxId());
    if (sandbox == null || !sandbox.running()) {
      throw new ContainerRuntimeException("cannot join network of a non running container: " + spec.sandboxId());
    }
    String normalized = ImageReference.parse(spec.image()).normalized();
    if (!images.contains(normalized)) {
      throw new ContainerRuntimeException("No such image: " + spec.image());
    }
    String id = newId();
    put(new ContainerStatus(id, RuntimeLabels.containerName(spec), ContainerState.CREATED, 0, false, clock.instant(),
        null, null, "", spec.restartCount(), spec.image(), "sha256:" + Integer.toHexString(normalized.hashCode()), "",
        0, RuntimeLabels.forContainer(spec)));
    emit(RuntimeEvent.Type.CREATE, id, -1);
    return id;
  }

  @Override
  public synchronized void startContainer(String containerId) {
    record("startContainer " + containerId);
    ContainerStatus status = require(containerId);
    String failure = startFailures.get(ImageReference.parse(status.image()).normalized());
    if (failure != null) {
      put(copy(status, ContainerState.CREATED, 127, false, null, null, failure));
      throw new ContainerRuntimeException("starting container " + containerId + ": " + failure);
    }
    put(copy(status, ContainerState.RUNNING, 0, false, clock.instant(), null, ""));
    emit(RuntimeEvent.Type.START, containerId, -1);
  }

  @Override
  public void stopContainer(String containerId, long gracePeriodSeconds) {
    record("stopContainer " + containerId + " " + gracePeriodSeconds);
    stopWith(containerId, 143);
  }

  @Override
  public void killContainer(String containerId) {
    record("killContainer " + containerId);
    kill(containerId);
  }

  private void kill(String containerId) {
    stopWith(containerId, 137);
  }

  private synchronized void stopWith(String containerId, int exitCode) {
    ContainerStatus status = containers.get(containerId);
    if (status != null && status.running()) {
      exit(containerId, exitCode, false);
    }
  }

  @Override
  public synchronized void removeContainer(String containerId) {
    record("removeContainer " + containerId);
    if (containers.containsKey(containerId)) {
      emit(RuntimeEvent.Type.DESTROY, containerId, -1);
      containers.remove(containerId);
      logs.remove(containerId);
    }
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labelFilter) {
    record("listContainers " + labelFilter);
    List<ContainerSummary> result = new ArrayList<>();
    for (ContainerStatus status : containers.values()) {
      if (status.labels().entrySet().containsAll(labelFilter.entrySet())) {
        result.add(new ContainerSummary(status.id(), status.name(), status.state(), status.image(), status.imageId(),
            status.createdAt(), status.labels()));
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
    String normalized = ImageReference.parse(imageReference).normalized();
    return images.contains(normalized) ? Optional.of("sha256:" + Integer.toHexString(normalized.hashCode()))
        : Optional.empty();
  }

  @Override
  public void pullImage(String imageReference, Optional<RegistryAuth> auth) {
    record("pullImage " + imageReference);
    String normalized = ImageReference.parse(imageReference).normalized();
    if (!pullable.contains(normalized)) {
      throw new ImagePullException(imageReference, "Get \"https://" + ImageReference.parse(imageReference).domain()
          + "/v2/\": dial tcp: lookup: no such host", null);
    }
    images.add(normalized);
  }

  @Override
  public List<ImageSummary> listImages() {
    return images.stream().map(name -> new ImageSummary("sha256:" + Integer.toHexString(name.hashCode()),
        List.of(name), 1024)).toList();
  }

  @Override
  public StreamSession logs(String containerId, LogOptions options, FrameSink sink) {
    record("logs " + containerId);
    require(containerId);
    List<String> lines = new ArrayList<>(logs.getOrDefault(containerId, List.of()));
    if (options.tailLines() >= 0 && lines.size() > options.tailLines()) {
      lines = lines.subList(lines.size() - options.tailLines(), lines.size());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    lines.forEach(line -> bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8)));
    byte[] payload = bytes.toByteArray();
    if (options.limitBytes() > 0 && payload.length > options.limitBytes()) {
      payload = java.util.Arrays.copyOf(payload, (int) options.limitBytes());
    }
    if (payload.length > 0) {
      sink.accept(new StreamFrame(StreamFrame.Kind.STDOUT, payload));
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
    record("exec " + containerId + " " + command);
    if (!require(containerId).running()) {
      throw new ContainerRuntimeException("container " + containerId + " is not running");
    }
    return finishedSession(execResults.getOrDefault(List.copyOf(command), 0));
  }

  @Override
  public InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    record("attach " + containerId);
    return finishedSession(require(containerId).running() ? -1 : require(containerId).exitCode());
  }

  private static InteractiveSession finishedSession(int exitCode) {
    CompletableFuture<Integer> code = CompletableFuture.completedFuture(exitCode);
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    return new InteractiveSession() {
      @Override
      public OutputStream stdin() {
        return OutputStream.nullOutputStream();
      }

      @Override
      public void resize(int width, int height) {}

      @Override
      public CompletableFuture<Integer> exitCode() {
        return code;
      }

      @Override
      public CompletableFuture<Void> completion() {
        return done;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Closeable events(Consumer<RuntimeEvent> consumer) {
    subscribers.add(requireNonNull(consumer, "consumer is null"));
    return () -> subscribers.remove(consumer);
  }

  // ------------------------------------------------------------- helpers

  private void record(String call) {
    calls.add(call);
  }

  private String newId() {
    return String.format("%064x", nextId++);
  }

  private ContainerStatus require(String containerId) {
    ContainerStatus status = containers.get(containerId);
    if (status == null) {
      throw new ContainerRuntimeException("No such container: " + containerId);
    }
    return status;
  }

  private void put(ContainerStatus status) {
    containers.put(status.id(), status);
  }

  private static ContainerStatus copy(ContainerStatus status, ContainerState state, int exitCode, boolean oomKilled,
      Instant startedAt, Instant finishedAt, String error) {
    return new ContainerStatus(status.id(), status.name(), state, exitCode, oomKilled, status.createdAt(), startedAt,
        finishedAt, error, status.restartCount(), status.image(), status.imageId(), status.ipAddress(), status.pid(),
        new LinkedHashMap<>(status.labels()));
  }

  private void emit(RuntimeEvent.Type type, String containerId, int exitCode) {
    ContainerStatus status = containers.get(containerId);
    Map<String, String> labels = status == null ? Map.of() : status.labels();
    RuntimeEvent event = new RuntimeEvent(type, containerId, labels, clock.instant(), exitCode);
    for (Consumer<RuntimeEvent> subscriber : subscribers) {
      subscriber.accept(event);
    }
  }
}
