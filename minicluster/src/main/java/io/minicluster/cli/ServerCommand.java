package io.minicluster.cli;

import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.server.HostInfo;
import io.minicluster.server.Minicluster;
import io.minicluster.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minicluster server}: runs the daemon in the foreground until SIGTERM or SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the minicluster daemon in the foreground.")
final class ServerCommand implements Callable<Integer> {
  @Option(names = "--data-dir", required = true, description = "State directory (database, certificates, kubeconfig).")
  Path dataDir;

  @Option(names = "--api-port", defaultValue = "6443", description = "API server port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0",
      description = "Address the API server listens on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--node-name", description = "Name of this node (default: the host name).")
  String nodeName;

  @Option(names = "--pod-cidr", defaultValue = ServerConfig.DEFAULT_POD_CIDR,
      description = "Pod network (default: ${DEFAULT-VALUE}).")
  String podCidr;

  @Option(names = "--service-cidr", defaultValue = ServerConfig.DEFAULT_SERVICE_CIDR,
      description = "Service network (default: ${DEFAULT-VALUE}).")
  String serviceCidr;

  @Option(names = "--socks-port", defaultValue = "1080",
      description = "SOCKS gateway port, -1 to disable (default: ${DEFAULT-VALUE}).")
  int socksPort;

  @Option(names = "--socks-bind-address", defaultValue = "127.0.0.1",
      description = "SOCKS gateway address (default: ${DEFAULT-VALUE}).")
  String socksBindAddress;

  @Option(names = "--socks-user", description = "user:password the SOCKS gateway requires (needed to listen on a "
      + "non-loopback address unless --socks-allow-client is given).")
  String socksUser;

  @Option(names = "--socks-allow-client", description = "Client CIDR allowed to use the SOCKS gateway (repeatable).")
  java.util.List<String> socksAllowClients = new java.util.ArrayList<>();

  @Option(names = "--socks-allow", description = "Extra destination CIDR the SOCKS gateway may reach (repeatable).")
  java.util.List<String> socksAllow = new java.util.ArrayList<>();

  @Option(names = "--sandbox-image", defaultValue = DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE,
      description = "Pod sandbox image; built locally when it cannot be pulled (default: ${DEFAULT-VALUE}).")
  String sandboxImage;

  @Option(names = "--offline", description = "Never pull images; run the images present on the machine.")
  boolean offline;

  @Option(names = "--no-node-agent", description = "Do not run pods (API server, scheduler and controllers only).")
  boolean noNodeAgent;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = new ServerConfig(dataDir.toAbsolutePath(), bindAddress, apiPort,
        nodeName == null ? HostInfo.hostName() : nodeName, podCidr, serviceCidr, socksPort, socksBindAddress,
        socksUser, socksAllowClients, socksAllow, !noNodeAgent, true, sandboxImage, offline);
    Minicluster minicluster = new Minicluster(config);
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean failedToClose = new java.util.concurrent.atomic.AtomicBoolean();
    // SIGTERM and SIGINT stop the daemon cleanly and exit 0 (a plain shutdown hook would exit 143)
    sun.misc.SignalHandler stop = signal -> {
      Thread stopper = new Thread(() -> {
        try {
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
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
    try {
      minicluster.start();
    } catch (Exception e) {
      minicluster.close();
      throw e;
    }
    stopped.await();
    System.exit(failedToClose.get() ? 1 : 0);
    return 0;
  }
}
