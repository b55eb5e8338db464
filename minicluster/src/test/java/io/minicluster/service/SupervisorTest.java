package io.minicluster.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
  @TempDir
  Path temporary;

  private final ByteArrayOutputStream messages = new ByteArrayOutputStream();

  private Supervisor supervisor(String script) {
    return new Supervisor(List.of("sh", "-c", script), temporary.resolve("log"),
        new PidFile(temporary.resolve("run/minicluster.pid")), Duration.ofSeconds(5),
        new PrintStream(messages, true, StandardCharsets.UTF_8), Duration.ofMillis(50));
  }

  private static void waitFor(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void restartsTheDaemonWhenItExitsAndStopsItWithSigterm() throws Exception {
    Path starts = temporary.resolve("starts");
    // fails twice, then runs until SIGTERM, which it records
    String script = "echo x >> " + starts + "; n=$(wc -l < " + starts + "); echo \"daemon run $n\";"
        + " if [ $n -lt 3 ]; then exit 1; fi;"
        + " trap 'echo terminated > " + temporary.resolve("terminated") + "; exit 0' TERM;"
        + " echo trapped > " + temporary.resolve("trapped") + ";"
        + " while true; do sleep 0.05; done";
    Supervisor supervisor = supervisor(script);
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
      try {
        return supervisor.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    waitFor("the daemon runs a third time", () -> lines(starts) == 3);
    // SIGTERM before the script set its trap would end it without the record this test checks
    waitFor("the third run handles SIGTERM", () -> Files.exists(temporary.resolve("trapped")));
    assertThat(Files.readString(temporary.resolve("run/minicluster.pid")).trim())
        .isEqualTo(Long.toString(ProcessHandle.current().pid()));

    supervisor.stop();

    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(temporary.resolve("terminated")).hasContent("terminated");
    assertThat(temporary.resolve("run/minicluster.pid")).doesNotExist();
    assertThat(lines(starts)).isEqualTo(3);
    String said = messages.toString(StandardCharsets.UTF_8);
    assertThat(said).contains("exited with code 1 after 0 s; restarting in 0.05 s")
        .contains("exited with code 1 after 0 s; restarting in 0.1 s").contains("stopping daemon")
        .contains("supervisor " + ProcessHandle.current().pid() + " stopped");
    assertThat(Files.readString(temporary.resolve("log"))).contains("daemon run 1", "daemon run 3");
  }

  @Test
  void aDaemonThatRefusesItsConfigurationIsNotRestarted() throws Exception {
    Path starts = temporary.resolve("starts");
    Supervisor supervisor = supervisor("echo x >> " + starts + "; echo 'config.yaml:1: unknown key' >&2; exit 2");
    assertThat(supervisor.run()).isEqualTo(2);
    assertThat(lines(starts)).isEqualTo(1);
    assertThat(messages.toString(StandardCharsets.UTF_8)).contains("not restarting");
    assertThat(Files.readString(temporary.resolve("log"))).contains("config.yaml:1: unknown key");
    assertThat(temporary.resolve("run/minicluster.pid")).doesNotExist();
  }

  @Test
  void aDaemonIgnoringSigtermIsKilledAfterTheStopTimeout() throws Exception {
    Path started = temporary.resolve("started");
    Supervisor supervisor = new Supervisor(List.of("sh", "-c", "trap '' TERM; touch " + started
        + "; while true; do sleep 0.05; done"), temporary.resolve("log"),
        new PidFile(temporary.resolve("pid")), Duration.ofMillis(500),
        new PrintStream(messages, true, StandardCharsets.UTF_8), Duration.ofMillis(50));
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
      try {
        return supervisor.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    waitFor("the daemon started", () -> Files.exists(started));
    supervisor.stop();
    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(messages.toString(StandardCharsets.UTF_8)).contains("did not stop within 0 s: SIGKILL");
  }

  private static long lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
