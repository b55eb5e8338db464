package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.minicluster.pki.Pki;
import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.IptablesApplier;
import io.minicluster.proxy.IptablesBackend;
import io.minicluster.server.ServerConfig;
import io.minicluster.service.Launcher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code minicluster bench pods}: pod start latency (create → {@code Running} seen through a watch) of the real daemon
 * run as a child process, next to a bare Docker start of the same sandbox + container measured in the same run
 * (interleaved: pod, CLI, API, pod, ...), and the daemon's resident memory and CPU idle and with many pods running.
 */
public final class PodsBench {
  private static final Logger LOG = LoggerFactory.getLogger(PodsBench.class);

  /**
   * Daemon JVM options that keep it well within its memory budget (measured: ~107-120 MB RSS idle, ~162 MB with 100
   * pods, against ~163 MB idle with JVM defaults on a 24 GB host). The serial collector drops G1's ~40 MB of remembered
   * sets and card tables; C1 only (TieredStopAtLevel=1) saves compiler arenas and code cache at a CPU cost that does
   * not matter for a control plane that is idle most of the time; unpooled Netty buffers avoid per-arena chunks. The
   * maximum heap is the packaged daemon's, chosen from this machine's memory ({@code HeapSize}).
   */
  public static final List<String> RECOMMENDED_JVM_OPTIONS = Launcher.daemonJvmOptions(System.getenv());

  static final String NAMESPACE = "bench";
  static final String IMAGE = "minicluster-test/busybox:1";
  static final List<String> COMMAND = List.of("sleep", "3600");
  static final String NETWORK = "minicluster";
  static final double P50_RATIO_GOAL = 1.3;
  static final double P99_GOAL_MILLIS = 2000;
  static final double RSS_IDLE_GOAL_MEGABYTES = 200;
  static final double RSS_LOADED_GOAL_MEGABYTES = 300;

  private static final Duration POD_START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final Duration IDLE_CPU_WINDOW = Duration.ofSeconds(30);
  private static final Duration LOADED_CPU_WINDOW = Duration.ofSeconds(20);

  /**
   * What to run.
   *
   * @param directory scratch directory (daemon data and log go below it; removed at the end unless keep)
   * @param pods pods whose start latency is measured (and as many bare Docker starts of each kind)
   * @param warmUp unmeasured rounds before them
   * @param loadedPods pods running for the "with pods" memory and CPU figures
   * @param podCidr pod network of the daemon; null = the subnet of the existing Docker network, else the default
   * @param jvmOptions the daemon's JVM options
   * @param nativeMemoryTracking whether to run the daemon with NMT and print where its memory goes
   * @param keep keep the scratch directory (data and daemon log)
   */
  public record Options(Path directory, int pods, int warmUp, int loadedPods, String podCidr, List<String> jvmOptions,
      boolean nativeMemoryTracking, boolean keep) {
    public Options {
      requireNonNull(directory, "directory is null");
      jvmOptions = List.copyOf(requireNonNull(jvmOptions, "jvmOptions is null"));
      if (pods < 1 || warmUp < 0 || loadedPods < pods + warmUp || loadedPods > 500) {
        throw new IllegalArgumentException("need 1 <= pods, 0 <= warm-up, pods + warm-up <= loaded pods <= 500");
      }
    }
  }

  private final Options options;
  private final PrintStream out;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> podNames = new ArrayList<>();
  private final List<String> podUids = new ArrayList<>();

  private PodsBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the benchmark, prints its figures to {@code out}; returns whether every goal was met. */
  public static boolean run(Options options, PrintStream out) throws Exception {
    requireNonNull(options, "options is null");
    requireNonNull(out, "out is null");
    return new PodsBench(options, out).measure();
  }

  private boolean measure() throws Exception {
    Files.createDirectories(options.directory());
    Path data = options.directory().resolve("data-" + runId);
    Path log = options.directory().resolve("daemon-" + runId + ".log");
    String podCidr = options.podCidr() != null ? options.podCidr() : existingPodSubnet();
    List<String> jvmOptions = new ArrayList<>(options.jvmOptions());
    if (options.nativeMemoryTracking()) {
      jvmOptions.add("-XX:NativeMemoryTracking=summary");
    }
    out.printf("minicluster bench pods: %d measured pod starts (+%d warm-up), %d pods for the loaded figures%n",
        options.pods(), options.warmUp(), options.loadedPods());
    out.printf("daemon: %s %s (%s), pod network %s, Docker %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), System.getProperty("java.home"), podCidr,
        BareDocker.docker("version", "--format", "{{.Server.Version}}").strip());
    out.printf("daemon JVM options: %s%n", String.join(" ", jvmOptions));

    Figures figures = new Figures();
    BareDocker bare = null;
    DaemonProcess daemon = DaemonProcess.start(jvmOptions, data, "bench-" + runId, podCidr, log);
    ClusterApi api = null;
    boolean finished = false;
    try {
      api = awaitApi(daemon);
      out.printf("daemon pid %d: %s%n", daemon.pid(), effectiveFlags(daemon.pid()));
      createNamespace(api);

      sleep(SETTLE);
      ProcessSample idle = daemon.sample();
      figures.idle = idle;
      long idleStart = System.nanoTime();
      sleep(IDLE_CPU_WINDOW);
      ProcessSample idleEnd = daemon.sample();
      figures.idleCpuPercent = idleEnd.cpuPercentSince(idle, System.nanoTime() - idleStart);
      figures.idleNativeMemory = options.nativeMemoryTracking() ? daemon.nativeMemory() : null;

      // the first pod is started alone so the sandbox image the daemon uses can be found for the bare peer
      long firstPodLatency = startPod(api, 0);
      String sandboxImage = sandboxImage(podUids.get(0));
      out.printf("sandbox image used by the daemon: %s; application image %s %s%n", sandboxImage, IMAGE,
          String.join(" ", COMMAND));
      bare = new BareDocker(runId, NETWORK, sandboxImage, IMAGE, COMMAND);
      for (int i = 0; i < options.warmUp() + options.pods(); i++) {
        boolean measured = i >= options.warmUp();
        long pod = i == 0 ? firstPodLatency : startPod(api, podNames.size());
        long cli = bare.startWithCli("mcbench-" + runId + "-cli-" + i);
        long engine = bare.startWithApi("mcbench-" + runId + "-api-" + i);
        if (measured) {
          figures.pod.record(pod);
          figures.cli.record(cli);
          figures.engine.record(engine);
        }
      }
      out.printf("bare Docker pairs started and removed: %d containers%n", bare.removeAll());

      while (podNames.size() < options.loadedPods()) {
        createPod(api, podNames.size());
      }
      awaitAllRunning(api, Duration.ofSeconds(180));
      sleep(SETTLE);
      ProcessSample loaded = daemon.sample();
      figures.loaded = loaded;
      long loadedStart = System.nanoTime();
      sleep(LOADED_CPU_WINDOW);
      ProcessSample loadedEnd = daemon.sample();
      figures.loadedCpuPercent = loadedEnd.cpuPercentSince(loaded, System.nanoTime() - loadedStart);
      figures.peakResidentMegabytes = loadedEnd.peakResidentMegabytes();
      figures.loadedNativeMemory = options.nativeMemoryTracking() ? daemon.nativeMemory() : null;
      finished = true;
    } finally {
      cleanUp(api, daemon, bare, data, log, finished);
    }
    return print(figures, jvmOptions);
  }

  // ---------------------------------------------------------------- steps

  static ClusterApi awaitApi(DaemonProcess daemon) throws Exception {
    Path kubeconfig = daemon.dataDirectory().resolve("kubeconfig.yaml");
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.exists(kubeconfig)) {
      check(daemon, deadline, "the daemon to write " + kubeconfig);
      Thread.sleep(100);
    }
    ClusterApi api = new ClusterApi(Pki.loadOrCreate(daemon.dataDirectory(), List.of(), List.of())
        .jdkClientSslContext(true), daemon.apiPort());
    while (api.status("/readyz") != 200) {
      check(daemon, deadline, "/readyz");
      Thread.sleep(100);
    }
    while (!nodeReady(api)) {
      check(daemon, deadline, "a Ready node");
      Thread.sleep(200);
    }
    return api;
  }

  private static void check(DaemonProcess daemon, long deadline, String what) throws IOException {
    if (!daemon.alive()) {
      throw new IOException("the daemon exited while waiting for " + what + "; see " + daemon.log());
    }
    if (System.nanoTime() > deadline) {
      throw new IOException("timed out waiting for " + what + "; see " + daemon.log());
    }
  }

  private static boolean nodeReady(ClusterApi api) throws IOException, InterruptedException {
    for (JsonNode node : api.get("/api/v1/nodes").path("items")) {
      for (JsonNode condition : node.path("status").path("conditions")) {
        if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static void createNamespace(ClusterApi api) throws IOException, InterruptedException {
    ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
    namespace.putObject("metadata").put("name", NAMESPACE);
    api.post("/api/v1/namespaces", namespace);
  }

  /** The pod manifest: busybox sleeping, never pulled, killed one second after deletion. */
  static ObjectNode podManifest(String name) {
    ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", name).putObject("labels").put("app", "bench");
    ObjectNode spec = pod.putObject("spec").put("terminationGracePeriodSeconds", 1)
        .put("automountServiceAccountToken", false);
    ObjectNode container = spec.putArray("containers").addObject().put("name", "main").put("image", IMAGE)
        .put("imagePullPolicy", "IfNotPresent");
    COMMAND.forEach(container.putArray("command")::add);
    return pod;
  }

  private ObjectNode createPod(ClusterApi api, int index) throws IOException, InterruptedException {
    String name = "pod-" + index;
    ObjectNode created = api.post("/api/v1/namespaces/" + NAMESPACE + "/pods", podManifest(name));
    podNames.add(name);
    podUids.add(Json.textOrNull(created, "metadata", "uid"));
    return created;
  }

  /** Creates pod {@code index} and returns the nanoseconds until a watch shows it Running. */
  private long startPod(ClusterApi api, int index) throws IOException, InterruptedException {
    long start = System.nanoTime();
    ObjectNode created = createPod(api, index);
    long running = api.awaitRunning(NAMESPACE, Json.textOrNull(created, "metadata", "name"),
        Json.textOrNull(created, "metadata", "resourceVersion"), POD_START_TIMEOUT);
    return running - start;
  }

  private static String sandboxImage(String podUid) throws IOException, InterruptedException {
    String image = BareDocker.docker("ps", "-a", "--filter", "label=io.minicluster.pod.uid=" + podUid, "--filter",
        "label=io.minicluster.type=sandbox", "--format", "{{.Image}}").strip();
    if (image.isEmpty() || image.contains("\n")) {
      throw new IOException("cannot find the one sandbox container of pod " + podUid + ": '" + image + "'");
    }
    return image;
  }

  private void awaitAllRunning(ClusterApi api, Duration timeout) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int running = 0;
    while (System.nanoTime() < deadline) {
      running = 0;
      for (JsonNode pod : api.get("/api/v1/namespaces/" + NAMESPACE + "/pods").path("items")) {
        if ("Running".equals(pod.path("status").path("phase").asText())) {
          running++;
        }
      }
      if (running == podNames.size()) {
        out.printf("%d pods Running (the last %d created back to back were all Running %.1f s later)%n", running,
            options.loadedPods() - options.pods() - options.warmUp(), (System.nanoTime() - start) / 1e9);
        return;
      }
      Thread.sleep(500);
    }
    throw new IOException("only " + running + " of " + podNames.size() + " pods Running after " + timeout);
  }

  // ---------------------------------------------------------------- clean-up

  private void cleanUp(ClusterApi api, DaemonProcess daemon, BareDocker bare, Path data, Path log, boolean finished)
      throws Exception {
    long start = System.nanoTime();
    if (bare != null) {
      bare.removeAll();
      bare.close();
    }
    if (api != null && daemon.alive()) {
      try {
        for (String name : podNames) {
          api.delete("/api/v1/namespaces/" + NAMESPACE + "/pods/" + name);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && (api.get("/api/v1/namespaces/" + NAMESPACE + "/pods")
            .path("items").size() > 0 || !podContainers().isEmpty())) {
          Thread.sleep(500);
        }
      } catch (IOException e) {
        out.println("deleting the pods through the API failed: " + e.getMessage());
      }
    }
    daemon.stop(Duration.ofSeconds(20));
    List<String> leftovers = podContainers();
    if (!leftovers.isEmpty()) {
      out.printf("force-removing %d pod containers the daemon left behind%n", leftovers.size());
      List<String> remove = new ArrayList<>(List.of("rm", "-f"));
      remove.addAll(leftovers);
      BareDocker.docker(remove.toArray(new String[0]));
    }
    if (!finished) {
      out.println("daemon log (last lines) " + log + ":");
      try (Stream<String> lines = Files.lines(log)) {
        List<String> all = lines.toList();
        all.subList(Math.max(0, all.size() - 30), all.size()).forEach(line -> out.println("  " + line));
      }
    }
    if (!options.keep()) {
      deleteTree(data);
      Files.deleteIfExists(log);
    }
    out.printf("cleaned up %d pods and their containers%s in %.1f s%n", podNames.size(),
        options.keep() ? " (kept " + data + " and " + log + ")" : " and the data directory",
        (System.nanoTime() - start) / 1e9);
  }

  /** Engine containers (running or not) of this run's pods. */
  private List<String> podContainers() throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    String all = BareDocker.docker("ps", "-a", "--filter", "label=io.minicluster.pod.namespace=" + NAMESPACE,
        "--format", "{{.ID}} {{.Label \"io.minicluster.pod.uid\"}}");
    Set<String> uids = new HashSet<>(podUids);
    for (String line : all.split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length == 2 && uids.contains(fields[1])) {
        ids.add(fields[0]);
      }
    }
    return ids;
  }

  /**
   * Removes the service proxy rules of the stopped daemon whose data directory is {@code data} (a daemon leaves them
   * installed when it stops, so that they keep serving until its next start; a benchmark's daemon never starts again).
   */
  static void removeProxyRules(Path data, PrintStream out) throws IOException {
    List<IptablesBackend> cleaned = IptablesApplier.uninstallEverywhere(CommandRunner.host(), Chains.forDataDir(data));
    if (!cleaned.isEmpty()) {
      out.printf("removed the daemon's service proxy chains (%s) from %s%n", Chains.forDataDir(data), cleaned);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  // ---------------------------------------------------------------- report

  private static String effectiveFlags(long pid) {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "VM.flags").redirectErrorStream(true).start();
      String flags = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor();
      List<String> shown = new ArrayList<>();
      for (String flag : flags.split("\\s+")) {
        if (flag.matches("-XX:[+]Use\\w+GC|-XX:(MaxHeapSize|InitialHeapSize|MaxMetaspaceSize|ThreadStackSize"
            + "|ReservedCodeCacheSize|TieredStopAtLevel|MaxDirectMemorySize|CICompilerCount)=.*")) {
          shown.add(flag);
        }
      }
      return "effective " + String.join(" ", shown);
    } catch (IOException | InterruptedException e) {
      return "effective flags unknown (" + e.getMessage() + ")";
    }
  }

  private boolean print(Figures figures, List<String> jvmOptions) {
    out.println();
    out.printf("%-56s %9s %9s %9s%n", "start latency, " + options.pods() + " each (interleaved)", "p50 ms", "p99 ms",
        "max ms");
    row("pod: create -> Running seen by a watch", figures.pod);
    row("bare docker CLI: run sandbox + run container", figures.cli);
    row("bare engine API (docker-java), same pair", figures.engine);
    double podP50 = figures.pod.percentileMillis(50);
    double podP99 = figures.pod.percentileMillis(99);
    double cliP50 = figures.cli.percentileMillis(50);
    out.printf("%-56s %9.2f %9.2f%n", "ratio pod / bare docker CLI", podP50 / cliP50,
        podP99 / figures.cli.percentileMillis(99));
    out.printf("%-56s %9.2f %9.2f%n", "ratio pod / bare engine API", podP50 / figures.engine.percentileMillis(50),
        podP99 / figures.engine.percentileMillis(99));
    out.println();
    out.printf("%-56s %9s %9s %9s%n", "daemon process", "RSS MB", "threads", "CPU %");
    out.printf("%-56s %9.1f %9d %9.2f%n", "idle (10 s after start; CPU over "
        + IDLE_CPU_WINDOW.toSeconds() + " s)", figures.idle.residentMegabytes(), figures.idle.threads(),
        figures.idleCpuPercent);
    out.printf("%-56s %9.1f %9d %9.2f%n", options.loadedPods() + " pods Running (CPU over "
        + LOADED_CPU_WINDOW.toSeconds() + " s)", figures.loaded.residentMegabytes(), figures.loaded.threads(),
        figures.loadedCpuPercent);
    out.printf("%-56s %9.1f%n", "peak RSS over the whole run (VmHWM)", figures.peakResidentMegabytes);
    printNativeMemory("idle", figures.idleNativeMemory);
    printNativeMemory(options.loadedPods() + " pods", figures.loadedNativeMemory);

    List<Goal> goals = List.of(
        new Goal(String.format("pod start p50 <= %.1fx bare docker CLI p50 (%.0f ms)", P50_RATIO_GOAL,
            P50_RATIO_GOAL * cliP50), podP50, P50_RATIO_GOAL * cliP50, "ms"),
        new Goal(String.format("pod start p99 <= %.0f ms", P99_GOAL_MILLIS), podP99, P99_GOAL_MILLIS, "ms"),
        new Goal(String.format("RSS idle <= %.0f MB", RSS_IDLE_GOAL_MEGABYTES), figures.idle.residentMegabytes(),
            RSS_IDLE_GOAL_MEGABYTES, "MB"),
        new Goal(String.format("RSS with %d pods <= %.0f MB", options.loadedPods(), RSS_LOADED_GOAL_MEGABYTES),
            figures.loaded.residentMegabytes(), RSS_LOADED_GOAL_MEGABYTES, "MB"));
    out.println();
    out.printf("%-56s %9s %s%n", "goal", "measured", "result");
    boolean all = true;
    for (Goal goal : goals) {
      out.printf("%-56s %9.1f %s%n", goal.description(), goal.measured(), goal.met() ? "PASS" : "FAIL");
      all &= goal.met();
    }
    out.printf("daemon JVM options used: %s%n", String.join(" ", jvmOptions));
    return all;
  }

  private void row(String label, Latencies latencies) {
    out.printf("%-56s %9.1f %9.1f %9.1f%n", label, latencies.percentileMillis(50), latencies.percentileMillis(99),
        latencies.percentileMillis(100));
  }

  private void printNativeMemory(String when, NativeMemorySummary summary) {
    if (summary == null) {
      return;
    }
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Long> entry : summary.top(7)) {
      line.append(String.format(" %s %.1f,", entry.getKey(), entry.getValue() / 1024.0));
    }
    out.printf("NMT %s: committed %.1f MB =%s (MB)%n", when, summary.totalCommittedKilobytes() / 1024.0,
        line.substring(0, line.length() - 1));
  }

  /** A goal: measured must not exceed limit. */
  record Goal(String description, double measured, double limit, String unit) {
    boolean met() {
      return !Double.isNaN(measured) && measured <= limit;
    }
  }

  /** The figures as they are measured. */
  private static final class Figures {
    final Latencies pod = new Latencies();
    final Latencies cli = new Latencies();
    final Latencies engine = new Latencies();
    ProcessSample idle;
    ProcessSample loaded;
    double idleCpuPercent;
    double loadedCpuPercent;
    double peakResidentMegabytes;
    NativeMemorySummary idleNativeMemory;
    NativeMemorySummary loadedNativeMemory;
  }

  static String existingPodSubnet() throws IOException, InterruptedException {
    try {
      String subnet = BareDocker.docker("network", "inspect", NETWORK, "--format",
          "{{range .IPAM.Config}}{{.Subnet}} {{end}}").strip();
      if (!subnet.isEmpty()) {
        return subnet.split(" ")[0];
      }
    } catch (IOException e) {
      LOG.debug("no Docker network {}: {}", NETWORK, e.getMessage());
    }
    return ServerConfig.DEFAULT_POD_CIDR;
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
