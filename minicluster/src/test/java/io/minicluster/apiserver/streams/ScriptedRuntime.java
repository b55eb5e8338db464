package io.minicluster.apiserver.streams;

import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ContainerStatus;
import io.minicluster.agent.runtime.ContainerSummary;
import io.minicluster.agent.runtime.EngineInfo;
import io.minicluster.agent.runtime.FrameSink;
import io.minicluster.agent.runtime.ImageSummary;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.agent.runtime.LogOptions;
import io.minicluster.agent.runtime.RegistryAuth;
import io.minicluster.agent.runtime.RuntimeEvent;
import io.minicluster.agent.runtime.SandboxInfo;
import io.minicluster.agent.runtime.SandboxSpec;
import io.minicluster.agent.runtime.StreamFrame;
import io.minicluster.agent.runtime.StreamSession;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A container runtime whose exec sessions run small scripted programs on a thread: {@code echo ARGS},
 * {@code sh -c 'exit N'}, {@code cat} (stdin to stdout until end of file), {@code warn TEXT} (to stderr),
 * {@code big N} (N bytes of stdout), anything else fails to start. Only running containers it knows can be exec'ed.
 */
final class ScriptedRuntime implements ContainerRuntime {
  private final Map<String, Boolean> containers;
  final List<String> resizes = new CopyOnWriteArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> stdinClosed = new CompletableFuture<>();

  /** @param containers container id → running */
  ScriptedRuntime(Map<String, Boolean> containers) {
    this.containers = Map.copyOf(containers);
  }

  @Override
  public Optional<ContainerStatus> inspect(String containerId) {
    Boolean running = containers.get(containerId);
    if (running == null) {
      return Optional.empty();
    }
    return Optional.of(new ContainerStatus(containerId, "c", running ? ContainerState.RUNNING : ContainerState.EXITED,
        0, false, Instant.EPOCH, null, null, "", 0, "busybox", "sha256:0", "", 0, Map.of()));
  }

  @Override
  public InteractiveSession exec(String containerId, List<String> command, boolean tty, boolean stdin,
      FrameSink sink) {
    calls.add("exec " + containerId + " " + command + " tty=" + tty + " stdin=" + stdin);
    if (!Boolean.TRUE.equals(containers.get(containerId))) {
      throw new ContainerRuntimeException("container " + containerId + " is not running");
    }
    String program = command.get(0);
    if (!List.of("echo", "sh", "cat", "warn", "big").contains(program)) {
      throw new ContainerRuntimeException("OCI runtime exec failed: exec: \"" + program
          + "\": executable file not found in $PATH");
    }
    Session session = new Session(sink, tty);
    Thread thread = new Thread(() -> session.run(command), "scripted-exec");
    thread.setDaemon(true);
    thread.start();
    return session;
  }

  @Override
  public InteractiveSession attach(String containerId, boolean stdin, FrameSink sink) {
    calls.add("attach " + containerId + " stdin=" + stdin);
    Session session = new Session(sink, false);
    Thread thread = new Thread(() -> session.run(List.of("cat")), "scripted-attach");
    thread.setDaemon(true);
    thread.start();
    return session;
  }

  private final class Session implements InteractiveSession {
    private final FrameSink sink;
    private final boolean tty;
    private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile boolean closed;
    private final OutputStream stdin = new OutputStream() {
      @Override
      public void write(int value) {
        write(new byte[] {(byte) value}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(bytes, offset, copy, 0, length);
        input.add(copy);
      }

      @Override
      public void close() {
        stdinClosed.complete(null);
        input.add(new byte[0]);
      }
    };

    Session(FrameSink sink, boolean tty) {
      this.sink = sink;
      this.tty = tty;
    }

    void run(List<String> command) {
      int code = 0;
      try {
        switch (command.get(0)) {
          case "echo" -> out(String.join(" ", command.subList(1, command.size())) + "\n");
          case "warn" -> sink.accept(new StreamFrame(tty ? StreamFrame.Kind.STDOUT : StreamFrame.Kind.STDERR,
              (String.join(" ", command.subList(1, command.size())) + "\n").getBytes(StandardCharsets.UTF_8)));
          case "sh" -> code = Integer.parseInt(command.get(2).replace("exit", "").trim());
          case "big" -> {
            int remaining = Integer.parseInt(command.get(1));
            byte[] chunk = new byte[16 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            while (remaining > 0 && !closed) {
              int count = Math.min(chunk.length, remaining);
              sink.accept(new StreamFrame(StreamFrame.Kind.STDOUT, Arrays.copyOf(chunk, count)));
              remaining -= count;
            }
          }
          default -> {
            while (!closed) {
              byte[] next = input.take();
              if (next.length == 0) {
                break;
              }
              sink.accept(new StreamFrame(StreamFrame.Kind.STDOUT, next));
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      completion.complete(null);
      exitCode.complete(code);
    }

    private void out(String text) {
      sink.accept(new StreamFrame(StreamFrame.Kind.STDOUT, text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public OutputStream stdin() {
      return stdin;
    }

    @Override
    public void resize(int width, int height) {
      resizes.add(width + "x" + height);
    }

    @Override
    public CompletableFuture<Integer> exitCode() {
      return exitCode;
    }

    @Override
    public CompletableFuture<Void> completion() {
      return completion;
    }

    @Override
    public void close() {
      closed = true;
      input.add(new byte[0]);
    }
  }

  // ---------------------------------------------------------------- not used by the stream tests

  @Override
  public EngineInfo info() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean ping() {
    return true;
  }

  @Override
  public void ensureNetwork(String cidr) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String ensureSandboxImage() {
    throw new UnsupportedOperationException();
  }

  @Override
  public SandboxInfo runSandbox(SandboxSpec spec) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void stopSandbox(String sandboxId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void startContainer(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void stopContainer(String containerId, long gracePeriodSeconds) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void killContainer(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeContainer(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labelFilter) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean imagePresent(String imageReference) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<String> imageId(String imageReference) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void pullImage(String imageReference, Optional<RegistryAuth> auth) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ImageSummary> listImages() {
    throw new UnsupportedOperationException();
  }

  @Override
  public StreamSession logs(String containerId, LogOptions options, FrameSink sink) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Closeable events(Consumer<RuntimeEvent> consumer) {
    throw new UnsupportedOperationException();
  }

}
