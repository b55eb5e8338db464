package io.minicluster.cli;

import io.minicluster.backup.BackupArchive;
import io.minicluster.backup.BackupException;
import io.minicluster.config.Settings;
import io.minicluster.server.Version;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code minicluster backup FILE}. */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write a backup of the cluster's state to FILE while it runs.",
        "FILE is one gzip-compressed tar file, mode 0600 "
        + "(it holds the cluster's CA key), replaced atomically if it exists. It holds minicluster-backup.json (what "
        + "is inside, with checksums), state.db (a consistent online copy of the SQLite store: every API object), "
        + "pki/ (CA, serving and admin certificates and keys, admin token) and kubeconfig.yaml. Pod volumes and "
        + "container logs are not included. Restore it with `minicluster restore FILE`."})
final class BackupCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "The backup file to write, e.g. minicluster-backup.tar.gz.")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Settings settings = options.load();
    BackupArchive.Manifest manifest;
    try {
      manifest = BackupArchive.create(settings.dataDir(), file, Version.version());
    } catch (BackupException e) {
      throw new CliException(e.getMessage());
    }
    spec.commandLine().getOut().println("backup written to " + file.toAbsolutePath() + " (mode 0600): "
        + manifest.objects() + " objects at revision " + manifest.revision() + ", certificates and admin kubeconfig");
    return 0;
  }
}
