package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.dns.ResolvConf;
import io.minicluster.dns.StubUpstream;
import io.minicluster.dns.TestDns;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster DNS of a real daemon, asked from busybox pods (kubectl 1.35) and from the host: resolv.conf per
 * dnsPolicy, service names short and long, a headless service's ready pods, SRV for a named port, PTR, a forwarded
 * name answered by an upstream this test starts on loopback (the daemon forwards nowhere else: no query leaves the
 * machine), and garbage packets that leave the server answering. The service proxy is off: pods get the pod network's
 * gateway as nameserver, where the daemon serves.
 */
class ClusterDnsIT {
  private static final String MANIFEST = """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web-headless}
      spec:
        clusterIP: None
        selector: {app: web}
        ports: [{name: http, port: 8080}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-0, labels: {app: web}}
      spec:
        hostname: web-0
        subdomain: web-headless
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never,
          command: [sleep, "3600"], ports: [{name: http, containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, labels: {app: web}}
      spec:
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never,
          command: [sleep, "3600"], ports: [{name: http, containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        terminationGracePeriodSeconds: 1
        hostAliases: [{ip: 10.1.2.3, hostnames: [foo.local, bar.local]}]
        containers:
        - {name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}
        - {name: second, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: by-default}
      spec:
        dnsPolicy: Default
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: by-none}
      spec:
        dnsPolicy: None
        dnsConfig:
          nameservers: [192.0.2.1]
          searches: [a.example]
          options: [{name: ndots, value: "2"}, {name: edns0}]
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: on-host}
      spec:
        hostNetwork: true
        dnsPolicy: ClusterFirstWithHostNet
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}]
      """;
  private static final List<String> PODS = List.of("web-0", "web-1", "client", "by-default", "by-none", "on-host");

  @TempDir
  static Path temp;

  static StubUpstream upstream;
  static NodeCluster cluster;
  static Kubectl kubectl;
  static String gateway;
  static InetSocketAddress server;

  @BeforeAll
  static void start() throws Exception {
    upstream = new StubUpstream().a("outside.example.test", 60, "192.0.2.77");
    cluster = NodeCluster.start(temp, "e2e-dns", List.of("--no-service-proxy", "--cluster-dns-upstream",
        "127.0.0.1:" + upstream.address().getPort()));
    kubectl = cluster.kubectl();
    String cidr = cluster.podCidr();
    String[] octets = cidr.substring(0, cidr.indexOf('/')).split("\\.");
    gateway = octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
    server = new InetSocketAddress(InetAddress.getByName(gateway), 53);
    HostTools.waitUntil("kube-dns points at " + gateway + ":53", Duration.ofSeconds(60),
        () -> kubectl.run("get", "endpointslices", "-n", "kube-system", "-l", "kubernetes.io/service-name=kube-dns",
            "-o", "jsonpath={.items[*].endpoints[*].addresses[*]}").stdout().trim().equals(gateway));
    kubectl.runWithInput(MANIFEST, "apply", "-f", "-").assertOk();
    List<String> wait = new ArrayList<>(List.of("wait", "--for=condition=Ready", "--timeout=120s"));
    PODS.forEach(pod -> wait.add("pod/" + pod));
    kubectl.run(wait, null, Map.of(), 150).assertOk();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  private static String exec(String pod, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("exec", pod, "-c", "c", "--"));
    args.addAll(List.of(command));
    return kubectl.run(args).assertOk().stdout();
  }

  /**
   * busybox's nslookup in the client pod: it asks every name of the search path at once and prints each answer,
   * exiting 1 when any of them is NXDOMAIN, so only its output counts.
   */
  private static String nslookup(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("exec", "client", "-c", "c", "--", "nslookup"));
    command.addAll(List.of(args));
    Kubectl.Result result = kubectl.run(command);
    return result.stdout() + result.stderr();
  }

  private static String podIp(String pod) throws Exception {
    return kubectl.run("get", "pod", pod, "-o", "jsonpath={.status.podIP}").assertOk().stdout().trim();
  }

  private static String clusterIp(String service) throws Exception {
    return kubectl.run("get", "service", service, "-o", "jsonpath={.spec.clusterIP}").assertOk().stdout().trim();
  }

  private static String hostSearch() throws Exception {
    List<String> searches = ResolvConf.host(ResolvConf.DEFAULT_PATH, ResolvConf.SYSTEMD_RESOLVED_PATH).searches();
    return searches.isEmpty() ? "" : " " + String.join(" ", searches);
  }

  @Test
  void resolvConfFollowsTheDnsPolicyAndIsSharedByThePodsContainers() throws Exception {
    String clusterFirst = "search default.svc.cluster.local svc.cluster.local cluster.local" + hostSearch() + "\n"
        + "nameserver " + gateway + "\noptions ndots:5\n";
    assertThat(exec("client", "cat", "/etc/resolv.conf")).isEqualTo(clusterFirst);
    assertThat(kubectl.run("exec", "client", "-c", "second", "--", "cat", "/etc/resolv.conf").assertOk().stdout())
        .isEqualTo(clusterFirst);
    assertThat(exec("on-host", "cat", "/etc/resolv.conf")).isEqualTo(clusterFirst);
    assertThat(exec("by-none", "cat", "/etc/resolv.conf"))
        .isEqualTo("search a.example\nnameserver 192.0.2.1\noptions ndots:2 edns0\n");
    ResolvConf host = ResolvConf.host(ResolvConf.DEFAULT_PATH, ResolvConf.SYSTEMD_RESOLVED_PATH)
        .forPods(List.of(gateway));
    assertThat(ResolvConf.parse(exec("by-default", "cat", "/etc/resolv.conf")).nameservers())
        .isEqualTo(host.nameservers()).noneMatch(server -> server.startsWith("127."));
    assertThat(exec("client", "cat", "/etc/hosts")).contains("10.1.2.3\tfoo.local").contains("10.1.2.3\tbar.local");
  }

  @Test
  void servicesResolveByShortAndFullNameAndHeadlessServicesToTheirPods() throws Exception {
    String web = clusterIp("web");
    assertThat(nslookup("web")).contains("Name:\tweb.default.svc.cluster.local")
        .contains("Address: " + web);
    assertThat(nslookup("web.default.svc.cluster.local")).contains("Address: " + web);
    // busybox's nslookup applies the search path to single labels only; the C library's resolver (ping's) applies
    // it with ndots:5 as any program does
    Kubectl.Result ping = kubectl.run("exec", "client", "-c", "c", "--", "ping", "-c", "1", "-W", "1", "web.default");
    assertThat(ping.stdout() + ping.stderr()).contains("PING web.default (" + web + ")");
    assertThat(nslookup("web-headless")).contains("Address: " + podIp("web-0"))
        .contains("Address: " + podIp("web-1")).doesNotContain(web);
    assertThat(nslookup("web-0.web-headless.default.svc.cluster.local")).contains("Address: " + podIp("web-0"));
    String dashed = podIp("client").replace('.', '-');
    assertThat(nslookup(dashed + ".default.pod.cluster.local")).contains("Address: "
        + podIp("client"));
  }

  @Test
  void srvForNamedPortsAndPtrForServiceAndPodIps() throws Exception {
    assertThat(nslookup("-type=srv", "_http._tcp.web-headless.default.svc.cluster.local"))
        .contains("8080 web-0.web-headless.default.svc.cluster.local")
        .contains("8080 " + podIp("web-1").replace('.', '-') + ".web-headless.default.svc.cluster.local");
    TestDns.Reply srv = TestDns.udp(server, TestDns.query(7, "_http._tcp.web.default.svc.cluster.local", 33, 0));
    assertThat(srv.answers()).containsExactly(
        "_http._tcp.web.default.svc.cluster.local. 5 SRV 0 100 80 web.default.svc.cluster.local.");
    assertThat(nslookup(clusterIp("web"))).contains("name = web.default.svc.cluster.local");
    assertThat(nslookup(podIp("web-0")))
        .contains("name = web-0.web-headless.default.svc.cluster.local");
  }

  @Test
  void otherNamesAreForwardedToTheConfiguredUpstream() throws Exception {
    assertThat(nslookup("outside.example.test.")).contains("Address: 192.0.2.77");
    assertThat(upstream.questions("outside.example.test")).isPositive();
  }

  @Test
  void garbagePacketsLeaveTheServerAnswering() throws Exception {
    Random random = new Random(11);
    byte[] valid = TestDns.query(1, "web.default.svc.cluster.local", 1, 0);
    try (DatagramSocket socket = new DatagramSocket()) {
      for (int i = 0; i < 3000; i++) {
        byte[] packet;
        if (i % 2 == 0) {
          packet = new byte[random.nextInt(700)];
          random.nextBytes(packet);
        } else {
          packet = valid.clone();
          packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
        }
        socket.send(new DatagramPacket(packet, packet.length, server));
        if (i % 100 == 99) {
          assertThat(TestDns.udp(server, TestDns.query(i, "web.default.svc.cluster.local", 1, 0)).answers())
              .hasSize(1);
        }
      }
    }
    assertThat(nslookup("web")).contains("Address: " + clusterIp("web"));
    assertThat(TestDns.tcp(server, TestDns.query(9, "web.default.svc.cluster.local", 1, 0)).answers()).hasSize(1);
  }
}
