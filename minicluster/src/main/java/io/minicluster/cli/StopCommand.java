package io.minicluster.cli;

import io.minicluster.service.PidFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code minicluster stop}. */
@Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Stop the minicluster service; pod containers keep running.",
        "Stops the background service of the pid file (SIGTERM to supervisor and "
        + "daemon, SIGKILL after the timeout), else the systemd unit (systemctl stop minicluster). Pod containers "
        + "keep running. When nothing runs, says so and exits 0."})
final class StopCommand implements Callable<Integer> {
  @Option(names = "--pid-file", paramLabel = "FILE", defaultValue = "/run/minicluster.pid",
      description = "Pid file of the background service (default: ${DEFAULT-VALUE}).")
  Path pidFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
      description = "How long the daemon may take to stop before SIGKILL (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Optional<Services.Running> running = Services.running(new PidFile(pidFile));
    if (running.isEmpty()) {
      spec.commandLine().getOut().println("minicluster is not running");
      return 0;
    }
    running.get().stop(Duration.ofSeconds(timeoutSeconds));
    spec.commandLine().getOut().println("minicluster stopped (" + running.get().describe()
        + "); pod containers keep running");
    return 0;
  }
}
