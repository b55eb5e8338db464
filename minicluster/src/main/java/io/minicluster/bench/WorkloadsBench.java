package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Workload controllers against the real daemon (a child process) on the local Docker engine: a Deployment of N
 * replicas from creation to fully available, then its rolling update (a new pod template) until every replica is
 * updated and available and the old ones are gone, then a Job of C completions with parallelism P until Complete.
 * Next to them, in the same run and the same daemon, the pod-start figure of {@code bench pods}: single pods created
 * one after the other, create to Running seen through a watch. Status is read by polling every 100 ms (the
 * resolution of the figures).
 */
public final class WorkloadsBench {
  private static final String IMAGE = PodsBench.IMAGE;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration POD_START_TIMEOUT = Duration.ofSeconds(60);

  /** The run's parameters. */
  public record Options(Path directory, int pods, int replicas, int completions, int parallelism,
      Duration timeout, List<String> jvmOptions, String podCidr) {
    public Options {
      requireNonNull(directory, "directory is null");
      requireNonNull(timeout, "timeout is null");
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final String namespace = "wl-" + runId;

  private WorkloadsBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void run(Options options, PrintStream out) throws Exception {
    requireNonNull(options, "options is null");
    requireNonNull(out, "out is null");
    new WorkloadsBench(options, out).measure();
  }

  private void measure() throws Exception {
    Files.createDirectories(options.directory());
    Path data = options.directory().resolve("data-" + runId);
    Path log = options.directory().resolve("daemon-" + runId + ".log");
    String podCidr = options.podCidr() != null ? options.podCidr() : PodsBench.existingPodSubnet();
    out.printf(Locale.ROOT, "minicluster bench workloads: %d single pod starts, a Deployment of %d replicas and its"
        + " rolling update, a Job of %d completions with parallelism %d; image %s; %d cores%n", options.pods(),
        options.replicas(), options.completions(), options.parallelism(), IMAGE,
        Runtime.getRuntime().availableProcessors());
    DaemonProcess daemon = DaemonProcess.start(options.jvmOptions(), data, "bench-" + runId, podCidr, log);
    ClusterApi api = null;
    try {
      api = PodsBench.awaitApi(daemon);
      ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", namespace);
      api.post("/api/v1/namespaces", ns);

      Latencies podStarts = new Latencies();
      for (int i = 0; i < options.pods() + 1; i++) {
        long start = System.nanoTime();
        ObjectNode created = api.post(pods(), PodsBench.podManifest("single-" + i));
        long running = api.awaitRunning(namespace, "single-" + i, Json.textOrNull(created, "metadata",
            "resourceVersion"), POD_START_TIMEOUT);
        if (i > 0) { // the first one warms the daemon up
          podStarts.record(running - start);
        }
        api.delete(pods() + "/single-" + i);
      }
      double podP50 = podStarts.percentileMillis(50);
      out.printf(Locale.ROOT, "single pod, create -> Running (bench pods' figure): p50 %.0f ms, p99 %.0f ms"
          + " over %d pods%n", podP50, podStarts.percentileMillis(99), podStarts.count());

      String deployments = "/apis/apps/v1/namespaces/" + namespace + "/deployments";
      long start = System.nanoTime();
      api.post(deployments, deployment("web", options.replicas(), "v1"));
      awaitObject(api, deployments + "/web", d -> rolledOut(d, options.replicas()), "deployment available");
      double available = (System.nanoTime() - start) / 1e6;
      out.printf(Locale.ROOT, "deployment of %d replicas, create -> %d available: %.1f s (%.1f x the single pod"
          + " p50; %.0f ms per replica)%n", options.replicas(), options.replicas(), available / 1000,
          available / podP50, available / options.replicas());

      ObjectNode current = api.get(deployments + "/web");
      ObjectNode template = (ObjectNode) current.path("spec").path("template");
      ((ObjectNode) template.path("metadata")).putObject("annotations").put("bench/revision", "v2");
      start = System.nanoTime();
      api.put(deployments + "/web", current);
      awaitObject(api, deployments + "/web", d -> rolledOut(d, options.replicas()), "rolling update");
      double rolled = (System.nanoTime() - start) / 1e6;
      out.printf(Locale.ROOT, "rolling update (maxSurge 25%%, maxUnavailable 25%%), new template -> %d updated, "
          + "available, old pods gone: %.1f s (%.1f x the single pod p50)%n", options.replicas(), rolled / 1000,
          rolled / podP50);

      String jobs = "/apis/batch/v1/namespaces/" + namespace + "/jobs";
      start = System.nanoTime();
      api.post(jobs, job("batch", options.completions(), options.parallelism()));
      awaitObject(api, jobs + "/batch", WorkloadsBench::complete, "job complete");
      double done = (System.nanoTime() - start) / 1e6;
      out.printf(Locale.ROOT, "job of %d completions, parallelism %d, create -> Complete: %.1f s (%.1f x the single"
          + " pod p50; %.0f ms per completion, %.0f ms per wave of %d)%n", options.completions(),
          options.parallelism(), done / 1000, done / podP50, done / options.completions(),
          done / Math.ceil(options.completions() / (double) options.parallelism()), options.parallelism());
    } finally {
      cleanUp(api, daemon, data, log);
    }
  }

  private String pods() {
    return "/api/v1/namespaces/" + namespace + "/pods";
  }

  private ObjectNode deployment(String name, int replicas, String revision) {
    ObjectNode deployment = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
    deployment.putObject("metadata").put("name", name);
    ObjectNode spec = deployment.putObject("spec").put("replicas", replicas);
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode template = podTemplate(name);
    ((ObjectNode) template.path("metadata")).putObject("annotations").put("bench/revision", revision);
    spec.set("template", template);
    return deployment;
  }

  private ObjectNode job(String name, int completions, int parallelism) {
    ObjectNode job = Json.object().put("apiVersion", "batch/v1").put("kind", "Job");
    job.putObject("metadata").put("name", name);
    ObjectNode spec = job.putObject("spec").put("completions", completions).put("parallelism", parallelism)
        .put("backoffLimit", 0);
    ObjectNode template = podTemplate(name);
    ObjectNode podSpec = (ObjectNode) template.path("spec");
    podSpec.put("restartPolicy", "Never");
    ((ObjectNode) podSpec.path("containers").get(0)).putArray("command").add("true");
    spec.set("template", template);
    return job;
  }

  /** The pod of {@code bench pods} as a template labelled {@code app: <app>}. */
  private static ObjectNode podTemplate(String app) {
    ObjectNode template = PodsBench.podManifest(app);
    template.remove("apiVersion");
    template.remove("kind");
    ObjectNode metadata = (ObjectNode) template.path("metadata");
    metadata.remove("name");
    metadata.putObject("labels").put("app", app);
    return template;
  }

  /** Every replica of the current template available, none of an older one left, the status up to date. */
  private static boolean rolledOut(JsonNode deployment, int replicas) {
    JsonNode status = deployment.path("status");
    return status.path("observedGeneration").asLong() >= deployment.path("metadata").path("generation").asLong()
        && status.path("updatedReplicas").asInt() == replicas && status.path("availableReplicas").asInt() == replicas
        && status.path("replicas").asInt() == replicas;
  }

  private static boolean complete(JsonNode job) {
    for (JsonNode condition : job.path("status").path("conditions")) {
      if ("True".equals(condition.path("status").asText()) && ("Complete".equals(condition.path("type").asText())
          || "Failed".equals(condition.path("type").asText()))) {
        if ("Failed".equals(condition.path("type").asText())) {
          throw new IllegalStateException("the job failed: " + condition);
        }
        return true;
      }
    }
    return false;
  }

  private void awaitObject(ClusterApi api, String path, Predicate<JsonNode> done, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (true) {
      ObjectNode object = api.get(path);
      if (done.test(object)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("timed out waiting for " + what + ": " + object.path("status"));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void cleanUp(ClusterApi api, DaemonProcess daemon, Path data, Path log) throws Exception {
    long start = System.nanoTime();
    if (api != null && daemon.alive()) {
      try {
        api.delete("/apis/apps/v1/namespaces/" + namespace + "/deployments/web?propagationPolicy=Background");
        api.delete("/apis/batch/v1/namespaces/" + namespace + "/jobs/batch?propagationPolicy=Background");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && api.get(pods()).path("items").size() > 0) {
          Thread.sleep(500);
        }
      } catch (IOException e) {
        out.println("deleting the workloads through the API failed: " + e.getMessage());
      }
    }
    daemon.stop(Duration.ofSeconds(20));
    String left = BareDocker.docker("ps", "-aq", "--filter", "label=io.minicluster.pod.namespace=" + namespace)
        .strip();
    if (!left.isEmpty()) {
      List<String> remove = new ArrayList<>(List.of("rm", "-f"));
      remove.addAll(List.of(left.split("\\s+")));
      BareDocker.docker(remove.toArray(new String[0]));
      out.printf("force-removed %d containers the daemon left behind%n", remove.size() - 2);
    }
    PodsBench.removeProxyRules(data, out);
    PodsBench.deleteTree(data);
    out.printf(Locale.ROOT, "cleaned up in %.1f s (daemon log %s)%n", (System.nanoTime() - start) / 1e9, log);
  }
}
