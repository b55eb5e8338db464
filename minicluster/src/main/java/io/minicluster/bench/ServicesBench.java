package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service proxy and cluster DNS seen from the host, against the real daemon (a child process, run as root so that
 * its service proxy installs rules) on the local Docker engine: HTTP requests per second to a ClusterIP next to the
 * same requests to the pod IPs directly (a new connection per request, so that every request passes the DNAT), in
 * alternating rounds; then services created one after another by several clients, each timed from its create to the
 * first answered request at its ClusterIP and to the first answered request at the address its name resolves to in
 * the daemon's DNS.
 */
public final class ServicesBench {
  private static final String APP = "http";
  private static final int HTTP_PORT = 8080;
  private static final Duration POLL = Duration.ofMillis(20);

  /** The run's parameters. */
  public record Options(Path directory, int backends, int clients, Duration round, int rounds, int services,
      Duration timeout, List<String> jvmOptions, String podCidr) {
    public Options {
      requireNonNull(directory, "directory is null");
      requireNonNull(round, "round is null");
      requireNonNull(timeout, "timeout is null");
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final String namespace = "svc-" + runId;

  private ServicesBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void run(Options options, PrintStream out) throws Exception {
    requireNonNull(options, "options is null");
    requireNonNull(out, "out is null");
    new ServicesBench(options, out).measure();
  }

  private void measure() throws Exception {
    Files.createDirectories(options.directory());
    Path data = options.directory().resolve("data-" + runId);
    Path log = options.directory().resolve("daemon-" + runId + ".log");
    String podCidr = options.podCidr() != null ? options.podCidr() : PodsBench.existingPodSubnet();
    out.printf(Locale.ROOT, "minicluster bench services: %d busybox httpd backends, %d clients, %d rounds of %d s; "
        + "%d services created; %d cores%n", options.backends(), options.clients(), options.rounds(),
        options.round().toSeconds(), options.services(), Runtime.getRuntime().availableProcessors());
    DaemonProcess daemon = DaemonProcess.start(options.jvmOptions(), data, "bench-" + runId, podCidr, log);
    ClusterApi api = null;
    try {
      api = PodsBench.awaitApi(daemon);
      ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", namespace);
      api.post("/api/v1/namespaces", ns);
      String deployments = "/apis/apps/v1/namespaces/" + namespace + "/deployments";
      api.post(deployments, deployment());
      List<String> podIps = awaitPodIps(api);
      ObjectNode created = api.post(services(), service(APP));
      String clusterIp = Json.textOrNull(created, "spec", "clusterIP");
      awaitHttp(new InetSocketAddress(clusterIp, 80), System.nanoTime() + options.timeout().toNanos());
      out.printf("backends %s, service %s at %s:80%n", podIps, APP, clusterIp);

      List<InetSocketAddress> direct = podIps.stream().map(ip -> new InetSocketAddress(ip, HTTP_PORT)).toList();
      List<InetSocketAddress> viaService = List.of(new InetSocketAddress(clusterIp, 80));
      load("(warm-up) pod IPs", direct);
      load("(warm-up) ClusterIP", viaService);
      for (int round = 1; round <= options.rounds(); round++) {
        double pods = load("#" + round + " pod IPs directly", direct);
        double service = load("#" + round + " ClusterIP", viaService);
        out.printf(Locale.ROOT, "#%d ClusterIP / pod IPs: %.2fx%n", round, service / pods);
      }

      InetSocketAddress dns = clusterDns(api);
      out.printf("cluster DNS asked at %s%n", dns);
      Latencies byIp = new Latencies();
      Latencies byName = new Latencies();
      AtomicInteger next = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(10);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
          ClusterApi client = api;
          work.add(clients.submit(() -> {
            for (int i = next.getAndIncrement(); i < options.services(); i = next.getAndIncrement()) {
              reachable(client, "s-" + i, dns, byIp, byName);
            }
            return null;
          }));
        }
        for (Future<?> future : work) {
          future.get();
        }
      } finally {
        clients.shutdownNow();
      }
      out.printf(Locale.ROOT, "service created -> answering at its ClusterIP: p50 %.0f ms, p99 %.0f ms, max %.0f ms"
          + " (%d services, 10 creating at once)%n", byIp.percentileMillis(50), byIp.percentileMillis(99),
          byIp.percentileMillis(100), byIp.count());
      out.printf(Locale.ROOT, "service created -> answering by name (A record from the cluster DNS, then HTTP): "
          + "p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", byName.percentileMillis(50), byName.percentileMillis(99),
          byName.percentileMillis(100));
    } finally {
      cleanUp(api, daemon, data, log);
    }
  }

  private void reachable(ClusterApi api, String name, InetSocketAddress dns, Latencies byIp, Latencies byName)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + options.timeout().toNanos();
    ObjectNode created = api.post(services(), service(name));
    String clusterIp = Json.textOrNull(created, "spec", "clusterIP");
    awaitHttp(new InetSocketAddress(clusterIp, 80), deadline);
    byIp.record(System.nanoTime() - start);
    String fqdn = name + "." + namespace + ".svc.cluster.local";
    while (true) {
      String resolved = resolve(dns, fqdn);
      if (resolved != null && answers(new InetSocketAddress(resolved, 80))) {
        byName.record(System.nanoTime() - start);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(fqdn + " did not answer within " + options.timeout());
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Requests for one round on fresh connections, spread over {@code targets}; returns requests per second. */
  private double load(String label, List<InetSocketAddress> targets) throws Exception {
    Latencies latencies = new Latencies();
    AtomicInteger failures = new AtomicInteger();
    long deadline = System.nanoTime() + options.round().toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < options.clients(); c++) {
      int client = c;
      Thread thread = new Thread(() -> {
        for (int i = client; System.nanoTime() < deadline; i += options.clients()) {
          long start = System.nanoTime();
          if (answers(targets.get(i % targets.size()))) {
            latencies.record(System.nanoTime() - start);
          } else {
            failures.incrementAndGet();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    long started = System.nanoTime();
    for (Thread thread : threads) {
      thread.join();
    }
    double perSecond = latencies.count() / ((System.nanoTime() - started) / 1e9);
    out.printf(Locale.ROOT, "%-26s %8.0f requests/s  p50 %.2f ms  p99 %.2f ms  (%d answered, %d failed)%n", label,
        perSecond, latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.count(),
        failures.get());
    return perSecond;
  }

  /** One GET on a new connection: whether a 200 came back. */
  private static boolean answers(InetSocketAddress target) {
    try (Socket socket = new Socket()) {
      socket.connect(target, 1000);
      socket.setSoTimeout(2000);
      socket.getOutputStream().write(("GET / HTTP/1.0\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      String text = response.toString(StandardCharsets.US_ASCII);
      return text.startsWith("HTTP/1.0 200") || text.startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitHttp(InetSocketAddress target, long deadline) throws Exception {
    while (!answers(target)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(target + " did not answer");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The first A record of {@code name} from the DNS server at {@code server}, or null (no answer yet, NXDOMAIN). */
  static String resolve(InetSocketAddress server, String name) throws IOException {
    ByteArrayOutputStream query = new ByteArrayOutputStream();
    int id = (int) (System.nanoTime() & 0xFFFF);
    query.write(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      query.write(label.length());
      query.write(label.getBytes(StandardCharsets.US_ASCII));
    }
    query.write(new byte[] {0, 0, 1, 0, 1});
    byte[] bytes = query.toByteArray();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(1000);
      socket.send(new DatagramPacket(bytes, bytes.length, server));
      byte[] buffer = new byte[1500];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      return firstA(buffer, packet.getLength(), bytes.length);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** The first A record's address in a response whose question is {@code questionEnd} bytes from the start. */
  static String firstA(byte[] message, int length, int questionEnd) {
    int answers = (message[6] & 0xFF) << 8 | message[7] & 0xFF;
    if ((message[3] & 0x0F) != 0 || answers == 0) {
      return null;
    }
    int at = questionEnd;
    for (int i = 0; i < answers && at < length; i++) {
      while (at < length && message[at] != 0 && (message[at] & 0xC0) != 0xC0) {
        at += (message[at] & 0xFF) + 1;
      }
      at += at < length && message[at] == 0 ? 1 : 2;
      int type = (message[at] & 0xFF) << 8 | message[at + 1] & 0xFF;
      int dataLength = (message[at + 8] & 0xFF) << 8 | message[at + 9] & 0xFF;
      at += 10;
      if (type == 1 && dataLength == 4) {
        return (message[at] & 0xFF) + "." + (message[at + 1] & 0xFF) + "." + (message[at + 2] & 0xFF) + "."
            + (message[at + 3] & 0xFF);
      }
      at += dataLength;
    }
    return null;
  }

  /** The daemon's DNS server: the address of the kube-dns endpoint, port 53. */
  private InetSocketAddress clusterDns(ClusterApi api) throws Exception {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (true) {
      JsonNode endpoints = api.get("/api/v1/namespaces/kube-system/endpoints").path("items");
      for (JsonNode item : endpoints) {
        if ("kube-dns".equals(item.path("metadata").path("name").asText())) {
          String ip = item.path("subsets").path(0).path("addresses").path(0).path("ip").asText("");
          if (!ip.isEmpty()) {
            return new InetSocketAddress(InetAddress.getByName(ip), 53);
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("no kube-dns endpoint");
      }
      Thread.sleep(200);
    }
  }

  private List<String> awaitPodIps(ClusterApi api) throws Exception {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (true) {
      List<String> ips = new ArrayList<>();
      for (JsonNode pod : api.get(pods()).path("items")) {
        boolean ready = false;
        for (JsonNode condition : pod.path("status").path("conditions")) {
          ready |= "Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status")
              .asText());
        }
        String ip = pod.path("status").path("podIP").asText("");
        if (ready && !ip.isEmpty() && answers(new InetSocketAddress(ip, HTTP_PORT))) {
          ips.add(ip);
        }
      }
      if (ips.size() == options.backends()) {
        return ips;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("only " + ips + " of " + options.backends() + " backends answer");
      }
      Thread.sleep(200);
    }
  }

  private String pods() {
    return "/api/v1/namespaces/" + namespace + "/pods";
  }

  private String services() {
    return "/api/v1/namespaces/" + namespace + "/services";
  }

  private ObjectNode deployment() {
    ObjectNode deployment = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
    deployment.putObject("metadata").put("name", APP);
    ObjectNode spec = deployment.putObject("spec").put("replicas", options.backends());
    spec.putObject("selector").putObject("matchLabels").put("app", APP);
    ObjectNode template = PodsBench.podManifest(APP);
    template.remove("apiVersion");
    template.remove("kind");
    ObjectNode metadata = (ObjectNode) template.path("metadata");
    metadata.remove("name");
    metadata.putObject("labels").put("app", APP);
    ObjectNode container = (ObjectNode) template.path("spec").path("containers").get(0);
    container.putArray("command").add("sh").add("-c")
        .add("mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p " + HTTP_PORT + " -h /www");
    spec.set("template", template);
    return deployment;
  }

  private static ObjectNode service(String name) {
    ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
    service.putObject("metadata").put("name", name);
    ObjectNode spec = service.putObject("spec");
    spec.putObject("selector").put("app", APP);
    spec.putArray("ports").addObject().put("name", "http").put("port", 80).put("targetPort", HTTP_PORT);
    return service;
  }

  private void cleanUp(ClusterApi api, DaemonProcess daemon, Path data, Path log) throws Exception {
    long start = System.nanoTime();
    if (api != null && daemon.alive()) {
      try {
        api.delete("/apis/apps/v1/namespaces/" + namespace + "/deployments/" + APP
            + "?propagationPolicy=Background");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && api.get(pods()).path("items").size() > 0) {
          Thread.sleep(500);
        }
      } catch (IOException e) {
        out.println("deleting the deployment through the API failed: " + e.getMessage());
      }
    }
    daemon.stop(Duration.ofSeconds(20));
    String left = BareDocker.docker("ps", "-aq", "--filter", "label=io.minicluster.pod.namespace=" + namespace)
        .strip();
    if (!left.isEmpty()) {
      List<String> remove = new ArrayList<>(List.of("rm", "-f"));
      remove.addAll(List.of(left.split("\\s+")));
      BareDocker.docker(remove.toArray(new String[0]));
    }
    PodsBench.removeProxyRules(data, out);
    PodsBench.deleteTree(data);
    out.printf(Locale.ROOT, "cleaned up in %.1f s (daemon log %s)%n", (System.nanoTime() - start) / 1e9, log);
  }
}
