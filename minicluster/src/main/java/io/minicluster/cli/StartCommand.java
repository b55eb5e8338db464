package io.minicluster.cli;

import io.minicluster.config.ConfigKey;
import io.minicluster.config.Settings;
import io.minicluster.service.BackgroundService;
import io.minicluster.service.DaemonApi;
import io.minicluster.service.PidFile;
import io.minicluster.service.SystemdService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code minicluster start}: the service without systemd, in the background. */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Start the minicluster service (in the background where systemd does not run it).",
        "Where systemd runs and the minicluster unit is installed, this is `systemctl start minicluster`. "
            + "Otherwise a supervisor process in a session of its own runs `minicluster server` with the packaged JVM options "
            + "($MINICLUSTER_JAVA_OPTIONS replaces them), appends its output to the log, restarts it whenever it "
            + "exits (1 s back-off doubling to 30 s) and writes its pid to the pid file. Returns once the API "
            + "answers; on failure it stops what it started and prints the log's last lines. When minicluster "
            + "runs already, says so and exits 0."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:running (started now, or already)", "1:did not start (the log's last lines are shown)",
        "2:bad command line or configuration"})
final class StartCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--pid-file", paramLabel = "FILE", defaultValue = "/run/minicluster.pid",
      description = "Pid file of the supervisor (default: ${DEFAULT-VALUE}).")
  Path pidFile;

  @Option(names = "--log", paramLabel = "FILE", defaultValue = "/var/log/minicluster.log",
      description = "Log file, appended to (default: ${DEFAULT-VALUE}).")
  Path log;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for the API (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Settings settings = options.load();
    PrintWriter out = spec.commandLine().getOut();
    Optional<SystemdService> systemd = SystemdService.detect();
    if (systemd.isPresent()) {
      // the package's unit is the service here: a second, background one would fight it for the ports
      if (systemd.get().active()) {
        out.println("minicluster runs already under systemd (systemctl status minicluster)");
        return 0;
      }
      try {
        systemd.get().start();
      } catch (IOException e) {
        throw new CliException(e.getMessage());
      }
      out.println("minicluster started (systemctl start minicluster)");
      return 0;
    }
    BackgroundService service = new BackgroundService(new PidFile(pidFile));
    Optional<ProcessHandle> running = service.supervisor();
    if (running.isPresent()) {
      out.println("minicluster runs already (supervisor pid " + running.get().pid() + ", pid file "
          + service.pidFile().path() + ")");
      return 0;
    }
    ServerCommand.ensurePortFree(settings.bindAddress(), settings.apiPort(), "API", ConfigKey.API_PORT, settings);
    if (settings.socksPort() > 0) {
      ServerCommand.ensurePortFree(settings.socksBindAddress(), settings.socksPort(), "SOCKS gateway",
          ConfigKey.SOCKS_PORT, settings);
    }
    Path logFile = log.toAbsolutePath();
    long offset = Services.size(logFile);
    List<String> arguments = new ArrayList<>(List.of("--pid-file", service.pidFile().path().toString(), "--log",
        logFile.toString()));
    arguments.addAll(options.arguments());
    Instant launched = Instant.now();
    Process launcher;
    try {
      launcher = service.launch(arguments, logFile);
    } catch (AccessDeniedException e) {
      throw new CliException("permission denied on " + e.getFile() + ": run as root (sudo) or pass --log and "
          + "--pid-file in directories you own");
    }
    Optional<DaemonApi> api = Services.awaitReady(settings.dataDir().resolve("kubeconfig.yaml"), launched,
        Duration.ofSeconds(timeoutSeconds), () -> launcher.isAlive() || service.supervisor().isPresent()
            || Duration.between(launched, Instant.now()).toSeconds() < 10);
    if (api.isEmpty()) {
      boolean exited = !launcher.isAlive() && service.supervisor().isEmpty();
      service.stop(Duration.ofSeconds(30));
      throw new CliException("minicluster did not start" + (exited ? " (the supervisor exited)"
          : " within " + timeoutSeconds + " s") + "; the last lines of " + logFile + ":"
          + Services.tail(logFile, offset, 20), 1);
    }
    long pid = service.supervisor().map(ProcessHandle::pid).orElse(launcher.pid());
    out.println("minicluster started: API " + api.get().server() + ", supervisor pid " + pid + ", log " + logFile);
    return 0;
  }
}
