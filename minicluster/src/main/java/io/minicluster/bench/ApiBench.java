package io.minicluster.bench;

import com.sun.management.OperatingSystemMXBean;
import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.bench.HttpLoad.Request;
import io.minicluster.pki.TlsContexts;
import io.minicluster.server.Minicluster;
import io.minicluster.server.ServerConfig;
import io.netty.handler.codec.http.HttpMethod;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * {@code minicluster bench api}: API throughput and latency through the real HTTPS stack with concurrent clients,
 * printed next to the raw durable SQLite insert rate of the same disk, measured in the same run. The server's CPU per
 * request (the process' CPU minus the load client's thread) is printed too: on a shared machine it is steadier than
 * the rates.
 */
public final class ApiBench {
  private static final String NAMESPACE = "bench";

  private final int pods;
  private final HttpLoad concurrent;
  private final HttpLoad single;

  private ApiBench(int pods, HttpLoad concurrent, HttpLoad single) {
    this.pods = pods;
    this.concurrent = concurrent;
    this.single = single;
  }

  public static void run(Path dir, int pods, int clients) throws Exception {
    Files.createDirectories(dir);
    System.out.printf("minicluster bench api: %d pods, %d concurrent clients, data in %s%n", pods, clients, dir);
    double raw = StoreBench.rawDurableInsertRate(Files.createTempDirectory(dir, "raw"), 2000);
    System.out.printf("%-44s %10.0f /s%n", "raw SQLite insert, one durable commit each", raw);

    ServerConfig config = new ServerConfig(dir.resolve("data"), "127.0.0.1", 0, "bench-node",
        ServerConfig.DEFAULT_POD_CIDR, ServerConfig.DEFAULT_SERVICE_CIDR, -1, "127.0.0.1", null, List.of(), List.of(),
        false, false, DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE, true,
        ServerConfig.CLUSTER_DOMAIN, DockerRuntimeConfig.DEFAULT_NETWORK);
    try (Minicluster minicluster = new Minicluster(config)) {
      minicluster.start();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", minicluster.apiAddress().getPort());
      System.out.printf("TLS provider: %s%n", TlsContexts.provider());
      try (HttpLoad concurrent = new HttpLoad(address, minicluster.pki().clientSslContext(true), clients);
          HttpLoad single = new HttpLoad(address, minicluster.pki().clientSslContext(true), 1)) {
        new ApiBench(pods, concurrent, single).measure(raw);
      }
    }
  }

  private void measure(double raw) throws Exception {
    createNamespace(NAMESPACE);
    // JIT warm-up on another namespace's pods, so the measured phase is the steady state of a long-running daemon
    warmUp();

    String pods = "/api/v1/namespaces/" + NAMESPACE + "/pods";
    Phase create = phase(concurrent, this.pods, i -> Request.withBody(HttpMethod.POST, pods, "application/json",
        podJson("pod-" + i)), 201);
    create.print("create pods", raw);
    System.out.printf("  %d pods created through the API in %.2f s%n", this.pods, create.seconds);

    int gets = Math.max(this.pods, 10_000);
    phase(concurrent, gets, i -> Request.get(pods + "/pod-" + ThreadLocalRandom.current().nextInt(this.pods)), 200)
        .print("get pod", raw);
    phase(single, 20, i -> Request.get(pods + "?limit=500"), 200).print("list 500 pods (page)", raw);
    phase(single, 5, i -> Request.get(pods), 200).print("list all " + this.pods + " pods", raw);

    // mutating latency at a steady 20 writes/s for 10 s (the apiserver SLO's churn rate)
    Latencies paced = new Latencies();
    long period = 50_000_000L;
    long next = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      next += period;
      String patch = "{\"metadata\":{\"labels\":{\"round\":\"r" + i + "\"}}}";
      String uri = pods + "/pod-" + (i % this.pods);
      single.run(1, ignored -> Request.withBody(HttpMethod.PATCH, uri, "application/merge-patch+json", patch), 200,
          paced);
    }
    System.out.printf("%-44s %10.0f /s  p50 %7.2f ms  p99 %7.2f ms%n", "patch at 20 writes/s", 20.0,
        paced.percentileMillis(50), paced.percentileMillis(99));
  }

  private void warmUp() throws InterruptedException {
    String namespace = "bench-warm-up";
    createNamespace(namespace);
    String pods = "/api/v1/namespaces/" + namespace + "/pods";
    int count = Math.min(10_000, Math.max(200, this.pods));
    phase(concurrent, count, i -> Request.withBody(HttpMethod.POST, pods, "application/json", podJson("warm-" + i)),
        201);
    phase(concurrent, count, i -> Request.get(pods + "/warm-" + i), 200);
    System.out.printf("warm-up (not measured): %d creates and %d gets in another namespace%n", count, count);
  }

  private void createNamespace(String name) throws InterruptedException {
    single.run(1, i -> Request.withBody(HttpMethod.POST, "/api/v1/namespaces", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"), 201,
        new Latencies());
  }

  private static String podJson(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  /** Figures of one measured phase. */
  private record Phase(int count, double seconds, Latencies latencies, long serverCpuNanos) {
    void print(String what, double raw) {
      double rate = count / seconds;
      System.out.printf("%-44s %10.0f /s  p50 %7.2f ms  p99 %7.2f ms  server CPU %6.0f us/op  (%.2fx raw insert rate)%n",
          what, rate, latencies.percentileMillis(50), latencies.percentileMillis(99),
          serverCpuNanos / 1e3 / count, rate / raw);
    }
  }

  private static Phase phase(HttpLoad load, int count, IntFunction<Request> requests, int expectedStatus)
      throws InterruptedException {
    Latencies latencies = new Latencies();
    long processCpu = processCpuNanos();
    long clientCpu = load.cpuNanos();
    long start = System.nanoTime();
    load.run(count, requests, expectedStatus, latencies);
    double seconds = (System.nanoTime() - start) / 1e9;
    long serverCpu = (processCpuNanos() - processCpu) - (load.cpuNanos() - clientCpu);
    return new Phase(count, seconds, latencies, serverCpu);
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
