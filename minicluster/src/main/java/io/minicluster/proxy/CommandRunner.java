package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs the host's network tools (iptables-save/restore, conntrack). */
public interface CommandRunner {
  /** What a command did. */
  record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs a command with {@code stdin} (null: none) and waits for it.
   *
   * @throws IOException when the command cannot be started (not installed)
   */
  Result run(List<String> command, String stdin) throws IOException;

  /** Whether a command can be started (a missing tool). */
  default boolean exists(String tool) {
    try {
      run(List.of(tool, "--version"), null);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Commands run on this host, in its network namespace. */
  static CommandRunner host() {
    return CommandRunner::runProcess;
  }

  /** Commands run inside a named network namespace ({@code ip netns exec NAME ...}), for tests and benchmarks. */
  static CommandRunner inNamespace(String namespace) {
    requireNonNull(namespace, "namespace is null");
    return new CommandRunner() {
      @Override
      public Result run(List<String> command, String stdin) throws IOException {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        wrapped.addAll(command);
        return runProcess(wrapped, stdin);
      }

      @Override
      public boolean exists(String tool) {
        return host().exists(tool);
      }
    };
  }

  private static Result runProcess(List<String> command, String stdin) throws IOException {
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    } catch (ExecutionException e) {
      throw new IOException("reading the output of " + String.join(" ", command), e.getCause());
    }
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
