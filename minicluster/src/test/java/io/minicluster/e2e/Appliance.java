package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The appliance as an operator drives it, for end-to-end tests: the minicluster command (the built jar) with a
 * test-owned configuration file, data directory, pid file and log, so that its background service, backups and
 * uninstall only ever touch what the test made.
 */
final class Appliance {
  private final Path directory;
  private final Path config;

  /** Writes {@code configYaml} (without data-dir, which is added) to the test's configuration file. */
  Appliance(Path directory, String configYaml) throws IOException {
    this.directory = requireNonNull(directory, "directory is null");
    Files.createDirectories(directory);
    this.config = directory.resolve("config.yaml");
    Files.writeString(config, "data-dir: " + dataDir() + "\n" + configYaml);
  }

  /** The test's configuration file (an installed appliance's /etc/minicluster/config.yaml). */
  Path config() {
    return config;
  }

  Path dataDir() {
    return directory.resolve("data");
  }

  Path pidFile() {
    return directory.resolve("run/minicluster.pid");
  }

  Path log() {
    return directory.resolve("log/minicluster.log");
  }

  Path kubeconfig() {
    return dataDir().resolve("kubeconfig.yaml");
  }

  Kubectl kubectl() {
    return new Kubectl(kubeconfig());
  }

  /** {@code minicluster start} with this appliance's files. */
  HostTools.Result start() throws IOException, InterruptedException {
    return minicluster("start", "--config", config.toString(), "--pid-file", pidFile().toString(), "--log",
        log().toString());
  }

  HostTools.Result stop() throws IOException, InterruptedException {
    return minicluster("stop", "--pid-file", pidFile().toString());
  }

  HostTools.Result status() throws IOException, InterruptedException {
    return minicluster("status", "--config", config.toString(), "--pid-file", pidFile().toString());
  }

  HostTools.Result backup(Path file) throws IOException, InterruptedException {
    return minicluster("backup", "--config", config.toString(), file.toString());
  }

  HostTools.Result restore(Path file) throws IOException, InterruptedException {
    return minicluster("restore", "--config", config.toString(), "--pid-file", pidFile().toString(),
        file.toString());
  }

  HostTools.Result uninstallPurge() throws IOException, InterruptedException {
    return minicluster("uninstall", "--purge", "--config", config.toString(), "--pid-file", pidFile().toString(),
        "--log", log().toString());
  }

  /** Runs {@code minicluster ARGS...} (the shaded jar) and returns its exit code and output. */
  HostTools.Result minicluster(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", DaemonProcess.jar().toString()));
    command.addAll(List.of(args));
    return HostTools.run(command, 300);
  }

  /** The supervisor named by the pid file, if alive. */
  Optional<ProcessHandle> supervisor() throws IOException {
    if (!Files.exists(pidFile())) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(pidFile()).trim())).filter(ProcessHandle::isAlive);
  }

  /** The daemon the supervisor runs, if any. */
  Optional<ProcessHandle> daemon() throws IOException {
    return supervisor().flatMap(supervisor -> supervisor.children().findFirst());
  }

  /** Stops whatever still runs (clean-up after a failed test): the command first, then the processes themselves. */
  void forceStop() throws IOException, InterruptedException {
    stop();
    Optional<ProcessHandle> supervisor = supervisor();
    if (supervisor.isPresent()) {
      supervisor.get().children().forEach(ProcessHandle::destroyForcibly);
      supervisor.get().destroyForcibly();
    }
  }
}
