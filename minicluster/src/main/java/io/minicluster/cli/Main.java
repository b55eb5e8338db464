package io.minicluster.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The minicluster command line. */
@Command(name = "minicluster", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "A single-node Kubernetes appliance.",
    subcommands = {ServerCommand.class, BenchCommand.class, VersionCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
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
