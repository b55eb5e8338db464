package io.minicluster.cli;

import io.minicluster.config.ConfigException;
import io.minicluster.config.ConfigKey;
import io.minicluster.config.Settings;
import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.IptablesApplier;
import io.minicluster.proxy.IptablesBackend;
import io.minicluster.service.DockerEngine;
import io.minicluster.service.PidFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code minicluster uninstall}: what minicluster made on this host, gone. */
@Command(name = "uninstall", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Remove minicluster's service processes, pod containers and network (--purge: and its state).",
        "Stops the service (systemd unit or background "
        + "service), removes the service proxy's iptables chains of this installation (those of its data directory, "
        + "with their jumps from the built-in chains, on every iptables backend), removes the pod containers (the containers labelled io.minicluster.type; with a pod-network "
        + "other than the default, only this installation's: the sandboxes on that network, their containers and the "
        + "pods of this data directory) and the pod network (only if minicluster created it). With --purge it also "
        + "deletes the data directory (cluster state, certificates, kubeconfig) and the background service's log.",
        "The package and the systemd unit stay (the installer's uninstall.sh removes them after calling this). "
            + "Nothing else on the host is touched."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:everything removed", "1:something could not be removed (the message says what and why)",
        "2:bad command line"})
final class UninstallCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--purge", description = "Also delete the data directory and the background service's log.")
  boolean purge;

  @Option(names = "--iptables-only", description = "Only remove the service proxy's iptables chains and jumps "
      + "(the package does this when it is removed; the service must be stopped first or it installs them again).")
  boolean iptablesOnly;

  @Option(names = "--pid-file", paramLabel = "FILE", defaultValue = "/run/minicluster.pid",
      description = "Pid file of the background service (default: ${DEFAULT-VALUE}).")
  Path pidFile;

  @Option(names = "--log", paramLabel = "FILE", defaultValue = "/var/log/minicluster.log",
      description = "Log of the background service, deleted with --purge (default: ${DEFAULT-VALUE}).")
  Path log;

  @Spec
  CommandSpec spec;

  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Settings settings;
    try {
      settings = options.load();
    } catch (ConfigException e) {
      // a broken configuration must not block the removal: fall back to the defaults and the flags
      spec.commandLine().getErr().println("warning: " + e.getMessage() + "; using the defaults");
      settings = Settings.load(null, options.dataDir == null ? Map.of()
          : Map.of(ConfigKey.DATA_DIR, options.dataDir.toString()));
    }
    if (iptablesOnly) {
      removeServiceProxyRules(settings);
      return 0;
    }
    Optional<Services.Running> running = Services.running(new PidFile(pidFile));
    if (running.isPresent()) {
      running.get().stop(Duration.ofSeconds(90));
      say("stopped minicluster (" + running.get().describe() + ")");
    }
    removeServiceProxyRules(settings);

    try (DockerEngine engine = DockerEngine.connect(System.getenv())) {
      if (!engine.present(System.getenv())) {
        say("no Docker engine on this host (" + engine.host() + " and dockerd are absent): no pod containers to "
            + "remove");
      } else {
        removeContainersAndNetwork(engine, settings);
      }
    }
    if (purge) {
      deleteTree(settings.dataDir());
      say("deleted " + settings.dataDir());
      if (Files.deleteIfExists(log.toAbsolutePath())) {
        say("deleted " + log.toAbsolutePath());
      }
    }
    return 0;
  }

  private void removeContainersAndNetwork(DockerEngine engine, Settings settings) throws CliException {
    if (engine.version().isEmpty()) {
      throw new CliException(engine.notAnswering() + ", then run `minicluster uninstall" + (purge ? " --purge" : "")
          + "` again (the service is stopped; nothing else was removed)");
    }
    String network = settings.podNetwork();
    List<DockerEngine.ContainerInfo> containers = DockerEngine.installation(engine.miniclusterContainers(), network,
        podUids(settings.dataDir()));
    for (DockerEngine.ContainerInfo container : containers) {
      engine.removeContainer(container.id());
    }
    say("removed " + containers.size() + " pod container" + (containers.size() == 1 ? "" : "s"));
    try {
      if (engine.removeNetwork(network)) {
        say("removed the Docker network " + network);
      }
    } catch (IOException e) {
      throw new CliException(e.getMessage() + (purge ? "; the data directory was kept" : ""));
    }
  }

  /** The service proxy's chains of this installation, with their jumps, on every backend that has them. */
  private void removeServiceProxyRules(Settings settings) throws CliException {
    Chains chains = Chains.forDataDir(settings.dataDir());
    try {
      List<IptablesBackend> cleaned = IptablesApplier.uninstallEverywhere(CommandRunner.host(), chains);
      for (IptablesBackend backend : cleaned) {
        say("removed the service proxy's iptables rules (" + chains + ", " + backend.saveCommand() + ")");
      }
    } catch (IOException e) {
      throw new CliException("could not remove the service proxy's iptables rules " + chains + ": "
          + e.getMessage());
    }
  }

  private void say(String message) {
    out.println(message);
    out.flush();
  }

  /** Pod UIDs the node agent of {@code dataDir} keeps a directory for. */
  private static Set<String> podUids(Path dataDir) {
    Set<String> uids = new HashSet<>();
    Path pods = dataDir.resolve("agent").resolve("pods");
    if (Files.isDirectory(pods)) {
      try (Stream<Path> entries = Files.list(pods)) {
        entries.forEach(entry -> uids.add(entry.getFileName().toString()));
      } catch (IOException e) {
        // none known
      }
    }
    return uids;
  }

  private static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
