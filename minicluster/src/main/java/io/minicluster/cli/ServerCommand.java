package io.minicluster.cli;

import io.minicluster.config.ConfigKey;
import io.minicluster.config.Settings;
import io.minicluster.health.Liveness;
import io.minicluster.health.Watchdog;
import io.minicluster.server.FatalErrors;
import io.minicluster.server.Minicluster;
import io.minicluster.server.ServerConfig;
import io.minicluster.server.SystemdNotifier;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code minicluster server}: runs the daemon in the foreground until SIGTERM or SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the minicluster daemon in the foreground until SIGTERM or SIGINT (exit 0).",
        "Settings come from the defaults, then the configuration file, then these flags. A bad key or value stops "
            + "start-up with exit code 2 before anything is created. Under systemd (NOTIFY_SOCKET set) the daemon "
            + "reports READY=1 once the API answers and STOPPING=1 when it stops."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM/SIGINT, or --print-config", "1:start-up failed (e.g. a port in use)",
        "2:bad command line or configuration",
        "70:a fatal error (out of memory, an uncaught error, a core loop stalled past the liveness limit); the "
            + "service manager restarts the daemon"})
final class ServerCommand implements Callable<Integer> {
  /** How often the liveness watchdog runs the checks at most. */
  private static final Duration WATCHDOG_TICK = Duration.ofSeconds(10);

  @Mixin
  ConfigOptions options;

  @Option(names = "--print-config",
      description = "Print the effective configuration as YAML (every key, with its source) and exit.")
  boolean printConfig;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // crash-only: an error escaping any thread ends the daemon, and its service manager restarts it
    FatalErrors fatalErrors = FatalErrors.install();
    Settings settings = options.load(ServerFlags.values(spec));
    if (printConfig) {
      spec.commandLine().getOut().print(settings.render());
      spec.commandLine().getOut().flush();
      return 0;
    }
    ServerConfig config = settings.toServerConfig();
    ensurePortFree(config.bindAddress(), config.apiPort(), "API", ConfigKey.API_PORT, settings);
    if (config.socksPort() > 0) {
      ensurePortFree(config.socksBindAddress(), config.socksPort(), "SOCKS gateway", ConfigKey.SOCKS_PORT,
          settings);
    }
    SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv());
    Minicluster minicluster = new Minicluster(config);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean failedToClose = new AtomicBoolean();
    // SIGTERM and SIGINT stop the daemon cleanly and exit 0 (a plain shutdown hook would exit 143)
    SignalHandler stop = signal -> {
      Thread stopper = new Thread(() -> {
        try {
          systemd.stopping("stopping");
          minicluster.close();
        } catch (Throwable e) {
          // e.g. a class missing from a jar replaced by an upgrade while running: stop anyway, say so
          failedToClose.set(true);
          e.printStackTrace();
        } finally {
          stopped.countDown();
        }
      }, "shutdown");
      stopper.start();
    };
    Signal.handle(new Signal("TERM"), stop);
    Signal.handle(new Signal("INT"), stop);
    // from the start: systemd's watchdog timer runs from ExecStart, and a start that hangs is a stall too
    startWatchdog(minicluster.liveness(), systemd, fatalErrors);
    try {
      minicluster.start();
    } catch (Exception e) {
      minicluster.close();
      String known = describe(e, config, settings);
      if (known != null) {
        throw new CliException(known, 1);
      }
      throw e;
    }
    InetSocketAddress api = minicluster.apiAddress();
    systemd.ready("API https://" + api.getAddress().getHostAddress() + ":" + api.getPort()
        + (minicluster.socks() == null ? "" : ", SOCKS gateway " + minicluster.socks().localAddress()));
    stopped.await();
    System.exit(failedToClose.get() ? 1 : 0);
    return 0;
  }

  /**
   * Acts on the liveness checks ({@code /livez}) as a kubelet acts on a liveness probe: a core loop stalled on two
   * ticks in a row ends the daemon (exit code 70, crash-only), so that systemd or the supervisor of {@code minicluster
   * start} restarts it; while every check passes, systemd's watchdog ({@code WatchdogSec=} in the unit) is pinged, so a
   * daemon too wedged even to tick is killed and restarted by systemd.
   */
  private static void startWatchdog(Liveness liveness, SystemdNotifier systemd, FatalErrors fatalErrors) {
    Optional<Duration> ping = systemd.watchdogInterval(System.getenv(), ProcessHandle.current().pid());
    Duration period = ping.orElse(WATCHDOG_TICK);
    Duration half = liveness.threshold().dividedBy(2);
    for (Duration candidate : List.of(WATCHDOG_TICK, half)) {
      if (candidate.compareTo(period) < 0) {
        period = candidate;
      }
    }
    if (period.compareTo(Duration.ofSeconds(1)) < 0) {
      period = Duration.ofSeconds(1);
    }
    Watchdog watchdog = new Watchdog(liveness, 2, new Watchdog.Outcome() {
      @Override
      public void alive() {
        if (ping.isPresent()) {
          systemd.watchdog();
        }
      }

      @Override
      public void stalled(List<Liveness.Result> failed) {
        fatalErrors.exit("liveness check failed: " + Watchdog.describe(failed));
      }
    });
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "liveness-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    ticker.scheduleAtFixedRate(watchdog::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Fails with a one-line cause and fix when {@code port} cannot be bound (0: any port, nothing to check). */
  static void ensurePortFree(String address, int port, String what, ConfigKey key, Settings settings)
      throws CliException, IOException {
    if (port <= 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
    } catch (BindException e) {
      String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      if (reason.contains("permission")) {
        throw new CliException(what + " port " + port + " needs privileges: run as root or "
            + settings.howToChange(key) + " to a port above 1023");
      }
      if (reason.contains("assign") || reason.contains("cannot")) {
        throw new CliException(what + " address " + address + " is not an address of this machine: "
            + settings.howToChange(key == ConfigKey.API_PORT ? ConfigKey.BIND_ADDRESS : ConfigKey.SOCKS_BIND_ADDRESS)
            + " to one of its addresses or 0.0.0.0");
      }
      throw new CliException("port " + port + " (" + what + ") is in use by another process: stop it or "
          + settings.howToChange(key));
    }
  }

  /** A one-line explanation of a start-up failure with a known cause, or null. */
  private static String describe(Throwable failure, ServerConfig config, Settings settings) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
      if (cause instanceof BindException || message.contains("address already in use")) {
        return "a port is in use by another process (API " + config.apiPort() + ", SOCKS " + config.socksPort()
            + "): stop it or " + settings.howToChange(ConfigKey.API_PORT) + " / socks-port";
      }
      if (cause instanceof AccessDeniedException) {
        return "permission denied on " + cause.getMessage() + ": run as root (sudo) or "
            + settings.howToChange(ConfigKey.DATA_DIR) + " to a directory you own";
      }
    }
    return null;
  }
}
