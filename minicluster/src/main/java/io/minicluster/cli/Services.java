package io.minicluster.cli;

import io.minicluster.service.BackgroundService;
import io.minicluster.service.DaemonApi;
import io.minicluster.service.PidFile;
import io.minicluster.service.SystemdService;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** What the service commands share: finding the running service, stopping and starting it, waiting for the API. */
final class Services {
  private Services() {}

  /** The service that runs now: the background one (pid file) or the systemd unit. */
  record Running(BackgroundService background, ProcessHandle supervisor, List<String> supervisorArguments,
      SystemdService systemd) {
    String describe() {
      return systemd != null ? "systemd unit " + SystemdService.UNIT
          : "background service, supervisor pid " + supervisor.pid() + ", pid file " + background.pidFile().path();
    }

    /** Stops it; pods keep running. */
    void stop(Duration timeout) throws IOException, InterruptedException {
      if (systemd != null) {
        systemd.stop();
      } else {
        background.stop(timeout);
      }
    }

    /** Starts it again as it was started; for the background service, returns the supervisor launch time. */
    void start(Path log) throws IOException {
      if (systemd != null) {
        systemd.start();
      } else {
        background.launch(supervisorArguments, log != null ? log : BackgroundService.DEFAULT_LOG);
      }
    }

    /** The log the background supervisor appends to (from its arguments), else null. */
    Path log() {
      int index = supervisorArguments == null ? -1 : supervisorArguments.indexOf("--log");
      return index < 0 || index + 1 >= supervisorArguments.size() ? null
          : Path.of(supervisorArguments.get(index + 1));
    }
  }

  /** The running service, if any: the background supervisor first (its pid file is explicit), then systemd's unit. */
  static Optional<Running> running(PidFile pidFile) {
    BackgroundService background = new BackgroundService(pidFile);
    Optional<ProcessHandle> supervisor = background.supervisor();
    if (supervisor.isPresent()) {
      return Optional.of(new Running(background, supervisor.get(),
          PidFile.supervisorArguments(supervisor.get().pid()), null));
    }
    Optional<SystemdService> systemd = SystemdService.detect();
    if (systemd.isPresent() && !systemd.get().state().equals("inactive") && !systemd.get().state().equals("failed")) {
      return Optional.of(new Running(background, null, null, systemd.get()));
    }
    return Optional.empty();
  }

  /**
   * Waits until the daemon has written {@code kubeconfig} after {@code since} and its API answers /readyz, while
   * {@code alive} holds. Returns the API, or empty on timeout or when {@code alive} stops holding.
   */
  static Optional<DaemonApi> awaitReady(Path kubeconfig, Instant since, Duration timeout, BooleanSupplier alive)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(kubeconfig)
            && !Files.getLastModifiedTime(kubeconfig).toInstant().isBefore(since.minusSeconds(2))) {
          DaemonApi api = DaemonApi.fromKubeconfig(kubeconfig);
          if (api.ready()) {
            return Optional.of(api);
          }
        }
      } catch (IOException e) {
        // being written, or not yet there
      }
      if (!alive.getAsBoolean()) {
        return Optional.empty();
      }
      Thread.sleep(250);
    }
    return Optional.empty();
  }

  /** The size of {@code file}, 0 when it does not exist. */
  static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last {@code count} lines of {@code file} written after byte {@code offset}, indented for a message. */
  static String tail(Path file, long offset, int count) {
    if (file == null || !Files.isReadable(file)) {
      return "";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(offset, in.length() - 64 * 1024);
      in.seek(Math.min(start, in.length()));
      byte[] bytes = new byte[(int) (in.length() - in.getFilePointer())];
      in.readFully(bytes);
      List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
      List<String> last = lines.subList(Math.max(0, lines.size() - count), lines.size());
      StringBuilder text = new StringBuilder();
      for (String line : last) {
        text.append("\n  ").append(line);
      }
      return text.toString();
    } catch (IOException e) {
      return "";
    }
  }
}
