package io.minicluster.cli;

import io.minicluster.service.Launcher;
import io.minicluster.service.PidFile;
import io.minicluster.service.Supervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code minicluster supervise}: the background service's supervisor, started by {@code minicluster start}. */
@Command(name = PidFile.SUPERVISOR_COMMAND, hidden = true,
    description = "Run and restart the daemon (started by `minicluster start`; not for direct use).")
final class SuperviseCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--pid-file", paramLabel = "FILE", required = true)
  Path pidFile;

  @Option(names = "--log", paramLabel = "FILE", required = true)
  Path log;

  @Override
  public Integer call() throws Exception {
    List<String> arguments = new ArrayList<>(List.of("server"));
    arguments.addAll(options.arguments());
    Supervisor supervisor = new Supervisor(Launcher.command(Launcher.daemonJvmOptions(System.getenv()), arguments),
        log, new PidFile(pidFile), Duration.ofSeconds(60), System.out);
    SignalHandler stop = signal -> new Thread(() -> {
      try {
        supervisor.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "supervisor-stop").start();
    Signal.handle(new Signal("TERM"), stop);
    Signal.handle(new Signal("INT"), stop);
    Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
    return supervisor.run();
  }
}
