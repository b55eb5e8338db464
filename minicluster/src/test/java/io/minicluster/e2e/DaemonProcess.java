package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;

import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.IptablesApplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon (the shaded jar) as a child process, for end-to-end tests with real clients. Its service proxy (on
 * by default; as root it programs the host's iptables in chains of its data directory's own) leaves its rules when it
 * stops or is killed, as a real daemon does; {@link #close} removes them, and so does the end of the test JVM for
 * every data directory a daemon ran on, so that no test leaves a chain on the host.
 */
public final class DaemonProcess implements AutoCloseable {
  /** The data directories daemons of this JVM ran on: their iptables chains go when the JVM ends. */
  private static final Set<Path> DATA_DIRS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> DATA_DIRS.forEach(DaemonProcess::removeProxyRules),
        "daemon-process-iptables-cleanup"));
  }

  private final Path dataDir;
  private final int apiPort;
  private final List<String> jvmOptions;
  private final List<String> extraArgs;
  private Map<String, String> environment = Map.of();
  private Process process;

  public DaemonProcess(Path dataDir, List<String> extraArgs) {
    this(dataDir, List.of("-Xmx512m"), extraArgs);
  }

  /** With these JVM options instead of the tests' default heap of 512 MiB. */
  public DaemonProcess(Path dataDir, List<String> jvmOptions, List<String> extraArgs) {
    this.dataDir = requireNonNull(dataDir, "dataDir is null");
    this.apiPort = freePort();
    this.jvmOptions = List.copyOf(jvmOptions);
    this.extraArgs = List.copyOf(extraArgs);
  }

  public static Path jar() {
    Path jar = Paths.get("target", "minicluster.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      jar = Paths.get("minicluster", "target", "minicluster.jar").toAbsolutePath();
    }
    if (!Files.exists(jar)) {
      throw new IllegalStateException("minicluster.jar not built: run mvn package first");
    }
    return jar;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path kubeconfig() {
    return dataDir.resolve("kubeconfig.yaml");
  }

  public int apiPort() {
    return apiPort;
  }

  public Path log() {
    return dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  /** Adds these variables to the daemon's environment (before {@link #start()}). */
  public DaemonProcess environment(Map<String, String> variables) {
    this.environment = Map.copyOf(variables);
    return this;
  }

  /** Starts the daemon and waits until /readyz answers and the kubeconfig exists. */
  public DaemonProcess start() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString(), "server",
        "--no-config", "--data-dir", dataDir.toString(), "--api-port", Integer.toString(apiPort),
        // tests never pull: no registry is reachable, and a pull attempt would send DNS queries off the machine
        "--offline"));
    if (!extraArgs.contains("--bind-address")) {
      // loopback unless the test needs pods to reach the API (the kubernetes service leads to the host's address)
      command.addAll(List.of("--bind-address", "127.0.0.1"));
    }
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().putAll(environment);
    DATA_DIRS.add(dataDir);
    process = builder.start();
    waitReady(Duration.ofSeconds(60));
    return this;
  }

  private static String javaBinary() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void waitReady(Duration timeout) throws InterruptedException, IOException {
    HttpClient client = HttpClient.newBuilder().sslContext(TrustAll.context()).connectTimeout(Duration.ofSeconds(2))
        .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("daemon exited with " + process.exitValue() + ":\n" + Files.readString(log()));
      }
      try {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + apiPort + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && Files.exists(kubeconfig())) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("daemon not ready in " + timeout + ":\n" + Files.readString(log()));
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the daemon to exit by itself; its exit code, or empty when it still runs after the timeout. */
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(process.exitValue());
  }

  /** SIGKILL, as kill -9. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for a clean exit. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  /** The chains of the service proxy of this data directory ({@code MC-xxxxxx-*}). */
  public Chains chains() {
    return Chains.forDataDir(dataDir);
  }

  /** Stops the daemon if it runs, then removes its service proxy's iptables rules. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
    removeProxyRules(dataDir);
  }

  /** What {@code minicluster uninstall} removes of the service proxy (nothing when not root). */
  static void removeProxyRules(Path dataDir) {
    try {
      IptablesApplier.uninstallEverywhere(CommandRunner.host(), Chains.forDataDir(dataDir));
    } catch (IOException e) {
      System.err.println("could not remove the iptables rules of the daemon on " + dataDir + ": " + e.getMessage());
    }
  }
}
