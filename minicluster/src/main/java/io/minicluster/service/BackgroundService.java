package io.minicluster.service;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service without systemd: a {@link Supervisor} process in a session of its own (started through {@code setsid},
 * so it outlives the shell that started it and no terminal hang-up reaches it), named by a {@link PidFile}, running the
 * daemon as its child.
 */
public final class BackgroundService {
  public static final Path DEFAULT_LOG = Path.of("/var/log/minicluster.log");

  private final PidFile pidFile;

  public BackgroundService(PidFile pidFile) {
    this.pidFile = requireNonNull(pidFile, "pidFile is null");
  }

  public PidFile pidFile() {
    return pidFile;
  }

  /** The running supervisor, if any. */
  public Optional<ProcessHandle> supervisor() {
    return pidFile.supervisor();
  }

  /** The daemon the supervisor runs now, if any. */
  public Optional<ProcessHandle> daemon() {
    return supervisor().flatMap(supervisor -> supervisor.children().findFirst());
  }

  /**
   * Starts a supervisor with {@code supervisorArguments} (after {@code supervise}), output appended to {@code log}
   * (created 0640 when missing). Returns without waiting for the daemon.
   */
  public Process launch(List<String> supervisorArguments, Path log) throws IOException {
    Path logFile = log.toAbsolutePath();
    Files.createDirectories(logFile.getParent());
    if (!Files.exists(logFile)) {
      Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
    }
    List<String> arguments = new ArrayList<>();
    arguments.add(PidFile.SUPERVISOR_COMMAND);
    arguments.addAll(supervisorArguments);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
      command.add("setsid");
    }
    command.addAll(Launcher.command(Launcher.SUPERVISOR_JVM_OPTIONS, arguments));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  /**
   * Stops supervisor and daemon: SIGTERM to the supervisor (which stops the daemon the same way), SIGKILL to both after
   * {@code timeout}. Returns false when nothing was running.
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    Optional<ProcessHandle> found = supervisor();
    if (found.isEmpty()) {
      try {
        pidFile.deleteIfStale();
      } catch (IOException e) {
        // a stale file that cannot be removed does no harm: it names no live supervisor
      }
      return false;
    }
    ProcessHandle supervisor = found.get();
    List<ProcessHandle> daemons = supervisor.children().toList();
    supervisor.destroy();
    if (!waitForExit(supervisor, timeout)) {
      for (ProcessHandle daemon : daemons) {
        daemon.destroyForcibly();
      }
      supervisor.destroyForcibly();
      waitForExit(supervisor, Duration.ofSeconds(10));
    }
    for (ProcessHandle daemon : daemons) {
      if (!waitForExit(daemon, Duration.ofSeconds(10))) {
        daemon.destroyForcibly();
        waitForExit(daemon, Duration.ofSeconds(10));
      }
    }
    pidFile.deleteIfOwnedBy(supervisor.pid());
    return true;
  }

  private static boolean waitForExit(ProcessHandle process, Duration timeout) throws InterruptedException {
    CompletableFuture<ProcessHandle> exit = process.onExit();
    try {
      exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }
}
