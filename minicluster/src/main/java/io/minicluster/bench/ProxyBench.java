package io.minicluster.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.Conntrack;
import io.minicluster.proxy.IptablesApplier;
import io.minicluster.proxy.IptablesBackend;
import io.minicluster.proxy.IptablesState;
import io.minicluster.proxy.ProxyConfig;
import io.minicluster.proxy.ProxyRules;
import io.minicluster.proxy.RuleSet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The service proxy's sync time: one full rule computation plus its iptables-restore, for N services with M endpoints
 * each (default 1,000 × 3), on the legacy and the nft backend, inside a network namespace it creates and deletes (run
 * as root; the host's own tables are never touched). Prints the median and the worst of several syncs, first (empty
 * tables: the full sync of a first start, an iptables-save and every rule written), steady (one endpoint of one service
 * replaced since the last sync: kube-proxy's partial sync, only the changed chains written) and a restart's (a new
 * applier's full sync over the rules installed; its iptables-save is timed on its own too).
 *
 * <p>{@code java -cp <class path> io.minicluster.bench.ProxyBench [services] [endpoints] [rounds]}
 */
public final class ProxyBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProxyBench() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    ProxyConfig config = ProxyConfig.of("bench-node", "10.244.0.0/16", Chains.withPrefix("MCBENCH-"));
    System.out.printf(Locale.ROOT, "service proxy sync: %d services x %d endpoints, %d rounds%n", services, endpoints,
        rounds);
    // a daemon computes warm: let the JIT compile the computation first
    List<Service> warmServices = new ArrayList<>();
    List<EndpointSlice> warmSlices = new ArrayList<>();
    build(services, endpoints, 0, warmServices, warmSlices);
    for (int i = 0; i < 20; i++) {
      ProxyRules.compute(warmServices, warmSlices, List.of("192.168.77.10"), config).restoreInput(
          IptablesState.EMPTY);
    }
    for (IptablesBackend backend : List.of(IptablesBackend.NFT, IptablesBackend.LEGACY)) {
      String namespace = "mcbench-" + UUID.randomUUID().toString().substring(0, 8);
      run(List.of("ip", "netns", "add", namespace));
      try {
        CommandRunner runner = CommandRunner.inNamespace(namespace);
        IptablesApplier applier = new IptablesApplier(runner, backend, config.chains(), new Conntrack(runner),
            Duration.ofHours(1));
        double[] compute = new double[rounds];
        double[] total = new double[rounds];
        double[] totalCpu = new double[rounds];
        int rules = 0;
        for (int round = 0; round < rounds; round++) {
          // each round a different endpoint IP, so every sync really replaces rules
          List<Service> serviceRecords = new ArrayList<>();
          List<EndpointSlice> sliceRecords = new ArrayList<>();
          build(services, endpoints, round, serviceRecords, sliceRecords);
          long cpuStart = cpuMillis();
          long start = System.nanoTime();
          RuleSet set = ProxyRules.compute(serviceRecords, sliceRecords, List.of("192.168.77.10"), config);
          long computed = System.nanoTime();
          applier.apply(set);
          long applied = System.nanoTime();
          compute[round] = (computed - start) / 1e6;
          total[round] = (applied - start) / 1e6;
          totalCpu[round] = cpuMillis() - cpuStart;
          rules = set.ruleCount();
        }
        // a restart's full sync: a new applier over the same rules installed (iptables-save, then every chain)
        double[] restart = new double[rounds];
        double[] save = new double[rounds];
        double[] restartCpu = new double[rounds];
        List<Service> lastServices = new ArrayList<>();
        List<EndpointSlice> lastSlices = new ArrayList<>();
        build(services, endpoints, rounds - 1, lastServices, lastSlices);
        for (int round = 0; round < rounds; round++) {
          IptablesApplier restarted = new IptablesApplier(runner, backend, config.chains(), new Conntrack(runner),
              Duration.ofHours(1));
          long start = System.nanoTime();
          restarted.installed();
          long saved = System.nanoTime();
          long cpuStart = cpuMillis();
          restarted.apply(ProxyRules.compute(lastServices, lastSlices, List.of("192.168.77.10"), config));
          long applied = System.nanoTime();
          restartCpu[round] = cpuMillis() - cpuStart;
          save[round] = (saved - start) / 1e6;
          restart[round] = (applied - saved) / 1e6;
        }
        System.out.printf(Locale.ROOT, "%-6s %6d rules  first full sync (empty tables) %7.1f ms, CPU %5.0f ms"
                + " (compute %5.1f)%n"
                + "%-6s one endpoint changed (partial sync): median %7.1f ms, CPU %5.0f ms (compute %5.1f), worst"
                + " %7.1f ms%n"
                + "%-6s full sync over installed rules (a restart's): median %7.1f ms, CPU %5.0f ms, worst %7.1f ms"
                + " (its iptables-save + parse: median %5.1f ms)%n",
            backend.name().toLowerCase(Locale.ROOT), rules, total[0], totalCpu[0], compute[0], "",
            median(Arrays.copyOfRange(total, 1, rounds)), median(Arrays.copyOfRange(totalCpu, 1, rounds)),
            median(Arrays.copyOfRange(compute, 1, rounds)), max(Arrays.copyOfRange(total, 1, rounds)), "",
            median(restart), median(restartCpu), max(restart), median(save));
      } finally {
        run(List.of("ip", "netns", "del", namespace));
      }
    }
  }

  private static void build(int services, int endpoints, int round, List<Service> serviceRecords,
      List<EndpointSlice> sliceRecords) {
    for (int i = 0; i < services; i++) {
      String name = "svc-" + i;
      ObjectNode service = JSON.createObjectNode();
      service.putObject("metadata").put("namespace", "bench").put("name", name);
      ObjectNode spec = service.putObject("spec").put("type", "ClusterIP")
          .put("clusterIP", "10.96." + (i / 250) + "." + (i % 250 + 1));
      spec.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", 80)
          .put("targetPort", 8080);
      serviceRecords.add(Service.from(service));
      ObjectNode slice = JSON.createObjectNode().put("addressType", "IPv4");
      slice.putObject("metadata").put("namespace", "bench").put("name", name + "-x").putObject("labels")
          .put(ProxyRules.SERVICE_NAME_LABEL, name);
      slice.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", 8080);
      ArrayNode list = slice.putArray("endpoints");
      for (int e = 0; e < endpoints; e++) {
        // round 0 installs everything; each later round moves one endpoint of one service (a pod replaced)
        int host = (i * endpoints + e) % 60000 + 2 + (round > 0 && i == round && e == 0 ? 60000 : 0);
        ObjectNode endpoint = list.addObject();
        endpoint.putArray("addresses").add("10.244." + (host / 250) + "." + (host % 250 + 1));
        endpoint.putObject("conditions").put("ready", true);
      }
      sliceRecords.add(EndpointSlice.from(slice));
    }
  }

  /**
   * CPU milliseconds of this thread and of the commands run so far (iptables-save/restore): the figure that a busy
   * machine does not inflate as it does the wall time (10 ms resolution for the commands).
   */
  private static long cpuMillis() throws IOException {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000
        + ProcessSample.ownChildrenCpuMillis();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  private static void run(List<String> command) throws IOException {
    CommandRunner.Result result = CommandRunner.host().run(command, null);
    if (!result.ok()) {
      throw new IOException(String.join(" ", command) + ": " + result.stderr().strip());
    }
  }
}
