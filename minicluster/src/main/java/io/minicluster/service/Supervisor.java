package io.minicluster.service;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The background service's supervisor, for hosts without systemd: runs the daemon as its child with output appended to
 * the log, and restarts it whenever it exits (as systemd's {@code Restart=always}), waiting 1 s, then twice as long
 * after each quick failure up to {@link #MAX_BACKOFF} (back to 1 s after a run of {@link #STABLE_RUN}). Exit code 2 (a
 * bad configuration) is not retried: the supervisor stops. {@link #stop} sends the daemon SIGTERM, waits up to the stop
 * timeout, then SIGKILL; pod containers keep running either way. The pid file names the supervisor while it runs.
 */
public final class Supervisor {
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  static final Duration STABLE_RUN = Duration.ofSeconds(60);
  /** The daemon's exit code for a bad command line or configuration. */
  static final int CONFIGURATION_ERROR = 2;

  private final List<String> daemonCommand;
  private final Path log;
  private final PidFile pidFile;
  private final Duration stopTimeout;
  private final PrintStream messages;
  private final Duration firstBackoff;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile Process daemon;

  public Supervisor(List<String> daemonCommand, Path log, PidFile pidFile, Duration stopTimeout,
      PrintStream messages) {
    this(daemonCommand, log, pidFile, stopTimeout, messages, FIRST_BACKOFF);
  }

  Supervisor(List<String> daemonCommand, Path log, PidFile pidFile, Duration stopTimeout, PrintStream messages,
      Duration firstBackoff) {
    this.daemonCommand = List.copyOf(daemonCommand);
    this.log = requireNonNull(log, "log is null");
    this.pidFile = requireNonNull(pidFile, "pidFile is null");
    this.stopTimeout = requireNonNull(stopTimeout, "stopTimeout is null");
    this.messages = requireNonNull(messages, "messages is null");
    this.firstBackoff = requireNonNull(firstBackoff, "firstBackoff is null");
  }

  /** Runs until {@link #stop}; returns 0, or 2 when the daemon refused its configuration. */
  public int run() throws IOException, InterruptedException {
    long self = ProcessHandle.current().pid();
    pidFile.write(self);
    say("supervisor " + self + " started; daemon: " + String.join(" ", daemonCommand));
    Duration backoff = firstBackoff;
    try {
      while (!stopping) {
        Instant started = Instant.now();
        Process process;
        try {
          process = new ProcessBuilder(daemonCommand).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
          say("cannot start the daemon: " + e.getMessage());
          if (stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
          backoff = next(backoff);
          continue;
        }
        daemon = process;
        say("daemon " + process.pid() + " started");
        if (stopping) {
          terminate(process);
        }
        int code = process.waitFor();
        Duration ran = Duration.between(started, Instant.now());
        if (stopping) {
          say("daemon " + process.pid() + " stopped (exit code " + code + ")");
          break;
        }
        if (code == CONFIGURATION_ERROR) {
          say("daemon exited with code 2 (bad command line or configuration): not restarting; fix it (minicluster "
              + "server --print-config shows the settings) and run minicluster start");
          return CONFIGURATION_ERROR;
        }
        if (ran.compareTo(STABLE_RUN) >= 0) {
          backoff = firstBackoff;
        }
        say("daemon " + process.pid() + " exited with code " + code + " after " + ran.toSeconds() + " s; restarting"
            + " in " + backoff.toMillis() / 1000.0 + " s");
        if (stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        backoff = next(backoff);
      }
      say("supervisor " + self + " stopped");
      return 0;
    } finally {
      pidFile.deleteIfOwnedBy(self);
      finished.countDown();
    }
  }

  private static Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** Stops the daemon (SIGTERM, SIGKILL after the stop timeout) and ends {@link #run}; waits until it has ended. */
  public void stop() throws InterruptedException {
    stopping = true;
    stopRequested.countDown();
    Process process = daemon;
    if (process != null) {
      terminate(process);
    }
    finished.await(stopTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
  }

  private void terminate(Process process) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    say("stopping daemon " + process.pid() + " (SIGTERM)");
    process.destroy();
    if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      say("daemon " + process.pid() + " did not stop within " + stopTimeout.toSeconds() + " s: SIGKILL");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void say(String message) {
    messages.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " supervisor: " + message);
    messages.flush();
  }
}
