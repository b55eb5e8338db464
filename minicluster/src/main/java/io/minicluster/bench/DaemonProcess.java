package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real minicluster daemon ({@code minicluster server}) started as a child JVM, so its resident memory and CPU
 * time can be read from {@code /proc} as an operator would see them. Its output goes to a log file.
 */
final class DaemonProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDirectory;
  private final int apiPort;
  private final List<String> jvmOptions;
  private final Path log;

  private DaemonProcess(Process process, Path dataDirectory, int apiPort, List<String> jvmOptions, Path log) {
    this.process = process;
    this.dataDirectory = dataDirectory;
    this.apiPort = apiPort;
    this.jvmOptions = jvmOptions;
    this.log = log;
  }

  /**
   * Starts {@code java <jvmOptions> -jar <this jar> server ...} (or {@code -cp <class path> io.minicluster.cli.Main}
   * when not running from a jar) listening on loopback only, without the SOCKS gateway.
   */
  static DaemonProcess start(List<String> jvmOptions, Path dataDirectory, String nodeName, String podCidr, Path log)
      throws IOException {
    requireNonNull(jvmOptions, "jvmOptions is null");
    requireNonNull(dataDirectory, "dataDirectory is null");
    requireNonNull(podCidr, "podCidr is null");
    requireNonNull(log, "log is null");
    int port = freeLoopbackPort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(launcher());
    command.addAll(List.of("server", "--no-config", "--data-dir", dataDirectory.toString(), "--api-port", Integer.toString(port),
        "--bind-address", "127.0.0.1", "--socks-port", "-1", "--pod-cidr", podCidr, "--node-name", nodeName,
        "--offline"));
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new DaemonProcess(process, dataDirectory, port, List.copyOf(jvmOptions), log);
  }

  /** {@code -jar <jar>} when this class was loaded from a jar, else {@code -cp <class path> <main class>}. */
  private static List<String> launcher() {
    try {
      Path source = Path.of(DaemonProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(source) && source.toString().endsWith(".jar")) {
        return List.of("-jar", source.toString());
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through to the class path
    }
    return List.of("-cp", System.getProperty("java.class.path"), "io.minicluster.cli.Main");
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  int apiPort() {
    return apiPort;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  List<String> jvmOptions() {
    return jvmOptions;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  ProcessSample sample() throws IOException {
    return ProcessSample.read(process.pid());
  }

  /** NMT summary through {@code jcmd}; only meaningful when started with -XX:NativeMemoryTracking=summary. */
  NativeMemorySummary nativeMemory() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process command = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "VM.native_memory",
        "summary").redirectErrorStream(true).start();
    byte[] output = command.getInputStream().readAllBytes();
    if (!command.waitFor(30, TimeUnit.SECONDS)) {
      command.destroyForcibly();
      throw new IOException("jcmd did not finish");
    }
    return NativeMemorySummary.parse(new String(output, StandardCharsets.UTF_8));
  }

  /** SIGTERM (the daemon stops its workers cleanly), then SIGKILL after {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(20));
  }
}
