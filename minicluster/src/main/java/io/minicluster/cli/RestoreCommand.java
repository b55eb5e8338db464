package io.minicluster.cli;

import io.minicluster.backup.BackupArchive;
import io.minicluster.backup.BackupException;
import io.minicluster.config.ConfigKey;
import io.minicluster.config.Settings;
import io.minicluster.service.DaemonApi;
import io.minicluster.service.PidFile;
import io.minicluster.store.StoreSnapshots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code minicluster restore FILE}. */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replace the cluster's state with a backup, stopping and starting the service.",
        "First the archive is checked completely (members and checksums, PRAGMA integrity_check of the database, the "
            + "CA) without touching anything. Then the service is stopped (systemd unit or background service), the "
            + "database, certificates and kubeconfig in the data directory are replaced (pod volumes and logs stay; "
            + "the old state is kept as DATA_DIR.before-restore-TIME until the restored cluster answers), the "
            + "service is started again and the command waits for the API. Pods that are not in the backup are "
            + "stopped by the node agent; pods of the backup are started. If the restored cluster does not come up, "
            + "the old state is put back and started."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:restored (and the API answers, if the service was running)",
        "1:not restored (the message says why; the state is as before)", "2:bad command line or configuration"})
final class RestoreCommand implements Callable<Integer> {
  /** Data directory entries that are the state a backup replaces; everything else (pod volumes, logs) stays. */
  static final Set<String> STATE = Set.of(StoreSnapshots.DATABASE_FILE, StoreSnapshots.DATABASE_FILE + "-wal",
      StoreSnapshots.DATABASE_FILE + "-shm", "pki", "kubeconfig.yaml");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(
      ZoneOffset.UTC);

  @Mixin
  ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "The backup file.")
  Path file;

  @Option(names = "--pid-file", paramLabel = "FILE", defaultValue = "/run/minicluster.pid",
      description = "Pid file of the background service (default: ${DEFAULT-VALUE}).")
  Path pidFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for the restored cluster's API (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Spec
  CommandSpec spec;

  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    Settings settings = options.load();
    out = spec.commandLine().getOut();
    Path dataDir = settings.dataDir();
    Path archive = file.toAbsolutePath();
    String stamp = STAMP.format(Instant.now());
    Path staging = dataDir.resolveSibling(dataDir.getFileName() + ".restore-" + stamp);
    Path aside = dataDir.resolveSibling(dataDir.getFileName() + ".before-restore-" + stamp);

    BackupArchive.Manifest manifest;
    try {
      manifest = BackupArchive.extract(archive, staging);
    } catch (BackupException e) {
      throw new CliException(e.getMessage() + "; nothing was changed");
    }
    say("checked " + archive + ": " + manifest.describe());

    Optional<Services.Running> running = Services.running(new PidFile(pidFile));
    if (running.isPresent()) {
      say("stopping minicluster (" + running.get().describe() + ")");
      try {
        running.get().stop(Duration.ofSeconds(90));
      } catch (IOException e) {
        delete(staging);
        throw new CliException("cannot stop minicluster: " + e.getMessage() + "; nothing was changed");
      }
    }
    try {
      ServerCommand.ensurePortFree(settings.bindAddress(), settings.apiPort(), "API", ConfigKey.API_PORT,
          settings);
    } catch (CliException e) {
      delete(staging);
      restart(running, settings, Instant.now());
      throw new CliException("a minicluster daemon still answers on API port " + settings.apiPort()
          + " although the service is stopped (started by hand?): stop it and run restore again; nothing was "
          + "changed");
    }

    long replacedRevision = StoreSnapshots.revisionOrZero(StoreSnapshots.databaseFile(dataDir));
    long revision = StoreSnapshots.markRestored(staging.resolve(StoreSnapshots.DATABASE_FILE), replacedRevision);
    List<String> carried = swap(dataDir, staging, aside);
    say("replaced the state in " + dataDir + " (the old state is kept in " + aside + " until the cluster answers); "
        + "revision " + revision);

    if (running.isEmpty()) {
      say("the service was not running: start it (`systemctl start minicluster` or `minicluster start`); remove "
          + aside + " once the cluster is as it should be");
      return 0;
    }
    Instant started = Instant.now();
    Optional<DaemonApi> api;
    try {
      say("starting minicluster");
      running.get().start(running.get().log());
      api = awaitReady(running.get(), settings, started);
    } catch (IOException e) {
      api = Optional.empty();
      say("cannot start minicluster: " + e.getMessage());
    }
    if (api.isEmpty()) {
      say("the restored cluster did not answer within " + timeoutSeconds + " s: putting the old state back");
      rollBack(running.get(), settings, dataDir, aside, carried, stamp);
      throw new CliException("restore failed: the restored cluster did not start (see the service's log); the "
          + "old state is back in " + dataDir + " and the service runs on it");
    }
    delete(aside);
    say("restored " + archive + ": the API answers at " + api.get().server() + " with the backup's "
        + manifest.objects() + " objects; removed " + aside);
    return 0;
  }

  private void say(String message) {
    out.println(message);
    out.flush();
  }

  private Optional<DaemonApi> awaitReady(Services.Running running, Settings settings, Instant started)
      throws InterruptedException {
    Services.Running now = Services.running(new PidFile(pidFile)).orElse(running);
    return Services.awaitReady(settings.dataDir().resolve("kubeconfig.yaml"), started,
        Duration.ofSeconds(timeoutSeconds), () -> now.systemd() != null
            ? !now.systemd().state().equals("failed") : Services.running(new PidFile(pidFile)).isPresent()
                || Duration.between(started, Instant.now()).toSeconds() < 10);
  }

  /**
   * Moves {@code dataDir} aside, the staged state in its place, and everything of the old directory that is not
   * state (pod volumes, logs) into the new one. Returns the names carried over.
   */
  static List<String> swap(Path dataDir, Path staging, Path aside) throws IOException {
    List<String> carried = new ArrayList<>();
    if (Files.exists(dataDir)) {
      Files.move(dataDir, aside, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, dataDir, StandardCopyOption.ATOMIC_MOVE);
    if (Files.isDirectory(aside)) {
      try (Stream<Path> entries = Files.list(aside)) {
        for (Path entry : entries.toList()) {
          String name = entry.getFileName().toString();
          if (!STATE.contains(name)) {
            Files.move(entry, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            carried.add(name);
          }
        }
      }
    }
    return carried;
  }

  private void rollBack(Services.Running running, Settings settings, Path dataDir, Path aside, List<String> carried,
      String stamp) throws Exception {
    Optional<Services.Running> now = Services.running(new PidFile(pidFile));
    if (now.isPresent()) {
      now.get().stop(Duration.ofSeconds(90));
    }
    Path failed = dataDir.resolveSibling(dataDir.getFileName() + ".failed-restore-" + stamp);
    Files.move(dataDir, failed, StandardCopyOption.ATOMIC_MOVE);
    for (String name : carried) {
      Files.move(failed.resolve(name), aside.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(aside, dataDir, StandardCopyOption.ATOMIC_MOVE);
    restart(Optional.of(running), settings, Instant.now());
    say("the restored state that did not start is in " + failed);
  }

  private void restart(Optional<Services.Running> running, Settings settings, Instant since) {
    if (running.isEmpty()) {
      return;
    }
    try {
      running.get().start(running.get().log());
      awaitReady(running.get(), settings, since);
    } catch (IOException | InterruptedException e) {
      say("cannot start minicluster again: " + e.getMessage());
    }
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
