package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.oom.OomWatcher;
import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} on a Docker engine: composes the parts that each own one concern over one shared
 * {@link EngineClient}: {@link DockerNetwork} (the pod network), {@link DockerImages} (images and the sandbox image),
 * {@link DockerContainers} (sandboxes and containers), {@link DockerStreams} (logs, exec, attach) and
 * {@link DockerEvents} (the engine's events and the kernel's OOM kills).
 */
public final class DockerRuntime implements ContainerRuntime, AutoCloseable {
  private final EngineClient engine;
  private final DockerNetwork network;
  private final DockerImages images;
  private final DockerContainers containers;
  private final DockerStreams streams;
  private final DockerEvents events;
  private final EngineProcess engineProcess;

  private DockerRuntime(EngineClient engine, OomWatcher oomWatcher) {
    this.engine = engine;
    this.network = new DockerNetwork(engine);
    this.images = new DockerImages(engine);
    this.containers = new DockerContainers(engine, images, oomWatcher);
    this.streams = new DockerStreams(engine, containers);
    this.events = new DockerEvents(engine, oomWatcher);
    this.engineProcess = new EngineProcess(engine.config().dockerHost().startsWith("unix://"),
        EngineProcess.PID_FILES);
  }

  /**
   * A runtime talking to {@code config.dockerHost()}: connections time out after 5 s, responses never (streams such as
   * logs, events and exec stay open as long as they need). Does not contact the engine yet.
   *
   * @param oomWatcher the kernel's word on OOM kills, added to the engine's (which can miss them)
   */
  public static DockerRuntime connect(DockerRuntimeConfig config, OomWatcher oomWatcher) {
    requireNonNull(config, "config is null");
    requireNonNull(oomWatcher, "oomWatcher is null");
    return new DockerRuntime(EngineClient.connect(config), oomWatcher);
  }

  public DockerRuntimeConfig config() {
    return engine.config();
  }

  @Override
  public void close() {
    engine.close();
  }

  // ---------------------------------------------------------------- engine

  @Override
  public EngineInfo info() {
    return engine.info();
  }

  @Override
  public boolean ping() {
    return engine.ping();
  }

  @Override
  public Optional<Instant> engineStartedAt() {
    return engineProcess.startedAt();
  }

  // ---------------------------------------------------------------- network

  @Override
  public void ensureNetwork(String cidr) {
    network.ensureNetwork(cidr);
  }

  // ---------------------------------------------------------------- images

  @Override
  public String ensureSandboxImage() {
    return images.ensureSandboxImage();
  }

  @Override
  public boolean imagePresent(String imageReference) {
    return images.imagePresent(imageReference);
  }

  @Override
  public Optional<String> imageId(String imageReference) {
    return images.imageId(imageReference);
  }

  @Override
  public void pullImage(String imageReference, Optional<RegistryAuth> auth) {
    images.pullImage(imageReference, auth);
  }

  @Override
  public List<ImageSummary> listImages() {
    return images.listImages();
  }

  // ---------------------------------------------------------------- sandboxes and containers

  @Override
  public SandboxInfo runSandbox(SandboxSpec spec) {
    return containers.runSandbox(spec);
  }

  @Override
  public SandboxInfo startSandbox(String sandboxId, String preferredIp) {
    return containers.startSandbox(sandboxId, preferredIp);
  }

  @Override
  public void stopSandbox(String sandboxId) {
    containers.stopSandbox(sandboxId);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return containers.createContainer(spec);
  }

  @Override
  public void startContainer(String containerId) {
    containers.startContainer(containerId);
  }

  @Override
  public void stopContainer(String containerId, long gracePeriodSeconds) {
    containers.stopContainer(containerId, gracePeriodSeconds);
  }

  @Override
  public void killContainer(String containerId) {
    containers.killContainer(containerId);
  }

  @Override
  public void removeContainer(String containerId) {
    containers.removeContainer(containerId);
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labelFilter) {
    return containers.listContainers(labelFilter);
  }

  @Override
  public Optional<ContainerStatus> inspect(String containerId) {
    return containers.inspect(containerId);
  }

  @Override
  public Optional<ContainerStats> stats(String containerId) {
    return engine.stats(containerId);
  }

  // ---------------------------------------------------------------- streams and events

  @Override
  public StreamSession logs(String containerId, LogOptions options, FrameSink sink) {
    return streams.logs(containerId, options, sink);
  }

  @Override
  public InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin,
      FrameSink sink) {
    return streams.exec(containerId, command, tty, stdin, sink);
  }

  @Override
  public InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    return streams.attach(containerId, stdin, sink);
  }

  @Override
  public Closeable events(Consumer<RuntimeEvent> consumer) {
    return events.events(consumer);
  }
}
