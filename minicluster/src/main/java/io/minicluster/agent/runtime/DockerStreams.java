package io.minicluster.agent.runtime;

import static io.minicluster.agent.runtime.EngineClient.failure;
import static io.minicluster.agent.runtime.EngineClient.shortId;
import static io.minicluster.agent.runtime.EngineClient.sleep;
import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The streams of {@link DockerRuntime}: logs through docker-java, exec and attach over connections of our own
 * ({@link HijackedConnection}) so that closing stdin reaches the process. Port-forward needs no stream: pod IPs are
 * routable from the host.
 */
final class DockerStreams {
  private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(5);
  private static final Duration ATTACH_EXIT_WAIT = Duration.ofSeconds(1);

  private final EngineClient engine;
  private final DockerClient client;
  private final DockerContainers containers;

  DockerStreams(EngineClient engine, DockerContainers containers) {
    this.engine = engine;
    this.client = engine.client();
    this.containers = requireNonNull(containers, "containers is null");
  }

  StreamSession logs(String containerId, LogOptions options, FrameSink sink) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(options, "options is null");
    requireNonNull(sink, "sink is null");
    LogContainerCmd command = client.logContainerCmd(containerId)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(options.follow())
        .withTimestamps(true);
    if (options.tailLines() >= 0) {
      command.withTail(options.tailLines());
    } else {
      command.withTailAll();
    }
    if (options.sinceTime() != null) {
      command.withSince((int) options.sinceTime().getEpochSecond());
    }
    LogFrameCallback callback = new LogFrameCallback(sink, options.limitBytes(),
        new LogLineFormatter(options.timestamps(), options.sinceTime()));
    try {
      command.exec(callback);
    } catch (NotFoundException gone) {
      throw new ContainerRuntimeException("container " + containerId + " not found", gone);
    } catch (RuntimeException exception) {
      throw failure("reading logs of " + containerId, exception);
    }
    return callback;
  }

  /**
   * {@link ContainerRuntime#exec}.
   *
   * <p>The exec is created through docker-java; its start request and the stream are done here over a connection of our
   * own (see {@link HijackedConnection}), because docker-java's transports cannot half-close the connection and so
   * never deliver end-of-file on stdin. Without a TTY, closing {@link InteractiveSession#stdin()} half-closes the
   * connection and the engine closes the command's stdin. With a TTY closing stdin changes nothing (the engine would
   * stop the output instead; a terminal's end-of-file is the character the client types).
   */
  InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin,
      FrameSink sink) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(command, "command is null");
    requireNonNull(sink, "sink is null");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
    String execId;
    try {
      execId = client.execCreateCmd(containerId)
          .withCmd(command.toArray(new String[0]))
          .withTty(tty)
          .withAttachStdin(stdin)
          .withAttachStdout(true)
          .withAttachStderr(true)
          .exec()
          .getId();
    } catch (RuntimeException exception) {
      throw failure("creating exec in " + containerId, exception);
    }
    HijackedConnection connection = engine.openStream("starting exec in " + containerId,
        "/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":" + tty + "}");
    return HijackedSession.start(connection, "docker-exec-" + shortId(execId), tty, stdin, stdin && !tty, sink,
        (width, height) -> {
          try {
            client.resizeExecCmd(execId).withSize(height, width).exec();
          } catch (RuntimeException exception) {
            throw failure("resizing terminal of exec " + execId, exception);
          }
        },
        outputEnded -> execExitCode(execId, outputEnded));
  }

  /**
   * The exec's exit code. After its output ended it may take the engine a moment to record the exit, so this polls for
   * up to {@link #EXIT_CODE_WAIT}; after a close it asks once. -1 while it still runs.
   */
  private int execExitCode(String execId, boolean outputEnded) {
    long deadline = System.nanoTime() + (outputEnded ? EXIT_CODE_WAIT.toNanos() : 0);
    while (true) {
      InspectExecResponse response = client.inspectExecCmd(execId).exec();
      boolean running = Boolean.TRUE.equals(response.isRunning());
      if (!running) {
        Long exitCode = response.getExitCodeLong();
        return exitCode == null ? -1 : exitCode.intValue();
      }
      if (System.nanoTime() >= deadline) {
        return -1;
      }
      sleep(20);
    }
  }

  /**
   * {@link ContainerRuntime#attach}.
   *
   * <p>Streams over a connection of our own like {@link #exec}. Stdin is attached only when asked for and the
   * container was created with an open stdin (otherwise writes fail). Closing stdin half-closes the connection, and the
   * engine does what the kubelet's runtimes do: for a {@code stdinOnce} container without TTY it closes the
   * container's stdin, otherwise it ends this attach; the container keeps running either way. Frames are multiplexed
   * or raw according to the container's TTY setting. Like the kubelet's runtimes, refuses a container that is not
   * running (the engine would accept a created one and wait for its start).
   */
  InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    requireNonNull(containerId, "containerId is null");
    requireNonNull(sink, "sink is null");
    InspectContainerResponse container;
    try {
      container = client.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException gone) {
      throw new ContainerRuntimeException("container " + containerId + " not found", gone);
    } catch (RuntimeException exception) {
      throw failure("attaching to " + containerId, exception);
    }
    if (container.getState() == null || !Boolean.TRUE.equals(container.getState().getRunning())) {
      String state = container.getState() == null ? "unknown" : container.getState().getStatus();
      throw new ContainerRuntimeException("attaching to " + containerId + ": container is not running (" + state
          + ")");
    }
    boolean tty = container.getConfig() != null && Boolean.TRUE.equals(container.getConfig().getTty());
    boolean openStdin = container.getConfig() != null && Boolean.TRUE.equals(container.getConfig().getStdinOpen());
    boolean useStdin = stdin && openStdin;
    String id = container.getId() == null ? containerId : container.getId();
    HijackedConnection connection = engine.openStream("attaching to " + containerId,
        "/containers/" + id + "/attach?stream=1&stdout=1&stderr=1" + (useStdin ? "&stdin=1" : ""), "");
    return HijackedSession.start(connection, "docker-attach-" + shortId(id), tty, useStdin, true, sink,
        (width, height) -> {
          try {
            client.resizeContainerCmd(id).withSize(height, width).exec();
          } catch (RuntimeException exception) {
            throw failure("resizing terminal of " + containerId, exception);
          }
        },
        outputEnded -> attachExitCode(id, outputEnded));
  }

  /** The container's exit code if it stopped (waiting briefly after the output ended), else -1. */
  private int attachExitCode(String containerId, boolean outputEnded) {
    long deadline = System.nanoTime() + (outputEnded ? ATTACH_EXIT_WAIT.toNanos() : 0);
    while (true) {
      Optional<ContainerStatus> status = containers.inspect(containerId);
      if (status.isEmpty()) {
        return -1;
      }
      if (!status.get().running()) {
        return status.get().exitCode();
      }
      if (System.nanoTime() >= deadline) {
        return -1;
      }
      sleep(20);
    }
  }
}
