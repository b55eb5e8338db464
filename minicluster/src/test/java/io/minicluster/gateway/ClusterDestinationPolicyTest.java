package io.minicluster.gateway;

import static io.minicluster.testing.ScriptedListWatch.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Namespace;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.socks.policy.DestinationRequest;
import io.minicluster.socks.policy.PolicyDecision;
import io.minicluster.socks.policy.RefusalReason;
import io.minicluster.socks.resolve.Resolution;
import io.minicluster.testing.ScriptedListWatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway must never be an open proxy: it reaches the addresses of this cluster's pods and services (services
 * through a ready endpoint), NodePorts on the node's own addresses and what the operator allowed, and nothing else.
 */
class ClusterDestinationPolicyTest {
  private static final String NODE_IP = "192.168.1.10";
  private static final InetSocketAddress API_SERVER = new InetSocketAddress("127.0.0.1", 6443);

  private final ScriptedListWatch api = new ScriptedListWatch();
  private final SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10));
  private ClusterDestinationPolicy policy;
  private ClusterNameResolver resolver;

  @BeforeEach
  void setUp() throws Exception {
    api.put(ResourceTypes.NAMESPACES, object(null, "default", "{}"));
    api.put(ResourceTypes.NAMESPACES, object(null, "shop", "{}"));
    api.put(ResourceTypes.SERVICES, object("shop", "cart",
        "{\"spec\":{\"clusterIP\":\"10.96.0.30\",\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"}]}}"));
    api.put(ResourceTypes.ENDPOINTS, endpoints("shop", "cart", List.of("10.244.1.1", "10.244.1.2", "10.244.1.3"),
        List.of("10.244.1.4")));
    api.put(ResourceTypes.SERVICES, object("default", "kubernetes",
        "{\"spec\":{\"clusterIP\":\"10.96.0.1\",\"ports\":[{\"name\":\"https\",\"port\":443,"
        + "\"protocol\":\"TCP\",\"targetPort\":6443}]}}"));
    api.put(ResourceTypes.ENDPOINTS, object("default", "kubernetes", "{\"subsets\":[{\"addresses\":[{\"ip\":\""
        + NODE_IP + "\"}],\"ports\":[{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}]}]}"));
    api.put(ResourceTypes.PODS, pod("web-1", "10.244.0.5", false));
    api.put(ResourceTypes.PODS, pod("host-agent", NODE_IP, true));
    api.put(ResourceTypes.SERVICES, object("default", "web",
        "{\"spec\":{\"clusterIP\":\"10.96.0.20\",\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"}]}}"));
    api.put(ResourceTypes.ENDPOINTS, object("default", "web", "{\"subsets\":[{\"addresses\":[{\"ip\":\"10.244.0.5\"}],"
        + "\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}]}"));
    api.put(ResourceTypes.SERVICES, object("default", "empty",
        "{\"spec\":{\"clusterIP\":\"10.96.0.21\",\"ports\":[{\"port\":80}]}}"));
    Informer<Pod> pods = informers.informer(Kinds.PODS);
    Informer<Service> services = informers.informer(Kinds.SERVICES);
    Informer<Endpoints> endpoints = informers.informer(Kinds.ENDPOINTS);
    Informer<Namespace> namespaces = informers.informer(Kinds.NAMESPACES);
    policy = new ClusterDestinationPolicy("10.244.0.0/16", "10.96.0.0/12", new NodePortRange(30000, 32767),
        () -> List.of(address(NODE_IP)), List.of("172.30.0.0/16"), new ServiceBackends(services, endpoints, API_SERVER),
        new PodAddresses(pods));
    resolver = new ClusterNameResolver("cluster.local", services::get, endpoints::get, pods::get,
        name -> namespaces.get(null, name).isPresent());
    for (Informer<?> informer : List.of(pods, services, endpoints, namespaces)) {
      informer.start();
      assertThat(informer.waitForSync(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @AfterEach
  void tearDown() {
    informers.close();
  }

  private static ObjectNode pod(String name, String ip, boolean hostNetwork) {
    return object("default", name, "{\"spec\":{\"hostNetwork\":" + hostNetwork + "},"
        + "\"status\":{\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}]}}");
  }

  /** Endpoints of port "http" on 8080: ready and not-ready addresses. */
  private static ObjectNode endpoints(String namespace, String name, List<String> ready, List<String> notReady) {
    StringBuilder json = new StringBuilder("{\"subsets\":[{\"addresses\":[");
    for (int i = 0; i < ready.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"ip\":\"").append(ready.get(i)).append("\"}");
    }
    json.append("],\"notReadyAddresses\":[");
    for (int i = 0; i < notReady.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"ip\":\"").append(notReady.get(i)).append("\"}");
    }
    json.append("],\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}]}");
    return object(namespace, name, json.toString());
  }

  private static List<InetSocketAddress> backends(String... ips) {
    return Arrays.stream(ips).map(ip -> new InetSocketAddress(ip, 8080)).toList();
  }

  /**
   * What the gateway decides for a client asking for {@code host:port}: an IP literal goes to the policy; a name is
   * resolved here first (every address it resolves to is asked about), and a name that is not the cluster's or
   * does not exist is refused (the daemon's gateway does not fall back to the host's DNS).
   */
  private List<PolicyDecision> connect(String host, int port) {
    if (host.matches("[0-9.]+")) {
      return List.of(evaluate(host, port));
    }
    Resolution resolution = resolve(host);
    if (!(resolution instanceof Resolution.Resolved resolved)) {
      return List.of(PolicyDecision.refuse(RefusalReason.HOST_UNREACHABLE, host + ": " + resolution));
    }
    return resolved.addresses().stream().map(address -> evaluate(host, address.getHostAddress(), port)).toList();
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private Resolution resolve(String name) {
    try {
      return resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private PolicyDecision evaluate(String host, String ip, int port) {
    return policy.evaluate(new DestinationRequest(InetSocketAddress.createUnresolved("client", 40000), host,
        address(ip), port));
  }

  private PolicyDecision evaluate(String ip, int port) {
    return evaluate(null, ip, port);
  }

  @Test
  void allowsTheAddressesOfExistingPodsOnly() {
    assertThat(evaluate("10.244.0.5", 8080).allowed()).isTrue();
    PolicyDecision unknown = evaluate("10.244.0.6", 8080);
    assertThat(unknown.allowed()).isFalse();
    assertThat(unknown.reason()).isEqualTo(RefusalReason.HOST_UNREACHABLE);
    assertThat(unknown.detail()).isEqualTo("no pod has the address 10.244.0.6");
  }

  @Test
  void forgetsTheAddressOfADeletedPodAndLearnsANewOne() {
    api.delete(ResourceTypes.PODS, "default", "web-1");
    api.put(ResourceTypes.PODS, pod("web-2", "10.244.0.9", false));
    Eventually.assertThat(() -> {
      assertThat(evaluate("10.244.0.5", 8080).allowed()).isFalse();
      assertThat(evaluate("10.244.0.9", 8080).allowed()).isTrue();
    });
  }

  @Test
  void aHostNetworkPodDoesNotOpenTheNodesPorts() {
    // its address is the node's: only NodePorts are allowed there
    assertThat(evaluate(NODE_IP, 22).allowed()).isFalse();
    assertThat(evaluate(NODE_IP, 6443).allowed()).isFalse();
  }

  @Test
  void servicesAreReachedThroughAReadyEndpointNeverTheVirtualAddress() {
    PolicyDecision decision = evaluate("10.96.0.20", 80);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.connectTo()).containsExactly(new InetSocketAddress("10.244.0.5", 8080));

    PolicyDecision otherPort = evaluate("10.96.0.20", 443);
    assertThat(otherPort.allowed()).isFalse();
    assertThat(otherPort.reason()).isEqualTo(RefusalReason.CONNECTION_REFUSED);
    assertThat(otherPort.detail()).isEqualTo("service 10.96.0.20:443 has no ready endpoints");

    assertThat(evaluate("10.96.0.21", 80).detail()).isEqualTo("service 10.96.0.21:80 has no ready endpoints");
    PolicyDecision noService = evaluate("10.96.0.99", 80);
    assertThat(noService.allowed()).isFalse();
    assertThat(noService.reason()).isEqualTo(RefusalReason.CONNECTION_REFUSED);
    assertThat(noService.detail()).isEqualTo("no service at 10.96.0.99:80");
  }

  @Test
  void aServiceByAnyOfItsNamesOrItsClusterIpIsBalancedOverAllItsReadyEndpoints() {
    for (String host : List.of("cart.shop", "cart.shop.svc", "cart.shop.svc.cluster.local",
        "cart.shop.svc.cluster.local.", "CART.Shop.svc", "10.96.0.30")) {
      List<PolicyDecision> decisions = connect(host, 80);
      assertThat(decisions).as(host).hasSize(1);
      assertThat(decisions.get(0).allowed()).as(host).isTrue();
      // the not-ready 10.244.1.4 is left out
      assertThat(decisions.get(0).connectTo()).as(host)
          .containsExactlyInAnyOrderElementsOf(backends("10.244.1.1", "10.244.1.2", "10.244.1.3"));
    }
    assertThat(connect("web", 80).get(0).connectTo()).containsExactly(new InetSocketAddress("10.244.0.5", 8080));
  }

  @Test
  void aServiceFollowsItsEndpointsThroughARollingUpdate() {
    // a new pod becomes ready, then an old one leaves, then the rest: each step is seen by the next connection
    api.put(ResourceTypes.ENDPOINTS, endpoints("shop", "cart", List.of("10.244.1.1", "10.244.1.2", "10.244.1.3",
        "10.244.1.7"), List.of()));
    Eventually.assertThat(() -> assertThat(connect("cart.shop", 80).get(0).connectTo())
        .containsExactlyInAnyOrderElementsOf(backends("10.244.1.1", "10.244.1.2", "10.244.1.3", "10.244.1.7")));
    api.put(ResourceTypes.ENDPOINTS, endpoints("shop", "cart", List.of("10.244.1.2", "10.244.1.3", "10.244.1.7"),
        List.of("10.244.1.1")));
    Eventually.assertThat(() -> assertThat(connect("cart.shop", 80).get(0).connectTo())
        .containsExactlyInAnyOrderElementsOf(backends("10.244.1.2", "10.244.1.3", "10.244.1.7")));
    api.put(ResourceTypes.ENDPOINTS, endpoints("shop", "cart", List.of("10.244.1.7", "10.244.1.8", "10.244.1.9"),
        List.of()));
    Eventually.assertThat(() -> assertThat(connect("10.96.0.30", 80).get(0).connectTo())
        .containsExactlyInAnyOrderElementsOf(backends("10.244.1.7", "10.244.1.8", "10.244.1.9")));
    // and when no endpoint is ready, the service refuses as kube-proxy's REJECT rule does
    api.put(ResourceTypes.ENDPOINTS, endpoints("shop", "cart", List.of(), List.of("10.244.1.7")));
    Eventually.assertThat(() -> {
      PolicyDecision decision = connect("cart.shop", 80).get(0);
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.reason()).isEqualTo(RefusalReason.CONNECTION_REFUSED);
      assertThat(decision.detail()).isEqualTo("service 10.96.0.30:80 has no ready endpoints");
    });
  }

  @Test
  void theKubernetesServiceLeadsToTheApiServerWhereItListens() {
    for (String host : List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local", "10.96.0.1")) {
      PolicyDecision decision = connect(host, 443).get(0);
      assertThat(decision.allowed()).as(host).isTrue();
      assertThat(decision.connectTo()).as(host).containsExactly(API_SERVER);
    }
    // the service's port only; and the API server's own address and port stay closed when asked for directly
    assertThat(connect("kubernetes.default.svc", 6443).get(0).allowed()).isFalse();
    assertThat(evaluate("127.0.0.1", 6443).allowed()).isFalse();
    assertThat(evaluate(NODE_IP, 6443).allowed()).isFalse();
  }

  @Test
  void unknownNamesAndTheHostsOwnAddressesAreRefused() {
    for (String host : List.of("nothing.default.svc.cluster.local", "nothing.shop", "cart.nowhere.svc",
        "missing-pod.default.pod", "example.com", "localhost", "nothing")) {
      assertThat(connect(host, 80)).as(host).allSatisfy(decision -> assertThat(decision.allowed()).isFalse());
    }
    for (String ip : List.of(NODE_IP, "127.0.0.1", "127.0.1.1")) {
      for (int port : List.of(22, 80, 443, 1080, 6443, 10250)) {
        assertThat(evaluate(ip, port).allowed()).as(ip + ":" + port).isFalse();
      }
    }
  }

  @Test
  void aDeletedServiceIsNoLongerReachable() {
    api.delete(ResourceTypes.SERVICES, "default", "web");
    Eventually.assertThat(() -> assertThat(evaluate("10.96.0.20", 80).detail())
        .isEqualTo("no service at 10.96.0.20:80"));
  }

  @Test
  void refusesLoopbackWildcardMulticastAndTheOutsideWorld() {
    for (String ip : List.of("127.0.0.1", "::1", "0.0.0.0", "224.0.0.1", "8.8.8.8", "169.254.169.254", "10.0.0.1",
        "192.168.1.11")) {
      PolicyDecision decision = evaluate(ip, 443);
      assertThat(decision.allowed()).as(ip).isFalse();
      assertThat(decision.reason()).as(ip).isEqualTo(RefusalReason.DESTINATION_NOT_ALLOWED);
    }
    // a name the client sent does not matter: the resolved address decides
    assertThat(evaluate("example.com", "93.184.216.34", 443).allowed()).isFalse();
    assertThat(evaluate("web.default.svc.cluster.local", "8.8.8.8", 80).allowed()).isFalse();
  }

  @Test
  void allowsNodePortsOnTheNodesAddressesOnly() {
    assertThat(evaluate(NODE_IP, 30000).allowed()).isTrue();
    assertThat(evaluate(NODE_IP, 32767).allowed()).isTrue();
    assertThat(evaluate(NODE_IP, 29999).allowed()).isFalse();
    assertThat(evaluate(NODE_IP, 32768).allowed()).isFalse();
    assertThat(evaluate("192.168.1.11", 30000).allowed()).isFalse();
  }

  @Test
  void allowsWhatTheOperatorAddedAndNothingAround() {
    assertThat(evaluate("172.30.4.5", 5432).allowed()).isTrue();
    assertThat(evaluate("172.31.0.1", 5432).allowed()).isFalse();
  }

  @Test
  void resolvesOnlyThisClustersNames() throws Exception {
    assertThat(resolver.resolve("web")).isEqualTo(Resolution.resolved(address("10.96.0.20")));
    assertThat(resolver.resolve("web.default")).isEqualTo(Resolution.resolved(address("10.96.0.20")));
    assertThat(resolver.resolve("web.default.svc.cluster.local.")).isEqualTo(
        Resolution.resolved(address("10.96.0.20")));
    assertThat(resolver.resolve("web-1.default.pod")).isEqualTo(Resolution.resolved(address("10.244.0.5")));
    // names of this cluster that do not exist are refused here, not passed on to other resolvers
    assertThat(resolver.resolve("nothing.default.svc.cluster.local")).isEqualTo(Resolution.unknown());
    assertThat(resolver.resolve("nothing.default.svc")).isEqualTo(Resolution.unknown());
    // other names are not the cluster's: whatever they resolve to goes through the policy above
    assertThat(resolver.resolve("example.com")).isEqualTo(Resolution.notMine());
    assertThat(resolver.resolve("nothing")).isEqualTo(Resolution.notMine());
  }
  @Test
  void describesTheNodePortRangeItWasGiven() {
    assertThat(policy.describe()).contains("NodePorts 30000-32767 on the node's addresses");
  }

  @Test
  void aHeadlessServiceResolvesToEveryReadyPodAddress() {
    for (String ip : List.of("10.244.0.7", "10.244.0.8", "10.244.0.9")) {
      api.put(ResourceTypes.PODS, pod("db-" + ip.substring(ip.lastIndexOf('.') + 1), ip, false));
    }
    api.put(ResourceTypes.SERVICES, object("default", "db", "{\"spec\":{\"clusterIP\":\"None\"}}"));
    api.put(ResourceTypes.ENDPOINTS, endpoints("default", "db", List.of("10.244.0.8", "10.244.0.9"),
        List.of("10.244.0.7")));

    Eventually.assertThat(() -> assertThat(resolve("db.default.svc")).isEqualTo(
        Resolution.resolved(List.of(address("10.244.0.8"), address("10.244.0.9")))));
    // each is a pod's address, reached directly (once the pods' informer has indexed them too)
    Eventually.assertThat(() -> assertThat(connect("db", 5432)).hasSize(2).allSatisfy(decision -> {
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.connectTo()).isEmpty();
    }));
    api.put(ResourceTypes.ENDPOINTS, endpoints("default", "db", List.of(), List.of("10.244.0.7")));
    Eventually.assertThat(() -> assertThat(resolve("db.default.svc")).isEqualTo(Resolution.unknown()));
  }
}
