package io.minicluster.agent.runtime;

import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The node agent's view of the container engine: pods as a sandbox holding the network/IPC namespaces plus application
 * containers joined to it. Every container created here carries {@link RuntimeLabels}; listing only returns those.
 *
 * <p>Engine failures surface as {@link ContainerRuntimeException} (unchecked). Operations on containers that no longer
 * exist are idempotent where that is what a caller wants (stop, kill, remove) and return empty where it is not
 * (inspect).
 *
 * <p>Pod IPs sit on a bridge network of the host and are routable from the host, so port-forward and the SOCKS gateway
 * connect directly to {@code podIp:port}; there is no special port-forward operation.
 */
public interface ContainerRuntime {

  /** Engine and host facts. */
  EngineInfo info();

  /** The engine's version string (nodeInfo reports {@code docker://<version>}). */
  default String version() {
    return info().engineVersion();
  }

  /** Whether the engine answers (for the node's Ready condition). Never throws. */
  boolean ping();

  /**
   * Makes sure the pod network exists with {@code cidr} (gateway: first address). An existing network with the same
   * subnet is reused; one with another subnet is recreated if no container uses it, else this fails.
   */
  void ensureNetwork(String cidr);

  /**
   * Makes sure the sandbox image is present: locally, else pulled, else built locally without any registry. Returns the
   * image reference to use.
   */
  String ensureSandboxImage();

  /** Creates and starts a pod sandbox; returns its id and pod IP. */
  SandboxInfo runSandbox(SandboxSpec spec);

  /**
   * Starts a stopped sandbox again, the same container, asking the pod network for {@code preferredIp} (its pod IP
   * before it stopped; empty: any address) and taking another address when that one is taken; returns its id and pod
   * IP (empty with host network).
   */
  default SandboxInfo startSandbox(String sandboxId, String preferredIp) {
    startContainer(sandboxId);
    return new SandboxInfo(sandboxId, inspect(sandboxId).map(ContainerStatus::ipAddress).orElse(""));
  }

  /**
   * When the engine that runs now started, if the runtime can tell. A container that last started before it and does
   * not run was stopped by a restart of the engine (or before it): the engine stops every container when it stops.
   */
  default Optional<Instant> engineStartedAt() {
    return Optional.empty();
  }

  /** Stops a sandbox at once (SIGKILL: the pause process ignores SIGTERM). Idempotent. */
  void stopSandbox(String sandboxId);

  /** Creates (does not start) an application container joined to its sandbox; returns its id. */
  String createContainer(ContainerSpec spec);

  /** Starts a created container. */
  void startContainer(String containerId);

  /** SIGTERM, then SIGKILL after {@code gracePeriodSeconds}; returns once it stopped. Idempotent. */
  void stopContainer(String containerId, long gracePeriodSeconds);

  /** Sends SIGKILL. Idempotent. */
  void killContainer(String containerId);

  /** Removes a container (and its anonymous volumes), running or not. Idempotent. */
  void removeContainer(String containerId);

  /**
   * All of minicluster's containers (sandboxes and application containers, running or exited) having every label in
   * {@code labelFilter} (empty: all of them).
   */
  List<ContainerSummary> listContainers(Map<String, String> labelFilter);

  /** Details of one container, empty if it does not exist. */
  Optional<ContainerStatus> inspect(String containerId);

  /**
   * One reading of a container's CPU and memory counters (a single, non-streamed engine call); empty if the container
   * does not exist or does not run, or the runtime cannot tell.
   */
  default Optional<ContainerStats> stats(String containerId) {
    return Optional.empty();
  }

  /** Whether the image is present locally. */
  boolean imagePresent(String imageReference);

  /** The local image's id, empty if absent. */
  Optional<String> imageId(String imageReference);

  /**
   * Pulls an image, blocking until done.
   *
   * @throws ImagePullException with the engine's message when the pull failed
   */
  void pullImage(String imageReference, Optional<RegistryAuth> auth);

  /** Local images. */
  List<ImageSummary> listImages();

  /** Streams a container's log to {@code sink}; the session completes when the log ends (or when closed, if following). */
  StreamSession logs(String containerId, LogOptions options, FrameSink sink);

  /**
   * Runs {@code command} in a running container.
   *
   * @param stdin whether the command gets a stdin ({@link InteractiveSession#stdin()})
   * @param sink receives the command's stdout and stderr (merged into stdout with a TTY)
   */
  InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin, FrameSink sink);

  /** Attaches to the main process of a running container (its stdin if it was created with {@code stdin: true}). */
  InteractiveSession attach(String containerId, boolean stdin, FrameSink sink);

  /**
   * Subscribes to create/start/die/oom/destroy events of minicluster's containers, reconnecting when the engine stream
   * ends. {@code consumer} runs on one engine thread. Close the result to unsubscribe.
   */
  Closeable events(Consumer<RuntimeEvent> consumer);
}
