package io.minicluster.dns;

import static io.minicluster.dns.InMemoryDirectory.port;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A benchmark, not a test: queries per second and latency percentiles of the cluster DNS on loopback, for a cluster
 * name, a forwarded name served from the cache, and forwarded names that each go to the (loopback) upstream.
 * Closed loop: each client thread keeps one query in flight.
 *
 * <p>Run: {@code java -cp <test classpath> io.minicluster.dns.DnsBench [seconds per case] [client threads]
 * [/usr/sbin/dnsmasq] [rounds]}; with a dnsmasq binary, the same cases run against dnsmasq serving the same 1000 names
 * (from a hosts file) and forwarding to the same upstream, in the same run, in alternating rounds (default 2).
 */
public final class DnsBench {
  private DnsBench() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String dnsmasq = args.length > 2 ? args[2] : null;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    InMemoryDirectory directory = new InMemoryDirectory();
    StringBuilder hosts = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      String ip = "10.96." + (i / 250) + "." + (i % 250 + 1);
      directory.clusterIp("default", "web-" + i, List.of(ip), port("http", 80, "TCP"));
      hosts.append(ip).append(" web-").append(i).append(".default.svc.cluster.local\n");
    }
    try (StubUpstream upstream = new StubUpstream().a("bench.example", 300, "192.0.2.80");
        DnsServer server = DnsServer.start(DnsServerConfig.defaults(InetAddress.getLoopbackAddress(), 0,
            List.of(), List.of(upstream.address())), directory)) {
      System.out.printf("%d client threads, %d s per case, %d cores; 1000 services; upstream on %s%n", clients,
          seconds, Runtime.getRuntime().availableProcessors(), upstream.address());
      // every path warmed up (compiled by the JIT) before it is measured, as dnsmasq's native code needs not be
      run(server.address(), "(warm-up)", clients, 2, i -> "web-42.default.svc.cluster.local");
      run(server.address(), "(warm-up)", clients, 2, i -> "bench.example");
      if (dnsmasq == null) {
        for (int round = 1; round <= rounds; round++) {
          cases("minicluster", round, server.address(), clients, seconds);
        }
        return;
      }
      Path hostsFile = Files.createTempFile("dnsbench", ".hosts");
      Files.writeString(hostsFile, hosts);
      int port;
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        port = probe.getLocalPort();
      }
      Process process = new ProcessBuilder(dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null",
          "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces", "--listen-address=127.0.0.1",
          "--port=" + port, "--addn-hosts=" + hostsFile, "--local-ttl=5", "--cache-size=10000",
          "--server=127.0.0.1#" + upstream.address().getPort(), "--pid-file=")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        awaitAnswer(address);
        run(address, "(warm-up)", clients, 1, i -> "web-42.default.svc.cluster.local");
        // alternating rounds, so that a machine busy with something else at one moment hits both servers alike
        for (int round = 1; round <= rounds; round++) {
          cases("minicluster", round, server.address(), clients, seconds);
          cases("dnsmasq", round, address, clients, seconds);
        }
      } finally {
        process.destroy();
        process.waitFor();
        Files.delete(hostsFile);
      }
    }
  }

  private static void cases(String server, int round, InetSocketAddress address, int clients, int seconds)
      throws InterruptedException {
    String label = "#" + round + " " + server;
    run(address, label + ": cluster name (web-42.default.svc.cluster.local A)", clients, seconds,
        i -> "web-42.default.svc.cluster.local");
    run(address, label + ": forwarded name, cached (bench.example A)", clients, seconds, i -> "bench.example");
    AtomicInteger unique = new AtomicInteger();
    String prefix = server.substring(0, 1) + round + "-";
    run(address, label + ": forwarded name, each to the upstream (n<i>.bench.example A)", clients, seconds,
        i -> prefix + unique.incrementAndGet() + ".bench.example");
  }

  private static void awaitAnswer(InetSocketAddress address) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        TestDns.udp(address, TestDns.query(1, "web-1.default.svc.cluster.local", RecordTypes.A, 0));
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static void run(InetSocketAddress server, String label, int clients, int seconds,
      IntFunction<String> names) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> latencies = new ArrayList<>();
    int[] counts = new int[clients];
    int[] lost = new int[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] mine = new long[2_000_000];
      latencies.add(mine);
      int client = c;
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[4096];
        try (DatagramSocket socket = new DatagramSocket()) {
          socket.connect(server);
          socket.setSoTimeout(1000);
          int id = 0;
          while (System.nanoTime() < deadline && counts[client] < mine.length) {
            id = (id + 1) & 0xFFFF;
            byte[] query = TestDns.query(id, names.apply(id), RecordTypes.A, 0);
            long start = System.nanoTime();
            socket.send(new DatagramPacket(query, query.length));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
              do {
                socket.receive(packet);
              } while (((buffer[0] & 0xFF) << 8 | (buffer[1] & 0xFF)) != id);
            } catch (SocketTimeoutException e) {
              lost[client]++;
              continue;
            }
            mine[counts[client]++] = System.nanoTime() - start;
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    long started = System.nanoTime();
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    System.out.printf("%-78s %9.0f queries/s  p50 %.3f ms  p99 %.3f ms  (%d answered, %d lost)%n", label,
        total / elapsed, percentile(all, 50), percentile(all, 99), total, Arrays.stream(lost).sum());
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
