package io.minicluster.bench;

import io.minicluster.server.Minicluster;
import io.minicluster.server.ServerConfig;
import io.minicluster.store.StoreBench;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code minicluster bench api}: API throughput and latency through the real HTTPS stack with concurrent clients,
 * printed next to the raw durable SQLite insert rate of the same disk, measured in the same run.
 */
public final class ApiBench {
  private final Path dir;
  private final int pods;
  private final int clients;
  private final HttpClient http;
  private String base;

  public ApiBench(Path dir, int pods, int clients, HttpClient http) {
    this.dir = dir;
    this.pods = pods;
    this.clients = clients;
    this.http = http;
  }

  public static void run(Path dir, int pods, int clients) throws Exception {
    Files.createDirectories(dir);
    System.out.printf("minicluster bench api: %d pods, %d concurrent clients, data in %s%n", pods, clients, dir);
    double raw = StoreBench.rawDurableInsertRate(Files.createTempDirectory(dir, "raw"), 2000);
    System.out.printf("%-44s %10.0f /s%n", "raw SQLite insert, one durable commit each", raw);

    ServerConfig config = new ServerConfig(dir.resolve("data"), "127.0.0.1", 0, "bench-node",
        ServerConfig.DEFAULT_POD_CIDR, ServerConfig.DEFAULT_SERVICE_CIDR, -1, "127.0.0.1", null, List.of(), List.of(),
        false, false, io.minicluster.agent.runtime.DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE, true);
    try (Minicluster minicluster = new Minicluster(config)) {
      minicluster.start();
      HttpClient http = HttpClient.newBuilder().sslContext(minicluster.pki().jdkClientSslContext(true))
          .version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(clients))
          .connectTimeout(Duration.ofSeconds(5)).build();
      ApiBench bench = new ApiBench(dir, pods, clients, http);
      bench.base = "https://127.0.0.1:" + minicluster.apiAddress().getPort();
      bench.measure(raw);
    }
  }

  private void measure(double raw) throws Exception {
    String namespace = "bench";
    send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
        + namespace + "\"}}", 201);

    Latencies createLatency = new Latencies();
    long start = System.nanoTime();
    parallel(pods, i -> {
      String body = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + i
          + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
      long t = System.nanoTime();
      send("POST", "/api/v1/namespaces/" + namespace + "/pods", body, 201);
      createLatency.record(System.nanoTime() - t);
    });
    double createSeconds = (System.nanoTime() - start) / 1e9;
    print("create pods", pods / createSeconds, createLatency, raw);
    System.out.printf("  %d pods created through the API in %.2f s%n", pods, createSeconds);

    Latencies getLatency = new Latencies();
    int gets = Math.max(pods, 10_000);
    start = System.nanoTime();
    parallel(gets, i -> {
      long t = System.nanoTime();
      send("GET", "/api/v1/namespaces/" + namespace + "/pods/pod-" + ThreadLocalRandom.current().nextInt(pods), null,
          200);
      getLatency.record(System.nanoTime() - t);
    });
    print("get pod", gets / ((System.nanoTime() - start) / 1e9), getLatency, raw);

    Latencies listLatency = new Latencies();
    int lists = 20;
    start = System.nanoTime();
    for (int i = 0; i < lists; i++) {
      long t = System.nanoTime();
      send("GET", "/api/v1/namespaces/" + namespace + "/pods?limit=500", null, 200);
      listLatency.record(System.nanoTime() - t);
    }
    print("list 500 pods (page)", lists / ((System.nanoTime() - start) / 1e9), listLatency, raw);
    Latencies fullList = new Latencies();
    for (int i = 0; i < 5; i++) {
      long t = System.nanoTime();
      send("GET", "/api/v1/namespaces/" + namespace + "/pods", null, 200);
      fullList.record(System.nanoTime() - t);
    }
    print("list all " + pods + " pods", 5 / (fullList.percentileMillis(50) * 5 / 1000), fullList, raw);

    // mutating latency at a steady 20 writes/s for 10 s (the apiserver SLO's churn rate)
    Latencies paced = new Latencies();
    long period = 50_000_000L;
    long next = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      next += period;
      String patch = "{\"metadata\":{\"labels\":{\"round\":\"r" + i + "\"}}}";
      long t = System.nanoTime();
      sendPatch("/api/v1/namespaces/" + namespace + "/pods/pod-" + (i % pods), patch);
      paced.record(System.nanoTime() - t);
    }
    print("patch at 20 writes/s", 20, paced, raw);
  }

  private static void print(String what, double rate, Latencies latencies, double raw) {
    System.out.printf("%-44s %10.0f /s  p50 %7.2f ms  p99 %7.2f ms  (%.2fx raw insert rate)%n", what, rate,
        latencies.percentileMillis(50), latencies.percentileMillis(99), rate / raw);
  }

  interface Task {
    void run(int index) throws Exception;
  }

  private void parallel(int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < count) {
          task.run(i);
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
  }

  private void send(String method, String path, String body, int expected) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
          + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private void sendPatch(String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("PATCH " + path + " answered " + response.statusCode());
    }
  }
}
