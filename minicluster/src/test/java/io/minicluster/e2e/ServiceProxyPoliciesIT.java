package io.minicluster.e2e;

import static io.minicluster.e2e.ServiceProxyIT.count;
import static io.minicluster.e2e.ServiceProxyIT.get;
import static io.minicluster.e2e.ServiceProxyIT.jsonpath;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service proxy's policies end to end (real daemon as root, kubectl 1.35, the local busybox image): externalIPs
 * (the node's own address) answer; sessionAffinity ClientIP keeps one client on one backend until its timeout passes;
 * internalTrafficPolicy Local sends only to this node's endpoints (an endpoint of another node, or of none, is left
 * out) while Cluster uses all; and a UDP client keeping its source port reaches the new endpoint once the old one is
 * replaced, because the proxy clears the conntrack entries of the gone endpoint.
 */
class ServiceProxyPoliciesIT {
  /** A UDP server answering every datagram with its tag, run in a pod's network namespace: {@code python3 -c}. */
  private static final String UDP_ECHO = """
      import socket, sys
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.bind(("0.0.0.0", 9999))
      while True:
          data, peer = s.recvfrom(512)
          s.sendto(sys.argv[1].encode(), peer)
      """;
  private static final String SLEEPER = """
      apiVersion: v1
      kind: Pod
      metadata: {name: %s, labels: {app: %s}}
      spec:
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}]
      """;

  @TempDir
  Path temp;

  @Test
  void externalIpsAffinityLocalTrafficAndUdpFlowsFollowTheirEndpoints() throws Exception {
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-proxy-policies")) {
      Kubectl kubectl = cluster.kubectl();
      kubectl.runWithInput(ServiceProxyIT.DEPLOYMENT, "apply", "-f", "-").assertOk();
      kubectl.run(List.of("rollout", "status", "deployment/web", "--timeout=120s"), null, Map.of(), 150)
          .assertOk();
      List<String> pods = List.of(kubectl.run("get", "pods", "-l", "app=web", "-o",
          "jsonpath={.items[*].metadata.name}").assertOk().stdout().trim().split(" "));
      assertThat(pods).hasSize(3);
      String nodeAddress = jsonpath(kubectl, "node", cluster.nodeName(),
          "{.status.addresses[?(@.type==\"InternalIP\")].address}");

      externalIps(kubectl, nodeAddress, pods);
      sessionAffinity(kubectl, pods);
      internalTrafficPolicyLocal(kubectl, cluster.nodeName());
      udpFlowsFollowAReplacedEndpoint(kubectl);
      assertThat(cluster.log()).doesNotContain("service proxy sync failed");
    }
  }

  /** A service with the node's own address as external IP answers there, balanced over the pods. */
  private static void externalIps(Kubectl kubectl, String nodeAddress, List<String> pods) throws Exception {
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Service
        metadata: {name: web-ext}
        spec:
          selector: {app: web}
          externalIPs: [%s]
          ports: [{port: 18091, targetPort: 80}]
        """.formatted(nodeAddress), "apply", "-f", "-").assertOk();
    HostTools.waitUntil("the external IP " + nodeAddress + ":18091 answers", Duration.ofSeconds(30),
        () -> pods.contains(get(nodeAddress, 18091)));
    assertThat(count(nodeAddress, 18091, 30)).as("30 requests to the external IP").containsOnlyKeys(pods);
  }

  /** ClientIP affinity: a burst of requests from one client reaches one pod; past the timeout the choice is new. */
  private static void sessionAffinity(Kubectl kubectl, List<String> pods) throws Exception {
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Service
        metadata: {name: web-sticky}
        spec:
          selector: {app: web}
          sessionAffinity: ClientIP
          sessionAffinityConfig: {clientIP: {timeoutSeconds: 2}}
          ports: [{port: 80}]
        """, "apply", "-f", "-").assertOk();
    String sticky = jsonpath(kubectl, "service", "web-sticky", "{.spec.clusterIP}");
    HostTools.waitUntil("web-sticky answers", Duration.ofSeconds(30), () -> pods.contains(get(sticky, 80)));
    for (int burst = 0; burst < 2; burst++) {
      assertThat(count(sticky, 80, 30)).as("30 requests in a row from the host to the sticky service").hasSize(1);
    }
    // each request after more than the timeout: chosen afresh (8 choices over 3 pods all equal: 1 in 2,187)
    Set<String> chosen = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      Thread.sleep(3_000); // the affinity's timeout has to pass: there is no condition to wait for
      chosen.add(get(sticky, 80));
    }
    assertThat(chosen).as("backends chosen with the affinity expired each time").hasSizeGreaterThan(1);
  }

  /**
   * internalTrafficPolicy Local over a hand-made slice: an endpoint on this node, one on another node and one without
   * a node: only the first answers, from the host and from a pod; the same slice behind a Cluster service: all do.
   */
  private static void internalTrafficPolicyLocal(Kubectl kubectl, String nodeName) throws Exception {
    kubectl.runWithInput(SLEEPER.formatted("client", "client"), "apply", "-f", "-").assertOk();
    List<String> ips = new ArrayList<>();
    List<String> names = List.of("here", "there", "nowhere");
    for (String name : names) {
      kubectl.runWithInput(SLEEPER.formatted("backend-" + name, "backend"), "apply", "-f", "-").assertOk();
    }
    kubectl.run(List.of("wait", "--for=condition=Ready", "--timeout=60s", "pod/client", "pod/backend-here",
        "pod/backend-there", "pod/backend-nowhere"), null, Map.of(), 90).assertOk();
    for (String name : names) {
      ips.add(jsonpath(kubectl, "pod", "backend-" + name, "{.status.podIP}"));
      // each backend answers its name on port 80 (busybox httpd in the pod)
      kubectl.run("exec", "backend-" + name, "--", "sh", "-c", "mkdir -p /www && echo " + name
          + " > /www/index.html && httpd -p 80 -h /www").assertOk();
    }
    String endpoints = "  - {addresses: [" + ips.get(0) + "], conditions: {ready: true}, nodeName: " + nodeName + "}\n"
        + "  - {addresses: [" + ips.get(1) + "], conditions: {ready: true}, nodeName: another-node}\n"
        + "  - {addresses: [" + ips.get(2) + "], conditions: {ready: true}}\n";
    for (String policy : List.of("Local", "Cluster")) {
      String service = "policy-" + policy.toLowerCase();
      kubectl.runWithInput("""
          apiVersion: v1
          kind: Service
          metadata: {name: %1$s}
          spec:
            internalTrafficPolicy: %2$s
            ports: [{port: 80}]
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: %1$s-1
            labels: {kubernetes.io/service-name: %1$s}
          addressType: IPv4
          ports: [{port: 80}]
          endpoints:
          """.formatted(service, policy) + endpoints, "apply", "-f", "-").assertOk();
    }
    String local = jsonpath(kubectl, "service", "policy-local", "{.spec.clusterIP}");
    String cluster = jsonpath(kubectl, "service", "policy-cluster", "{.spec.clusterIP}");
    HostTools.waitUntil("the Cluster service reaches every endpoint", Duration.ofSeconds(30),
        () -> count(cluster, 80, 30).keySet().equals(Set.copyOf(names)));
    assertThat(count(local, 80, 30)).as("internalTrafficPolicy Local from the host").containsOnlyKeys("here");
    for (int i = 0; i < 10; i++) {
      String response = kubectl.run("exec", "client", "--", "sh", "-c",
          "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 " + local + " 80").assertOk().stdout();
      assertThat(response.substring(response.indexOf("\r\n\r\n") + 4).trim())
          .as("internalTrafficPolicy Local from a pod").isEqualTo("here");
    }
  }

  /**
   * A UDP client on a fixed source port talks to a service's only endpoint; the endpoint is replaced by another pod
   * (running before, so its address differs); the same client's next datagrams reach the new pod.
   */
  private static void udpFlowsFollowAReplacedEndpoint(Kubectl kubectl) throws Exception {
    kubectl.runWithInput(SLEEPER.formatted("udp-old", "udp-old") + "---\n" + SLEEPER.formatted("udp-new", "udp-new")
        + """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: udp}
        spec:
          selector: {role: udp-backend}
          ports: [{port: 9999, protocol: UDP}]
        """, "apply", "-f", "-").assertOk();
    kubectl.run("label", "pod", "udp-old", "role=udp-backend").assertOk();
    kubectl.run(List.of("wait", "--for=condition=Ready", "--timeout=60s", "pod/udp-old", "pod/udp-new"), null,
        Map.of(), 90).assertOk();
    String service = jsonpath(kubectl, "service", "udp", "{.spec.clusterIP}");
    List<Process> servers = new ArrayList<>();
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(0))) {
      client.setSoTimeout(300);
      for (String pod : List.of("udp-old", "udp-new")) {
        servers.add(new ProcessBuilder("nsenter", "--net=" + HostTools.podNetworkNamespace(kubectl, pod), "python3",
            "-c", UDP_ECHO, pod).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
      }
      HostTools.waitUntil("udp-old answers from the service", Duration.ofSeconds(30),
          () -> "udp-old".equals(exchange(client, service)));
      kubectl.run("label", "pod", "udp-new", "role=udp-backend").assertOk();
      kubectl.run("delete", "pod", "udp-old", "--grace-period=1", "--wait=false").assertOk();
      // the client keeps its port (and so its conntrack entry) and sends every 300 ms until the new pod answers
      HostTools.waitUntil("the same UDP client reaches udp-new", Duration.ofSeconds(20),
          () -> "udp-new".equals(exchange(client, service)));
    } finally {
      servers.forEach(Process::destroy);
    }
  }

  /** One datagram to the service's port 9999 and the answer, null after 300 ms without one. */
  private static String exchange(DatagramSocket client, String service) throws IOException {
    byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
    client.send(new DatagramPacket(ping, ping.length, new InetSocketAddress(service, 9999)));
    byte[] buffer = new byte[512];
    DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
    try {
      client.receive(answer);
      return new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }
}
