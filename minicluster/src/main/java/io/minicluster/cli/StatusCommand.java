package io.minicluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.config.Settings;
import io.minicluster.server.Version;
import io.minicluster.service.DaemonApi;
import io.minicluster.service.DockerEngine;
import io.minicluster.service.PidFile;
import io.minicluster.service.SystemdService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code minicluster status}: is the appliance healthy, one fact per line. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show whether minicluster is healthy, one fact per line.",
        "Service, API, node, pods by phase, SOCKS "
        + "gateway and its counters, Docker engine, data size, versions and memory.",
        "The service is the background service of the pid file when one runs, else the systemd unit."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:healthy: the API answers and the node is Ready (when the node agent runs)",
        "1:not healthy (the lines say what is wrong)", "2:bad command line or configuration"})
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Admin kubeconfig to reach the API (default: DATA_DIR/kubeconfig.yaml).")
  Path kubeconfig;

  @Option(names = "--pid-file", paramLabel = "FILE", defaultValue = "/run/minicluster.pid",
      description = "Pid file of the background service (default: ${DEFAULT-VALUE}).")
  Path pidFile;

  @Spec
  CommandSpec spec;

  private final List<String> problems = new ArrayList<>();
  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    Settings settings = options.load();
    out = spec.commandLine().getOut();
    Path dataDir = settings.dataDir();

    Optional<Services.Running> running = Services.running(new PidFile(pidFile));
    if (running.isPresent() && running.get().systemd() != null) {
      String state = running.get().systemd().state();
      fact("service", state + " (systemd unit " + SystemdService.UNIT + ")");
      if (!state.equals("active")) {
        problems.add("the service is " + state + " (journalctl -u minicluster shows why)");
      }
    } else if (running.isPresent()) {
      Services.Running background = running.get();
      String daemon = background.background().daemon().map(process -> ", daemon pid " + process.pid())
          .orElse(", no daemon running (restarting?)");
      fact("service", "running (background service, supervisor pid " + background.supervisor().pid() + daemon
          + ", pid file " + background.background().pidFile().path() + ")");
    } else {
      fact("service", "not running (start it with `" + (SystemdService.detect().isPresent()
          ? "systemctl start minicluster" : "minicluster start") + "`)");
    }

    Path config = kubeconfig != null ? kubeconfig : dataDir.resolve("kubeconfig.yaml");
    DaemonApi api = null;
    try {
      api = DaemonApi.fromKubeconfig(config);
    } catch (IOException e) {
      fact("api", "unknown: " + e.getMessage());
      problems.add("the API cannot be reached");
    }
    Map<String, String> metrics = Map.of();
    if (api != null) {
      if (api.ready()) {
        fact("api", "ready (" + api.server() + ")");
        metrics = metrics(api);
        liveness(api);
        node(api, settings);
        pods(api);
      } else {
        fact("api", "not answering at " + api.server() + (running.isPresent() ? " (starting, or see the log)"
            : ""));
        problems.add("the API does not answer");
      }
    }
    socks(metrics, settings);
    docker(settings);
    fact("data", dataDir + " (" + dataSize(dataDir) + ")");
    String version = metrics.entrySet().stream().filter(entry -> entry.getKey().startsWith("minicluster_build_info"))
        .map(entry -> label(entry.getKey(), "version")).findFirst().orElse(null);
    fact("version", "minicluster " + (version != null ? version : Version.version() + " (this command)")
        + ", Kubernetes API " + Version.KUBERNETES_VERSION);
    String heapUsed = metrics.get("jvm_memory_used_bytes{area=\"heap\"}");
    String heapMax = metrics.get("jvm_memory_max_bytes{area=\"heap\"}");
    String resident = metrics.get("process_resident_memory_bytes");
    if (heapUsed != null && heapMax != null) {
      fact("memory", "heap " + bytes(heapUsed) + " used of " + bytes(heapMax)
          + (resident == null ? "" : "; resident " + bytes(resident)));
    }
    fact("healthy", problems.isEmpty() ? "yes" : "no: " + String.join("; ", problems));
    out.flush();
    return problems.isEmpty() ? 0 : 1;
  }

  /** The daemon's /livez: "ok", or the core loops that stalled (a problem: systemd would do well to restart it). */
  private void liveness(DaemonApi api) throws InterruptedException {
    try {
      HttpResponse<String> response = api.get("/livez?verbose");
      if (response.statusCode() == 200) {
        fact("liveness", "ok");
        return;
      }
      List<String> stalled = failedChecks(response.body());
      fact("liveness", "stalled: " + String.join(", ", stalled) + " (see /livez/<check> for the reason)");
      problems.add("core loops stalled: " + String.join(", ", stalled));
    } catch (IOException e) {
      fact("liveness", "unknown: " + e.getMessage());
    }
  }

  /** The names of the failed checks in a verbose /livez answer ({@code [-]name failed: ...} lines). */
  static List<String> failedChecks(String body) {
    List<String> failed = new ArrayList<>();
    for (String line : body.split("\n")) {
      int end = line.indexOf(" failed");
      if (line.startsWith("[-]") && end > 3) {
        failed.add(line.substring(3, end));
      }
    }
    return failed;
  }

  private void fact(String name, String value) {
    out.println(name + ": " + value);
  }

  private void node(DaemonApi api, Settings settings) throws InterruptedException {
    if (!settings.nodeAgent() && !settings.simulatedNode()) {
      fact("node", "none (node-agent: false)");
      return;
    }
    try {
      JsonNode nodes = api.json("/api/v1/nodes");
      if (nodes.path("items").isEmpty()) {
        fact("node", "not registered yet");
        problems.add("no node");
      }
      for (JsonNode node : nodes.path("items")) {
        String name = node.path("metadata").path("name").asText();
        JsonNode ready = null;
        for (JsonNode condition : node.path("status").path("conditions")) {
          if (condition.path("type").asText().equals("Ready")) {
            ready = condition;
          }
        }
        boolean isReady = ready != null && ready.path("status").asText().equals("True");
        fact("node", name + " " + (isReady ? "Ready" : "NotReady" + (ready == null ? ""
            : " (" + ready.path("message").asText() + ")")));
        if (!isReady) {
          problems.add("node " + name + " is not Ready");
        }
      }
    } catch (IOException e) {
      fact("node", "unknown: " + e.getMessage());
      problems.add("the node cannot be read");
    }
  }

  private void pods(DaemonApi api) throws InterruptedException {
    try {
      JsonNode pods = api.json("/api/v1/pods");
      Map<String, Integer> phases = new TreeMap<>();
      for (JsonNode pod : pods.path("items")) {
        phases.merge(pod.path("status").path("phase").asText("Unknown"), 1, Integer::sum);
      }
      int total = phases.values().stream().mapToInt(Integer::intValue).sum();
      List<String> parts = new ArrayList<>();
      phases.forEach((phase, count) -> parts.add(phase + " " + count));
      fact("pods", total + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")"));
    } catch (IOException e) {
      fact("pods", "unknown: " + e.getMessage());
    }
  }

  private void socks(Map<String, String> metrics, Settings settings) {
    if (settings.socksPort() < 0) {
      fact("socks gateway", "off (socks-port: -1)");
      return;
    }
    String address = metrics.keySet().stream().filter(key -> key.startsWith("minicluster_socks_gateway_info"))
        .map(key -> label(key, "address")).findFirst().orElse(null);
    if (address == null) {
      fact("socks gateway", settings.socksBindAddress() + ":" + settings.socksPort() + " (configured; no counters"
          + " from the daemon)");
      return;
    }
    long refused = metrics.entrySet().stream().filter(entry -> entry.getKey().startsWith("socks_gateway_refusals_total"))
        .mapToLong(entry -> (long) Double.parseDouble(entry.getValue())).sum();
    long bytes = metrics.entrySet().stream().filter(entry -> entry.getKey().startsWith("socks_gateway_bytes_total"))
        .mapToLong(entry -> (long) Double.parseDouble(entry.getValue())).sum();
    fact("socks gateway", address + " (connections: " + number(metrics.get("socks_gateway_connections_total"))
        + " total, " + number(metrics.get("socks_gateway_connections_active")) + " open, "
        + number(metrics.get("socks_gateway_connections_relayed_total")) + " relayed, " + refused + " refused; "
        + bytes(Long.toString(bytes)) + " relayed)");
  }

  private void docker(Settings settings) {
    try (DockerEngine engine = DockerEngine.connect(System.getenv())) {
      Optional<String> version = engine.version();
      if (version.isPresent()) {
        fact("docker", version.get() + " (" + engine.host() + ")");
      } else {
        fact("docker", "not answering: " + engine.notAnswering());
        if (settings.nodeAgent()) {
          problems.add("the Docker engine does not answer");
        }
      }
    } catch (IOException | RuntimeException e) {
      fact("docker", "unknown: " + e.getMessage());
    }
  }

  private static Map<String, String> metrics(DaemonApi api) throws InterruptedException {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      var response = api.get("/metrics");
      if (response.statusCode() != 200) {
        return values;
      }
      for (String line : response.body().lines().toList()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        if (space > 0) {
          values.put(line.substring(0, space), line.substring(space + 1));
        }
      }
    } catch (IOException e) {
      // no metrics: the lines that need them say so
    }
    return values;
  }

  /** The value of label {@code name} in a series such as {@code metric{name="value"}}. */
  static String label(String series, String name) {
    String marker = name + "=\"";
    int start = series.indexOf(marker);
    if (start < 0) {
      return null;
    }
    int end = series.indexOf('"', start + marker.length());
    return end < 0 ? null : series.substring(start + marker.length(), end);
  }

  private static String number(String value) {
    return value == null ? "?" : Long.toString((long) Double.parseDouble(value));
  }

  static String bytes(String value) {
    double bytes = Double.parseDouble(value);
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return unit == 0 ? ((long) bytes) + " B" : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
  }

  private static String dataSize(Path dataDir) {
    if (!Files.exists(dataDir)) {
      return "does not exist";
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      long total = files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
      return bytes(Long.toString(total));
    } catch (UncheckedIOException | IOException e) {
      Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
      return cause instanceof AccessDeniedException ? "size unknown: permission denied (run with sudo)"
          : "size unknown: " + cause.getMessage();
    }
  }
}
