package io.minicluster.proxy;

import static io.minicluster.proxy.Fixtures.CHAINS;
import static io.minicluster.proxy.Fixtures.firstPort;
import static io.minicluster.proxy.Fixtures.service;
import static io.minicluster.proxy.Fixtures.slice;
import static io.minicluster.proxy.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real iptables, legacy and nft, inside network namespaces the test creates (never the host's tables): a "node"
 * namespace holding the rules, and a "pods" namespace on a veth with two backends. Connections from the node to the
 * cluster IP and to the node port must reach both backends; a stale chain of ours is removed by the first sync; a
 * restart's sync replaces the rules in place; uninstall leaves nothing of ours.
 */
class IptablesProxyIT {
  private static final String NODE_IP = "192.168.77.10";
  private static final String CLUSTER_IP = "10.96.0.20";
  private static final String STICKY_IP = "10.96.0.21";
  private static final List<String> BACKENDS = List.of("10.244.0.11", "10.244.0.12");
  /** Answers each connection with the address it was accepted on, then closes. */
  private static final String SERVER = """
      import socket, sys, threading
      def serve(ip):
          s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
          s.bind((ip, 8080)); s.listen(64)
          while True:
              c, _ = s.accept(); c.sendall((ip + "\\n").encode()); c.close()
      for ip in sys.argv[1:]:
          threading.Thread(target=serve, args=(ip,), daemon=True).start()
      print("listening", flush=True)
      threading.Event().wait()
      """;
  /** Connects N times to host:port and prints each answer (or the error). */
  private static final String CLIENT = """
      import socket, sys
      for _ in range(int(sys.argv[3])):
          try:
              c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
              print(c.makefile().readline().strip()); c.close()
          except OSError as e:
              print("error " + type(e).__name__)
      """;

  private NetworkNamespace node;
  private NetworkNamespace pods;

  @BeforeEach
  void createNamespaces() throws Exception {
    node = NetworkNamespace.create("mcx2n-");
    pods = NetworkNamespace.create("mcx2p-");
    String veth = "mcx2" + node.name().substring(6, 10);
    NetworkNamespace.host("ip", "link", "add", veth + "a", "netns", node.name(), "type", "veth", "peer", "name",
        veth + "b", "netns", pods.name());
    node.exec("ip", "addr", "add", "10.244.0.1/24", "dev", veth + "a");
    node.exec("ip", "link", "set", veth + "a", "up");
    node.exec("ip", "addr", "add", NODE_IP + "/32", "dev", "lo");
    // a host has a default route; the cluster IP is routed there before the nat table translates it
    node.exec("ip", "route", "add", "default", "dev", veth + "a");
    for (String ip : BACKENDS) {
      pods.exec("ip", "addr", "add", ip + "/24", "dev", veth + "b");
    }
    pods.exec("ip", "link", "set", veth + "b", "up");
    pods.exec("ip", "route", "add", "default", "via", "10.244.0.1");
    List<String> server = new ArrayList<>(List.of("python3", "-c", SERVER));
    server.addAll(BACKENDS);
    Process process = pods.start(server.toArray(String[]::new));
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    assertThat(line).isEqualTo("listening");
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    if (pods != null) {
      pods.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static RuleSet rules() {
    return rules(BACKENDS.toArray(String[]::new));
  }

  /**
   * The web service (NodePort) on the given backends, plus services that give every other rule shape to the real
   * iptables: ClientIP affinity, a load balancer with an external IP and Local policies, UDP, no endpoints.
   */
  private static RuleSet rules(String... backends) {
    ObjectNode web = service("default", "web", CLUSTER_IP, 80);
    spec(web).put("type", "NodePort");
    firstPort(web).put("nodePort", 30080);
    ObjectNode sticky = service("default", "sticky", STICKY_IP, 80);
    spec(sticky).put("sessionAffinity", "ClientIP").putObject("sessionAffinityConfig").putObject("clientIP")
        .put("timeoutSeconds", 60);
    ObjectNode balancer = service("default", "lb", "10.96.0.22", 80);
    spec(balancer).put("type", "LoadBalancer").put("externalTrafficPolicy", "Local")
        .put("internalTrafficPolicy", "Local").putArray("externalIPs").add("198.51.100.7");
    firstPort(balancer).put("nodePort", 30081);
    ObjectNode dns = service("default", "dns", "10.96.0.23", 53);
    firstPort(dns).put("protocol", "UDP");
    ObjectNode dnsSlice = slice("default", "dns", BACKENDS.get(0));
    ((ObjectNode) dnsSlice.get("ports").get(0)).put("protocol", "UDP").put("port", 5353);
    ObjectNode empty = service("default", "empty", "10.96.0.24", 80);
    List<ObjectNode> services = List.of(web, sticky, balancer, dns, empty);
    List<ObjectNode> slices = List.of(slice("default", "web", backends), slice("default", "sticky",
        BACKENDS.toArray(String[]::new)), slice("default", "lb", BACKENDS.toArray(String[]::new)), dnsSlice);
    return ProxyRules.compute(services.stream().map(Service::from).toList(),
        slices.stream().map(EndpointSlice::from).toList(), List.of(NODE_IP), ProxyConfig.of("node-a",
            "10.244.0.0/16", CHAINS).withApiPort(6443).withServiceCidr("10.96.0.0/12"));
  }

  private Map<String, Long> connect(String host, int port, int times) throws IOException {
    String out = node.exec("python3", "-c", CLIENT, host, Integer.toString(port), Integer.toString(times));
    return out.lines().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private String save(IptablesBackend backend) throws IOException {
    return node.exec(backend.saveCommand());
  }

  @ParameterizedTest
  @EnumSource(value = IptablesBackend.class, names = {"LEGACY", "NFT"})
  void clusterIpAndNodePortReachBothBackendsAndStaleChainsGo(IptablesBackend backend) throws Exception {
    // what a previous run left: a chain of ours no longer wanted, jumped to from PREROUTING
    String leftover = "*nat\n:MINICLUSTER-SVC-STALESTALEST - [0:0]\n"
        + "-A MINICLUSTER-SVC-STALESTALEST -m comment --comment \"gone/svc\" -j RETURN\n"
        + "-A PREROUTING -m comment --comment \"gone/svc\" -j MINICLUSTER-SVC-STALESTALEST\nCOMMIT\n";
    assertThat(node.runner().run(List.of(backend.restoreCommand(), "--noflush"), leftover).ok()).isTrue();
    assertThat(save(backend)).contains("MINICLUSTER-SVC-STALESTALEST");

    IptablesApplier applier = new IptablesApplier(node.runner(), backend, CHAINS, new Conntrack(node.runner()),
        Duration.ofHours(1));
    applier.apply(rules());
    String installed = save(backend);
    assertThat(installed).doesNotContain("STALESTALEST").contains(":" + CHAINS.services() + " ");

    Map<String, Long> viaClusterIp = connect(CLUSTER_IP, 80, 40);
    assertThat(viaClusterIp).as("answers through the cluster IP").containsOnlyKeys(BACKENDS);
    Map<String, Long> viaNodePort = connect(NODE_IP, 30080, 40);
    assertThat(viaNodePort).as("answers through the node port").containsOnlyKeys(BACKENDS);
    assertThat(connect(STICKY_IP, 80, 20)).as("ClientIP affinity: one backend for one client").hasSize(1);
    assertThat(connect("10.96.0.22", 80, 20)).as("the load balancer's cluster IP").containsOnlyKeys(BACKENDS);
    assertThat(connect("10.96.0.24", 80, 1)).as("no endpoints: rejected at once, no timeout")
        .containsOnlyKeys("error ConnectionRefusedError");

    // a partial sync (one endpoint gone) on the real backend: only the second backend answers, then both again
    applier.apply(rules(BACKENDS.get(1)));
    assertThat(connect(CLUSTER_IP, 80, 10)).containsOnlyKeys(BACKENDS.get(1));
    applier.apply(rules());
    assertThat(connect(CLUSTER_IP, 80, 40)).containsOnlyKeys(BACKENDS);
    assertThat(applier.syncCounts()[1]).isEqualTo(2);
    assertThat(withoutCounters(save(backend))).isEqualTo(withoutCounters(installed));

    // restarts: each new applier's first (full) sync replaces the rules atomically, while a client keeps connecting
    Process client = node.start("python3", "-c", CLIENT, CLUSTER_IP, "80", "150");
    for (int restart = 0; restart < 5; restart++) {
      new IptablesApplier(node.runner(), backend, CHAINS, new Conntrack(node.runner())).apply(rules());
    }
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Map<String, Long> duringRestarts = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .lines().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(duringRestarts).as("no failed connection during the restarts' syncs").containsOnlyKeys(BACKENDS);
    // a restarted daemon's first sync (a new applier, reading what is installed) changes nothing and adds no jump;
    // every chain of ours is installed as it would be written (iptables-save's form of each rule shape matches), so
    // none is written again
    List<String> restores = new ArrayList<>();
    CommandRunner recording = (command, stdin) -> {
      if (command.get(0).equals(backend.restoreCommand())) {
        restores.add(stdin);
      }
      return node.runner().run(command, stdin);
    };
    new IptablesApplier(recording, backend, CHAINS, new Conntrack(recording)).apply(rules());
    assertThat(withoutCounters(save(backend))).isEqualTo(withoutCounters(installed));
    assertThat(restores).as("nothing to restore").isEmpty();
    // a chain changed behind our back is written again by the next full sync (and only it)
    String serviceChain = IptablesState.target(IptablesState.parse(installed).rules(Table.NAT, CHAINS.services())
        .get(0));
    node.exec(backend.restoreCommand().replace("-restore", ""), "-t", "nat", "-D", serviceChain, "1");
    restores.clear();
    new IptablesApplier(recording, backend, CHAINS, new Conntrack(recording)).apply(rules());
    assertThat(withoutCounters(save(backend))).isEqualTo(withoutCounters(installed));
    assertThat(restores).singleElement().asString().contains(":" + serviceChain + " ")
        .containsOnlyOnce(":" + CHAINS.prefix()).doesNotContain("*filter");
    assertThat(IptablesBackend.detect(node.runner(), CHAINS)).isEqualTo(backend);

    applier.uninstall();
    String after = save(backend);
    assertThat(after).doesNotContain("MINICLUSTER");
    assertThat(connect(CLUSTER_IP, 80, 1)).containsOnlyKeys("error TimeoutError");
  }

  private static String withoutCounters(String save) {
    return save.lines().filter(line -> !line.startsWith("#")).map(line -> line.replaceAll("\\[\\d+:\\d+\\]", ""))
        .collect(Collectors.joining("\n"));
  }
}
