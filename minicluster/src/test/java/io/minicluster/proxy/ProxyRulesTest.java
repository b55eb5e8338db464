package io.minicluster.proxy;

import static io.minicluster.proxy.Fixtures.CHAINS;
import static io.minicluster.proxy.Fixtures.endpoint;
import static io.minicluster.proxy.Fixtures.firstPort;
import static io.minicluster.proxy.Fixtures.service;
import static io.minicluster.proxy.Fixtures.slice;
import static io.minicluster.proxy.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.proxy.PacketWalk.Outcome;
import io.minicluster.proxy.PacketWalk.Packet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The meaning of the computed rules: the iptables-restore input is parsed back into chains and rules, and first
 * packets are followed through the nat table ({@link PacketWalk}) to see where they land.
 */
class ProxyRulesTest {
  private static final String NODE_IP = "192.168.1.10";
  private static final String POD = "10.244.0.5";
  private static final String OUTSIDE = "192.168.1.50";
  private static final ProxyConfig CONFIG = ProxyConfig.of("node-a", "10.244.0.0/16", CHAINS);

  private List<ObjectNode> services = new ArrayList<>();
  private List<ObjectNode> slices = new ArrayList<>();

  private IptablesState rules() {
    RuleSet set = compute();
    return IptablesState.parse(set.restoreInput(IptablesState.EMPTY));
  }

  private RuleSet compute() {
    List<Service> typed = services.stream().map(Service::from).toList();
    List<EndpointSlice> typedSlices = slices.stream().map(EndpointSlice::from).toList();
    return ProxyRules.compute(typed, typedSlices, List.of(NODE_IP), CONFIG);
  }

  private Map<Outcome, Double> connect(IptablesState rules, String source, boolean sourceLocal, String destination,
      int port) {
    return connect(rules, source, sourceLocal, destination, port, "tcp");
  }

  private Map<Outcome, Double> connect(IptablesState rules, String source, boolean sourceLocal, String destination,
      int port, String protocol) {
    boolean destinationLocal = destination.equals(NODE_IP);
    return new PacketWalk(rules, Table.NAT).from(CHAINS.services(),
        new Packet(source, destination, protocol, port, sourceLocal, destinationLocal));
  }

  private static void assertBalanced(Map<Outcome, Double> outcomes, boolean masquerade, String... endpoints) {
    assertThat(outcomes).hasSize(endpoints.length);
    for (String endpoint : endpoints) {
      assertThat(outcomes.get(new Outcome(endpoint, masquerade))).as(endpoint + " in " + outcomes)
          .isCloseTo(1.0 / endpoints.length, within(1e-6));
    }
  }

  @Test
  void aClusterIpIsBalancedEvenlyOverReadyEndpointsFromPodsAndFromTheHost() {
    services.add(service("default", "web", "10.96.0.20", 80));
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12", "10.244.0.13"));
    IptablesState rules = rules();

    // from a pod the source is kept; from the host (not in the pod network) it is masqueraded
    assertBalanced(connect(rules, POD, false, "10.96.0.20", 80), false,
        "10.244.0.11:8080", "10.244.0.12:8080", "10.244.0.13:8080");
    assertBalanced(connect(rules, NODE_IP, true, "10.96.0.20", 80), true,
        "10.244.0.11:8080", "10.244.0.12:8080", "10.244.0.13:8080");
    // other ports and addresses are not touched
    assertThat(connect(rules, POD, false, "10.96.0.20", 81)).containsOnlyKeys(new Outcome(null, false));
    assertThat(connect(rules, POD, false, "10.96.0.21", 80)).containsOnlyKeys(new Outcome(null, false));

    // kube-proxy's probabilities: 1/3, then 1/2 of the rest, then the last unconditionally
    String serviceChain = IptablesState.target(rules.rules(Table.NAT, CHAINS.services()).get(0));
    List<String> balancing = rules.rules(Table.NAT, serviceChain).stream()
        .filter(rule -> rule.contains("-j " + CHAINS.endpointPrefix())).toList();
    assertThat(balancing).hasSize(3);
    assertThat(balancing.get(0)).contains("-m statistic --mode random --probability 0.3333333333 ");
    assertThat(balancing.get(1)).contains("-m statistic --mode random --probability 0.5000000000 ");
    assertThat(balancing.get(2)).doesNotContain("statistic");
  }

  @Test
  void aboveAThousandEndpointsEndpointRulesCarryNoCommentAsKubeProxysLargeClusterMode() {
    // 500 services x 2 endpoints: exactly the threshold, every rule commented
    for (int i = 0; i < 500; i++) {
      services.add(service("default", "s" + i, "10.96." + (i / 250) + "." + (i % 250 + 1), 80));
      slices.add(slice("default", "s" + i, "10.244." + (i / 100) + "." + (2 * (i % 100) + 1),
          "10.244." + (i / 100) + "." + (2 * (i % 100) + 2)));
    }
    assertThat(endpointRules(rules())).hasSize(3000).allSatisfy(rule -> assertThat(rule).contains("-m comment"));

    // one endpoint more: the endpoint chains and the jumps to them lose their comments, nothing else does
    services.add(service("default", "one-more", "10.96.9.1", 80));
    slices.add(slice("default", "one-more", "10.244.9.1"));
    IptablesState rules = rules();
    assertThat(endpointRules(rules)).hasSize(3003).allSatisfy(rule -> assertThat(rule).doesNotContain("comment"));
    assertThat(rules.rules(Table.NAT, CHAINS.services())).allSatisfy(rule -> assertThat(rule).contains("-m comment"));
    assertBalanced(connect(rules, POD, false, "10.96.0.1", 80), false, "10.244.0.1:8080", "10.244.0.2:8080");
    assertBalanced(connect(rules, POD, false, "10.96.9.1", 80), false, "10.244.9.1:8080");
  }

  @Test
  void withTheServiceNetworkConfiguredItsUnusedAddressesAreRefusedLastInTheFilterChain() {
    services.add(service("default", "empty", "10.96.0.30", 80));
    ProxyConfig withCidr = CONFIG.withServiceCidr("10.96.0.0/12");
    RuleSet set = ProxyRules.compute(services.stream().map(Service::from).toList(), List.of(), List.of(NODE_IP),
        withCidr);
    IptablesState rules = IptablesState.parse(set.restoreInput(IptablesState.EMPTY));

    // the service without endpoints is refused by its own rule first, then every other cluster IP
    assertThat(rules.rules(Table.FILTER, CHAINS.services())).hasSize(2);
    assertThat(rules.rules(Table.FILTER, CHAINS.services()).get(1)).isEqualTo(
        "-m comment --comment \"minicluster cluster IPs of no service\" -d 10.96.0.0/12"
        + " -j REJECT --reject-with icmp-port-unreachable");
    // without it configured (the default), no such rule
    assertThat(rules().rules(Table.FILTER, CHAINS.services())).singleElement().asString()
        .doesNotContain("10.96.0.0/12");
  }

  /** The rules of the endpoint chains and the rules of service chains that jump to one. */
  private static List<String> endpointRules(IptablesState rules) {
    List<String> found = new ArrayList<>();
    for (String chain : rules.chainsOf(Table.NAT, CHAINS)) {
      for (String rule : rules.rules(Table.NAT, chain)) {
        if (chain.startsWith(CHAINS.endpointPrefix()) || rule.contains("-j " + CHAINS.endpointPrefix())) {
          found.add(rule);
        }
      }
    }
    return found;
  }

  @Test
  void everyChainIsOursAndEveryRuleCarriesAComment() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("type", "LoadBalancer").put("sessionAffinity", "ClientIP");
    firstPort(web).put("nodePort", 30080);
    spec(web).putArray("externalIPs").add("203.0.113.9");
    services.add(web);
    services.add(service("default", "empty", "10.96.0.30", 80));
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12"));
    IptablesState rules = rules();

    for (Table table : Table.values()) {
      assertThat(rules.chainsOf(table, CHAINS)).isNotEmpty().allSatisfy(chain ->
          assertThat(chain.length()).as(chain).isLessThanOrEqualTo(28));
      for (String chain : rules.chains(table)) {
        if (!CHAINS.ours(chain)) {
          // built-in chains get only our jumps
          assertThat(rules.rules(table, chain)).as(chain).allSatisfy(rule ->
              assertThat(CHAINS.jumps()).anyMatch(jump -> jump.table() == table && jump.from().equals(chain)
                  && jump.spec().equals(rule)));
          continue;
        }
        for (String rule : rules.rules(table, chain)) {
          assertThat(rule).as(table + " " + chain).contains("-m comment --comment ");
          if (chain.startsWith(CHAINS.servicePrefix()) || chain.startsWith(CHAINS.endpointPrefix()) || chain.startsWith(CHAINS.externalPrefix())) {
            assertThat(rule).contains("default/web:http");
          }
        }
      }
    }
    assertThat(rules.rules(Table.FILTER, CHAINS.services())).singleElement().asString()
        .contains("\"default/empty:http has no endpoints\"");
  }

  @Test
  void theJumpsFromBuiltInChainsAreInsertedOnceAndKeptWhenPresent() {
    services.add(service("default", "web", "10.96.0.20", 80));
    slices.add(slice("default", "web", "10.244.0.11"));
    RuleSet set = compute();

    String first = set.restoreInput(IptablesState.EMPTY);
    for (Chains.Jump jump : CHAINS.jumps()) {
      assertThat(first).containsOnlyOnce("-I " + jump.from() + " 1 " + jump.spec() + "\n");
    }
    // installed as iptables-save shows it: nothing to insert again, nothing to delete
    IptablesState installed = installed(first);
    String second = set.restoreInput(installed);
    assertThat(second).doesNotContain("-I ").doesNotContain("-D ").doesNotContain("-X ");
    // a duplicated jump (e.g. added by hand) is deleted, the first one stays
    String duplicated = first.replace("COMMIT\n*nat\n", "COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n"
        + "-A PREROUTING -j DOCKER\n").replace("-X", "-x") + "*nat\n-A PREROUTING -m comment --comment \"old\" -j "
        + CHAINS.services() + "\nCOMMIT\n";
    String third = set.restoreInput(installed(duplicated));
    assertThat(third).containsOnlyOnce("-D PREROUTING ")
        .contains("-D PREROUTING -m comment --comment \"old\" -j " + CHAINS.services() + "\n")
        .doesNotContain("-I PREROUTING").doesNotContain("DOCKER");
  }

  /** What iptables-save would show after applying an input to empty tables (-I lines become rules). */
  private static IptablesState installed(String input) {
    return IptablesState.parse(input.replaceAll("(?m)^-I (\\S+) 1 ", "-A $1 "));
  }

  @Test
  void endpointsComingBackGetTheirDnatBeforeTheRejectGoes() {
    services.add(service("default", "web", "10.96.0.20", 80));
    ObjectNode notReady = slice("default", "web");
    endpoint(notReady, "10.244.0.11", false, false, false);
    slices.add(notReady);
    RuleSet rejecting = compute();
    slices.clear();
    slices.add(slice("default", "web", "10.244.0.11"));
    RuleSet serving = compute();
    for (String input : List.of(serving.partialRestoreInput(rejecting), serving.restoreInput(
        installed(rejecting.restoreInput(IptablesState.EMPTY))))) {
      assertThat(input.indexOf("DNAT --to-destination 10.244.0.11:8080")).isPositive()
          .isLessThan(input.indexOf("*filter"));
    }
  }

  @Test
  void eachDataDirectoryHasChainsOfItsOwnThatFitIptablesNames() {
    Chains appliance = Chains.forDataDir(Path.of("/var/lib/minicluster"));
    // printf %s /var/lib/minicluster | sha256sum | cut -c1-6 (the package's scripts compute it so)
    assertThat(appliance.prefix()).isEqualTo("MC-C841A2-").isEqualTo(Chains.forDataDir(
        Path.of("/var/lib/../lib/minicluster/")).prefix());
    assertThat(Chains.forDataDir(Path.of("/tmp/other"))).isNotEqualTo(appliance);
    assertThat(appliance.serviceChain("default/web:http", "tcp")).hasSizeLessThanOrEqualTo(28);
    assertThat(appliance.endpointChain("default/web:http", "tcp", "10.244.0.11:8080")).hasSizeLessThanOrEqualTo(28);
    assertThat(Chains.withPrefix("MINICLUSTER-").serviceChain("a", "tcp")).hasSize(28);
    assertThatThrownBy(() -> Chains.withPrefix("MINICLUSTERS-")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Chains.withPrefix("mc-")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void staleChainsOfOursAreFlushedAndDeletedOthersLeftAlone() {
    services.add(service("default", "web", "10.96.0.20", 80));
    slices.add(slice("default", "web", "10.244.0.11"));
    String save = """
        *nat
        :PREROUTING ACCEPT [0:0]
        :DOCKER - [0:0]
        :MINICLUSTER-SVC-OLDOLDOLDOLD - [0:0]
        :MINICLUSTER-SEP-OLDOLDOLDOLD - [0:0]
        :MC-0A1B2C-SERVICES - [0:0]
        :MC-0A1B2C-SVC-OTHERDAEMON1 - [0:0]
        -A PREROUTING -m comment --comment "minicluster MC-0A1B2C service portals" -j MC-0A1B2C-SERVICES
        -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
        -A MINICLUSTER-SVC-OLDOLDOLDOLD -j MINICLUSTER-SEP-OLDOLDOLDOLD
        -A PREROUTING -j MINICLUSTER-SVC-OLDOLDOLDOLD
        -A MC-0A1B2C-SERVICES -d 10.96.0.30/32 -p tcp -m tcp --dport 80 -j MC-0A1B2C-SVC-OTHERDAEMON1
        COMMIT
        """;
    String input = compute().restoreInput(IptablesState.parse(save));
    assertThat(input).contains(":MINICLUSTER-SVC-OLDOLDOLDOLD - [0:0]\n", "-X MINICLUSTER-SVC-OLDOLDOLDOLD\n",
        ":MINICLUSTER-SEP-OLDOLDOLDOLD - [0:0]\n", "-X MINICLUSTER-SEP-OLDOLDOLDOLD\n",
        "-D PREROUTING -j MINICLUSTER-SVC-OLDOLDOLDOLD\n");
    // another daemon's chains (another data directory's prefix) and its jumps are left alone
    assertThat(input).doesNotContain("DOCKER").doesNotContain("MC-0A1B2C");
    // deletions come after every chain is declared (flushed) and after the jumps are gone
    assertThat(input.indexOf("-X MINICLUSTER-SVC-OLD")).isGreaterThan(input.indexOf("-D PREROUTING"));

    String uninstall = RuleSet.uninstallInput(IptablesState.parse(save), CHAINS);
    assertThat(uninstall).contains("-D PREROUTING -j MINICLUSTER-SVC-OLDOLDOLDOLD\n",
        "-X MINICLUSTER-SVC-OLDOLDOLDOLD\n", "-X MINICLUSTER-SEP-OLDOLDOLDOLD\n").doesNotContain("DOCKER")
        .doesNotContain("MC-0A1B2C").doesNotContain("*filter");
    assertThat(RuleSet.uninstallInput(IptablesState.parse("*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n"), CHAINS))
        .isEmpty();
    // the other daemon's uninstall removes its own and leaves these
    String otherUninstall = RuleSet.uninstallInput(IptablesState.parse(save), Chains.withPrefix("MC-0A1B2C-"));
    assertThat(otherUninstall).contains("-D PREROUTING -m comment --comment \"minicluster MC-0A1B2C service "
        + "portals\" -j MC-0A1B2C-SERVICES\n", "-X MC-0A1B2C-SERVICES\n", "-X MC-0A1B2C-SVC-OTHERDAEMON1\n")
        .doesNotContain("MINICLUSTER-");
  }

  @Test
  void aServiceWithoutEndpointsIsRejectedInTheFilterTableAndHasNoNatRules() {
    services.add(service("default", "web", "10.96.0.20", 80));
    ObjectNode notReady = slice("default", "web");
    endpoint(notReady, "10.244.0.11", false, false, false);
    slices.add(notReady);
    IptablesState rules = rules();
    assertThat(connect(rules, POD, false, "10.96.0.20", 80)).containsOnlyKeys(new Outcome(null, false));
    assertThat(rules.rules(Table.FILTER, CHAINS.services())).containsExactly(
        "-m comment --comment \"default/web:http has no endpoints\" -p tcp -m tcp -d 10.96.0.20/32 --dport 80"
            + " -j REJECT");
    assertThat(rules.chains(Table.NAT)).noneMatch(chain -> chain.startsWith(CHAINS.servicePrefix()));
  }

  @Test
  void notReadyEndpointsAreLeftOutAndServingTerminatingOnesAreTheFallback() {
    services.add(service("default", "web", "10.96.0.20", 80));
    ObjectNode mixed = slice("default", "web", "10.244.0.11");
    endpoint(mixed, "10.244.0.12", false, false, false); // not ready
    endpoint(mixed, "10.244.0.13", false, true, true); // terminating, still serving
    // conditions left unset mean ready (the API's contract), as the endpoint slice controller writes them with
    // publishNotReadyAddresses: ready whatever the pod's readiness
    endpoint(mixed, "10.244.0.14", null, null, null);
    slices.add(mixed);
    assertBalanced(connect(rules(), POD, false, "10.96.0.20", 80), false, "10.244.0.11:8080", "10.244.0.14:8080");

    slices.clear();
    ObjectNode terminating = slice("default", "web");
    endpoint(terminating, "10.244.0.12", false, false, true); // terminating, no longer serving
    endpoint(terminating, "10.244.0.13", false, true, true);
    slices.add(terminating);
    assertBalanced(connect(rules(), POD, false, "10.96.0.20", 80), false, "10.244.0.13:8080");
  }

  @Test
  void endpointsMatchTheServicePortByNameAndProtocol() {
    ObjectNode dns = service("kube-system", "kube-dns", "10.96.0.10", 53);
    firstPort(dns).put("name", "dns").put("protocol", "UDP");
    ((ArrayNode) spec(dns).get("ports")).addObject().put("name", "dns-tcp")
        .put("protocol", "TCP").put("port", 53);
    services.add(dns);
    ObjectNode slice = slice("kube-system", "kube-dns", "10.244.0.2");
    ArrayNode ports = slice.putArray("ports");
    ports.addObject().put("name", "dns").put("protocol", "UDP").put("port", 5353);
    ports.addObject().put("name", "dns-tcp").put("protocol", "TCP").put("port", 5354);
    slices.add(slice);
    IptablesState rules = rules();
    assertBalanced(connect(rules, POD, false, "10.96.0.10", 53, "udp"), false, "10.244.0.2:5353");
    assertBalanced(connect(rules, POD, false, "10.96.0.10", 53, "tcp"), false, "10.244.0.2:5354");
    assertThat(compute().ports().get("kube-system/kube-dns:dns").protocol()).isEqualTo("udp");
  }

  @Test
  void aPodReachingItsOwnServiceIsMasqueradedSoTheReplyComesBack() {
    services.add(service("default", "web", "10.96.0.20", 80));
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12"));
    Map<Outcome, Double> outcomes = connect(rules(), "10.244.0.11", false, "10.96.0.20", 80);
    assertThat(outcomes.get(new Outcome("10.244.0.11:8080", true))).isCloseTo(0.5, within(1e-6));
    assertThat(outcomes.get(new Outcome("10.244.0.12:8080", false))).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void nodePortsAnswerOnTheNodesAddressesAndAreMasqueradedUnderClusterPolicy() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("type", "NodePort").put("externalTrafficPolicy", "Cluster");
    firstPort(web).put("nodePort", 30080);
    services.add(web);
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12"));
    IptablesState rules = rules();
    assertBalanced(connect(rules, OUTSIDE, false, NODE_IP, 30080), true, "10.244.0.11:8080", "10.244.0.12:8080");
    assertBalanced(connect(rules, NODE_IP, true, NODE_IP, 30080), true, "10.244.0.11:8080", "10.244.0.12:8080");
    assertThat(connect(rules, OUTSIDE, false, "192.168.1.11", 30080)).containsOnlyKeys(new Outcome(null, false));
    // the node-port jump is the last rule of the services chain
    List<String> entry = rules.rules(Table.NAT, CHAINS.services());
    assertThat(entry.get(entry.size() - 1)).contains("-d " + NODE_IP + "/32 -j " + CHAINS.nodePorts());
  }

  @Test
  void externalTrafficPolicyLocalKeepsTheClientAddressButMasqueradesTheHostsOwnTraffic() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("type", "NodePort").put("externalTrafficPolicy", "Local");
    firstPort(web).put("nodePort", 30080);
    services.add(web);
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12"));
    IptablesState rules = rules();
    assertBalanced(connect(rules, OUTSIDE, false, NODE_IP, 30080), false, "10.244.0.11:8080", "10.244.0.12:8080");
    assertBalanced(connect(rules, NODE_IP, true, NODE_IP, 30080), true, "10.244.0.11:8080", "10.244.0.12:8080");
    assertBalanced(connect(rules, POD, false, NODE_IP, 30080), false, "10.244.0.11:8080", "10.244.0.12:8080");
    assertThat(rules.chains(Table.NAT)).anyMatch(chain -> chain.startsWith(CHAINS.localPrefix()));
  }

  @Test
  void internalTrafficPolicyLocalUsesTheLocalEndpointsWhichOnOneNodeAreAll() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("internalTrafficPolicy", "Local");
    services.add(web);
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12"));
    IptablesState rules = rules();
    assertBalanced(connect(rules, POD, false, "10.96.0.20", 80), false, "10.244.0.11:8080", "10.244.0.12:8080");
    assertThat(IptablesState.target(rules.rules(Table.NAT, CHAINS.services()).get(0))).startsWith(CHAINS.localPrefix());
    assertThat(rules.chains(Table.NAT)).noneMatch(chain -> chain.startsWith(CHAINS.servicePrefix()));
  }

  @Test
  void podsReachTheHostsDnsAndApiPortsPastAFirewallDroppingInput() {
    RuleSet set = ProxyRules.compute(List.of(), List.of(), List.of(NODE_IP), CONFIG.withApiPort(6443));
    assertThat(set.rules(Table.FILTER, CHAINS.input())).containsExactly(
        "-m comment --comment \"minicluster pods reach the cluster DNS\" -s 10.244.0.0/16 -p udp -m udp --dport 53"
            + " -j ACCEPT",
        "-m comment --comment \"minicluster pods reach the cluster DNS\" -s 10.244.0.0/16 -p tcp -m tcp --dport 53"
            + " -j ACCEPT",
        "-m comment --comment \"minicluster pods reach the API server\" -s 10.244.0.0/16 -p tcp -m tcp --dport 6443"
            + " -j ACCEPT");
    // the jump goes first into INPUT, ahead of a firewall's own chains
    assertThat(CHAINS.jumps()).contains(new Chains.Jump(Table.FILTER, "INPUT", "",
        "minicluster " + CHAINS.prefix().replaceAll("-$", "") + " pods reach the host's cluster services",
        CHAINS.input()));
    assertThat(set.restoreInput(IptablesState.EMPTY)).contains("-I INPUT 1 -m comment --comment \"minicluster "
        + CHAINS.prefix().replaceAll("-$", "") + " pods reach the host's cluster services\" -j " + CHAINS.input());
  }

  @Test
  void trafficPoliciesLocalLeaveOutEndpointsOfOtherNodesAndThoseWithoutANode() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("type", "NodePort").put("internalTrafficPolicy", "Local").put("externalTrafficPolicy", "Local");
    firstPort(web).put("nodePort", 30080);
    services.add(web);
    ObjectNode slice = slice("default", "web", "10.244.0.11");
    Fixtures.endpoint(slice, "10.244.0.12", true, true, false).put("nodeName", "node-b");
    Fixtures.endpoint(slice, "10.244.0.13", true, true, false).remove("nodeName");
    slices.add(slice);
    ObjectNode everywhere = service("default", "everywhere", "10.96.0.21", 80);
    spec(everywhere).put("type", "NodePort");
    firstPort(everywhere).put("nodePort", 30081);
    services.add(everywhere);
    ObjectNode everywhereSlice = slice("default", "everywhere", "10.244.0.11");
    Fixtures.endpoint(everywhereSlice, "10.244.0.12", true, true, false).put("nodeName", "node-b");
    slices.add(everywhereSlice);
    IptablesState rules = rules();
    assertBalanced(connect(rules, POD, false, "10.96.0.20", 80), false, "10.244.0.11:8080");
    assertBalanced(connect(rules, OUTSIDE, false, NODE_IP, 30080), false, "10.244.0.11:8080");
    // the host's own traffic to a node port goes to the cluster-wide endpoints (kube-proxy's short circuit)
    assertBalanced(connect(rules, NODE_IP, true, NODE_IP, 30080), true, "10.244.0.11:8080", "10.244.0.12:8080",
        "10.244.0.13:8080");
    assertBalanced(connect(rules, POD, false, "10.96.0.21", 80), false, "10.244.0.11:8080", "10.244.0.12:8080");
    assertBalanced(connect(rules, OUTSIDE, false, NODE_IP, 30081), true, "10.244.0.11:8080", "10.244.0.12:8080");

    // no local endpoint left: Local traffic is dropped, not sent to another node's endpoints
    slices.set(0, slice("default", "web"));
    Fixtures.endpoint(slices.get(0), "10.244.0.12", true, true, false).put("nodeName", "node-b");
    IptablesState without = rules();
    assertThat(connect(without, POD, false, "10.96.0.20", 80)).doesNotContainKey(new Outcome("10.244.0.12:8080", false));
    assertThat(connect(without, OUTSIDE, false, NODE_IP, 30080))
        .doesNotContainKey(new Outcome("10.244.0.12:8080", false));
  }

  @Test
  void aLoadBalancerAnswersOnItsIngressAddressOrTheNodesAndExternalIpsAnswerToo() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("type", "LoadBalancer");
    firstPort(web).put("nodePort", 30080);
    spec(web).putArray("externalIPs").add("198.51.100.7");
    services.add(web);
    slices.add(slice("default", "web", "10.244.0.11"));
    IptablesState rules = rules();
    assertBalanced(connect(rules, OUTSIDE, false, NODE_IP, 80), true, "10.244.0.11:8080");
    assertBalanced(connect(rules, OUTSIDE, false, "198.51.100.7", 80), true, "10.244.0.11:8080");

    web.putObject("status").putObject("loadBalancer").putArray("ingress").addObject().put("ip", "203.0.113.5");
    rules = rules();
    assertBalanced(connect(rules, OUTSIDE, false, "203.0.113.5", 80), true, "10.244.0.11:8080");
    assertThat(connect(rules, OUTSIDE, false, NODE_IP, 80)).containsOnlyKeys(new Outcome(null, false));
    assertThat(compute().ports().get("default/web:http").addresses())
        .containsExactly("10.96.0.20", "198.51.100.7", "203.0.113.5");

    // without endpoints: the external addresses are rejected in the filter table
    slices.clear();
    assertThat(rules().rules(Table.FILTER, CHAINS.externalServices())).hasSize(3)
        .allSatisfy(rule -> assertThat(rule).endsWith("-j REJECT"))
        .anySatisfy(rule -> assertThat(rule).contains("-d 198.51.100.7/32 --dport 80"))
        .anySatisfy(rule -> assertThat(rule).contains("-d 203.0.113.5/32 --dport 80"))
        .anySatisfy(rule -> assertThat(rule).contains("-m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080"));
  }

  @Test
  void clientIpAffinityRemembersTheEndpointForTheTimeout() {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("sessionAffinity", "ClientIP").putObject("sessionAffinityConfig").putObject("clientIP")
        .put("timeoutSeconds", 600);
    services.add(web);
    slices.add(slice("default", "web", "10.244.0.11", "10.244.0.12"));
    IptablesState rules = rules();
    String serviceChain = IptablesState.target(rules.rules(Table.NAT, CHAINS.services()).get(0));
    List<String> chain = rules.rules(Table.NAT, serviceChain);
    // masquerade rule, then one affinity check per endpoint, then the random balancing
    assertThat(chain).hasSize(5);
    for (int i = 1; i <= 2; i++) {
      String endpointChain = IptablesState.target(chain.get(i));
      assertThat(chain.get(i)).contains("-m recent --rcheck --seconds 600 --reap --name " + endpointChain + " ");
      assertThat(rules.rules(Table.NAT, endpointChain).get(1))
          .contains("-m recent --set --name " + endpointChain + " ").contains("-j DNAT");
    }
    assertThat(chain.get(3)).contains("statistic");
    // a first connection is balanced as usual
    assertBalanced(connect(rules, POD, false, "10.96.0.20", 80), false, "10.244.0.11:8080", "10.244.0.12:8080");

    spec(web).remove("sessionAffinityConfig");
    assertThat(rules().rules(Table.NAT, serviceChain).get(1)).contains("--seconds 10800 ");
  }

  @Test
  void headlessExternalNameAndUnallocatedServicesAreNotProxied() {
    ObjectNode headless = service("default", "headless", "None", 80);
    ObjectNode external = service("default", "external", "", 80);
    spec(external).put("type", "ExternalName").put("externalName", "example.org");
    services.addAll(List.of(headless, external, service("default", "pending", "", 80)));
    slices.add(slice("default", "headless", "10.244.0.11"));
    IptablesState rules = rules();
    assertThat(rules.rules(Table.NAT, CHAINS.services())).containsExactly(
        "-m comment --comment \"minicluster service nodeports; NOTE: this must be the last rule in this chain\""
            + " -d " + NODE_IP + "/32 -j " + CHAINS.nodePorts());
    assertThat(rules.rules(Table.FILTER, CHAINS.services())).isEmpty();
  }

  @Test
  void onlyDottedQuadIpv4AddressesAreProxied() {
    assertThat(Stream.of("10.96.0.1", "0.0.0.0", "255.255.255.255", "192.168.1.10"))
        .allMatch(ProxyRules::isIpv4);
    assertThat(Stream.of("", "None", "10.96.0", "10.96.0.1.2", "256.1.1.1", "010.1.1.1", "10..0.1", "fd00::1",
        "10.96.0.1 ", "1.2.3.4/32")).noneMatch(ProxyRules::isIpv4);
  }

  @Test
  void theOutputIsTheSameWhateverTheOrderOfTheInput() {
    services.add(service("default", "a", "10.96.0.20", 80));
    services.add(service("other", "b", "10.96.0.21", 80));
    slices.add(slice("default", "a", "10.244.0.12", "10.244.0.11"));
    slices.add(slice("other", "b", "10.244.0.13"));
    String one = compute().restoreInput(IptablesState.EMPTY);
    Collections.reverse(services);
    Collections.reverse(slices);
    assertThat(compute().restoreInput(IptablesState.EMPTY)).isEqualTo(one);
    assertThat(Stream.of(one.split("\n")).filter(line -> line.startsWith("-A")).count())
        .isEqualTo(compute().ruleCount());
  }

  @Test
  void eachChainIsWrittenAfterTheChainsItJumpsToWithFewNamesBelowItWrittenBefore() {
    for (int i = 0; i < 30; i++) {
      services.add(service("default", "web-" + i, "10.96.0." + (20 + i), 80));
      slices.add(slice("default", "web-" + i, "10.244.1." + (i + 1), "10.244.2." + (i + 1), "10.244.3." + (i + 1)));
    }
    RuleSet first = compute();
    String full = first.restoreInput(IptablesState.EMPTY);
    slices.set(7, slice("default", "web-7", "10.244.1.8", "10.244.2.8", "10.244.4.8"));
    String partial = compute().partialRestoreInput(first);
    for (String input : List.of(full, partial)) {
      String nat = input.substring(input.indexOf("*nat\n"), input.indexOf("COMMIT\n", input.indexOf("*nat\n")));
      // iptables-nft-restore --noflush keeps every chain name a line names (the chain, the jump target) in a list
      // sorted ascending and scanned from its head: a scan passes the names so far that sort below the one sought
      // (all declarations first, in the set's order, passed 79 names a line here; this order passes 17)
      TreeSet<String> named = new TreeSet<>();
      long passed = 0;
      int lines = 0;
      for (String line : nat.split("\n")) {
        List<String> names = new ArrayList<>();
        if (line.startsWith(":")) {
          names.add(line.substring(1, line.indexOf(' ')));
        } else if (line.startsWith("-A ")) {
          String chain = line.split(" ")[1];
          String target = IptablesState.target(line);
          assertThat(target == null || !nat.contains(":" + target + " ") || named.contains(target))
              .as("the target of %s is written first", line).isTrue();
          names.add(chain);
          if (target != null) {
            names.add(target);
          }
        }
        for (String name : names) {
          passed += named.headSet(name).size();
          named.add(name);
        }
        lines++;
      }
      assertThat(passed).as("names passed in %d lines", lines).isLessThanOrEqualTo(30L * lines);
    }
  }
}
