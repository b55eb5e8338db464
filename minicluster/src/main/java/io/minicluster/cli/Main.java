package io.minicluster.cli;

import io.minicluster.config.ConfigException;
import io.minicluster.server.Version;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The minicluster command line. */
@Command(name = "minicluster", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "A single-node Kubernetes appliance.",
    subcommands = {ServerCommand.class, StartCommand.class, StopCommand.class, StatusCommand.class,
        KubeconfigCommand.class, BackupCommand.class, RestoreCommand.class, UninstallCommand.class,
        VersionCommand.class, BenchCommand.class, SuperviseCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * The command line with its subcommands and error handling: a {@link ConfigException} prints its message and exits
   * 2, a {@link CliException} its message and exit code; anything else is an internal error with its stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    ServerFlags.addTo(commandLine.getSubcommands().get("server").getCommandSpec());
    commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
      PrintWriter err = command.getErr();
      if (exception instanceof ConfigException) {
        err.println(exception.getMessage());
        err.flush();
        return 2;
      }
      if (exception instanceof CliException failure) {
        err.println(failure.getMessage());
        err.flush();
        return failure.exitCode();
      }
      err.println("minicluster: internal error: " + exception);
      exception.printStackTrace(err);
      err.flush();
      return 70;
    });
    return commandLine;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Supplies --version. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minicluster " + Version.version() + " (Kubernetes " + Version.KUBERNETES_VERSION + ")"};
    }
  }
}
