package io.minicluster.cli;

import io.minicluster.server.Version;
import picocli.CommandLine.Command;

/** {@code minicluster version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
final class VersionCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("minicluster " + Version.version() + " (Kubernetes API " + Version.KUBERNETES_VERSION + ")");
  }
}
