package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.dns.ResolvConf;
import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.IptablesBackend;
import io.minicluster.dns.StubUpstream;
import io.minicluster.dns.TestDns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster DNS as pods reach it with the service proxy on (the daemon's default): at the {@code kube-system/kube-dns}
 * ClusterIP, through the proxy's rules, asked from a busybox pod (kubectl 1.35) with raw queries the test builds
 * itself ({@link TestDns}), sent by the pod's {@code nc} over UDP and TCP: A for a service, every ready pod IP (and no
 * other) for a headless service, SRV for a named port, PTR for a service IP and a pod IP, an ExternalName as a CNAME
 * (its target resolved by the upstream), NXDOMAIN for a name that does not exist versus NODATA for a type a name does
 * not have, a truncated UDP answer that the same query over TCP answers whole, and a name outside the cluster
 * forwarded to an upstream this test starts on loopback (no query leaves the machine); and the proxy's ACCEPT from the
 * pod network to port 53, first in INPUT, that keeps all this working behind a host firewall dropping INPUT.
 */
class ClusterDnsProxyIT {
  private static final int A = 1;
  private static final int PTR = 12;
  private static final int AAAA = 28;
  private static final int SRV = 33;
  private static final int NOERROR = 0;
  private static final int NXDOMAIN = 3;
  /** Endpoints of the selector-less headless service whose answer does not fit 512 bytes. */
  private static final int MANY = 40;
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: %s, labels: {app: web}}
      spec:
        hostname: %s
        subdomain: web-headless
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never,
          command: [sleep, "3600"], ports: [{name: http, containerPort: 8080}]%s}]
      """;
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
      kind: Service
      metadata: {name: ext}
      spec:
        type: ExternalName
        externalName: outside.example.test
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: many}
      spec:
        clusterIP: None
        ports: [{name: http, port: 80}]
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: many-1
        labels: {kubernetes.io/service-name: many}
      addressType: IPv4
      ports: [{name: http, port: 80, protocol: TCP}]
      endpoints:
      """ + IntStream.rangeClosed(1, MANY).mapToObj(i -> "- {addresses: [10.250.0." + i + "], conditions: {ready: true}}\n")
      .reduce("", String::concat) + """
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        terminationGracePeriodSeconds: 1
        containers: [{name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, "3600"]}]
      ---
      """ + POD.formatted("web-0", "web-0", "") + "---\n" + POD.formatted("web-1", "web-1", "") + "---\n"
      + POD.formatted("web-unready", "web-unready",
      ", readinessProbe: {exec: {command: [\"false\"]}, periodSeconds: 1}");

  @TempDir
  static Path temp;

  static StubUpstream upstream;
  static NodeCluster cluster;
  static Kubectl kubectl;
  static String dns;

  @BeforeAll
  static void start() throws Exception {
    upstream = new StubUpstream().a("outside.example.test", 60, "192.0.2.77");
    cluster = NodeCluster.start(temp, "e2e-dns-proxy", List.of("--cluster-dns-upstream",
        "127.0.0.1:" + upstream.address().getPort()));
    kubectl = cluster.kubectl();
    dns = kubectl.run("get", "service", "-n", "kube-system", "kube-dns", "-o", "jsonpath={.spec.clusterIP}")
        .assertOk().stdout().trim();
    String cidr = cluster.podCidr();
    String[] octets = cidr.substring(0, cidr.indexOf('/')).split("\\.");
    String gateway = octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
    HostTools.waitUntil("kube-dns points at this daemon's server on " + gateway + ":53", Duration.ofSeconds(60),
        () -> kubectl.run("get", "endpointslices", "-n", "kube-system", "-l", "kubernetes.io/service-name=kube-dns",
            "-o", "jsonpath={.items[*].endpoints[*].addresses[*]}").stdout().trim().equals(gateway));
    kubectl.runWithInput(MANIFEST, "apply", "-f", "-").assertOk();
    kubectl.run(List.of("wait", "--for=condition=Ready", "--timeout=120s", "pod/client", "pod/web-0", "pod/web-1"),
        null, Map.of(), 150).assertOk();
    HostTools.waitUntil("web-unready runs (and stays unready)", Duration.ofSeconds(60),
        () -> !podIp("web-unready").isEmpty());
    // the proxy's rules for the kube-dns address follow its endpoints: the first answer through them
    HostTools.waitUntil("the cluster DNS answers at " + dns + " from a pod", Duration.ofSeconds(30),
        () -> udp("web.default.svc.cluster.local", A).rcode() == NOERROR);
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

  /** The query over UDP from the client pod to the cluster DNS address (no EDNS: a 512-byte limit). */
  private static TestDns.Reply udp(String name, int type) throws Exception {
    return fromPod("udp", name, type);
  }

  /** The query over TCP, as a resolver falls back to after a truncation. */
  private static TestDns.Reply tcp(String name, int type) throws Exception {
    return fromPod("tcp", name, type);
  }

  /**
   * Sends one query from the client pod's network namespace (its packets leave by the pod's interface with the pod's
   * address, as the pod's resolver's do; busybox has no UDP client to send raw queries with) to the cluster DNS
   * address on port 53, by {@link PodNetnsQuery} in a JVM started in that namespace.
   */
  private static TestDns.Reply fromPod(String transport, String name, int type) throws Exception {
    HostTools.Result result = HostTools.run(List.of("nsenter",
        "--net=" + HostTools.podNetworkNamespace(kubectl, "client"),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), PodNetnsQuery.class.getName(), transport, dns,
        name, Integer.toString(type)), 60).assertOk("the query from the pod's network namespace");
    return TestDns.parse(HexFormat.of().parseHex(result.stdout().trim()));
  }

  private static String podIp(String pod) throws Exception {
    return kubectl.run("get", "pod", pod, "-o", "jsonpath={.status.podIP}").assertOk().stdout().trim();
  }

  private static String clusterIp(String service) throws Exception {
    return kubectl.run("get", "service", service, "-o", "jsonpath={.spec.clusterIP}").assertOk().stdout().trim();
  }

  private static String reverse(String ip) {
    String[] octets = ip.split("\\.");
    return octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0] + ".in-addr.arpa";
  }

  @Test
  void podsAskTheKubeDnsServiceAddress() throws Exception {
    assertThat(ResolvConf.parse(kubectl.run("exec", "client", "--", "cat", "/etc/resolv.conf").assertOk().stdout())
        .nameservers()).containsExactly(dns);
    // the pod's own resolver (busybox's nslookup, the search path applied to a single label) through that address
    Kubectl.Result lookup = kubectl.run("exec", "client", "--", "nslookup", "web");
    assertThat(lookup.stdout() + lookup.stderr()).contains("Server:\t\t" + dns)
        .contains("Name:\tweb.default.svc.cluster.local").contains("Address: " + clusterIp("web"));
  }

  @Test
  void podsReachTheDnsPastAHostFirewallDroppingInput() throws Exception {
    // (the host's INPUT policy is not set to DROP here: other daemons share this host) the rules that let pods past
    // such a firewall (ufw's default) are first in INPUT: an ACCEPT from the pod network to port 53, UDP and TCP
    Chains chains = cluster.daemon().chains();
    CommandRunner host = CommandRunner.host();
    List<String> saved = IptablesBackend.detect(host, chains).save(host).orElseThrow().lines().toList();
    assertThat(saved).anyMatch(line -> line.startsWith("-A INPUT ") && line.endsWith(" -j " + chains.input()));
    for (String protocol : List.of("udp", "tcp")) {
      assertThat(saved).as("the ACCEPT of %s to port 53 from the pods", protocol).anyMatch(line ->
          line.startsWith("-A " + chains.input() + " ") && line.contains("-s " + cluster.podCidr())
              && line.contains("-p " + protocol) && line.contains("--dport 53") && line.endsWith("-j ACCEPT"));
    }
  }

  @Test
  void servicesHeadlessServicesAndNamedPortsAnswerThroughTheProxy() throws Exception {
    String web = clusterIp("web");
    assertThat(udp("web.default.svc.cluster.local", A).answers())
        .containsExactly("web.default.svc.cluster.local. 5 A " + web);
    assertThat(udp("web-headless.default.svc.cluster.local", A).answers()).containsExactlyInAnyOrder(
        "web-headless.default.svc.cluster.local. 5 A " + podIp("web-0"),
        "web-headless.default.svc.cluster.local. 5 A " + podIp("web-1"));
    assertThat(udp("_http._tcp.web.default.svc.cluster.local", SRV).answers())
        .containsExactly("_http._tcp.web.default.svc.cluster.local. 5 SRV 0 100 80 web.default.svc.cluster.local.");
    assertThat(udp("_http._tcp.web-headless.default.svc.cluster.local", SRV).answers())
        .extracting(answer -> answer.substring(answer.indexOf(" SRV ")))
        .containsExactlyInAnyOrder(" SRV 0 50 8080 web-0.web-headless.default.svc.cluster.local.",
            " SRV 0 50 8080 web-1.web-headless.default.svc.cluster.local.");
  }

  @Test
  void ptrForAServiceIpAndAPodIp() throws Exception {
    String web = clusterIp("web");
    assertThat(udp(reverse(web), PTR).answers())
        .containsExactly(reverse(web) + ". 5 PTR web.default.svc.cluster.local.");
    String pod = podIp("web-0");
    // one name per service the pod is an endpoint of, as CoreDNS answers (the hostname its slice gives it, else its
    // dashed address)
    assertThat(udp(reverse(pod), PTR).answers()).containsExactlyInAnyOrder(
        reverse(pod) + ". 5 PTR web-0.web-headless.default.svc.cluster.local.",
        reverse(pod) + ". 5 PTR " + pod.replace('.', '-') + ".web.default.svc.cluster.local.");
  }

  @Test
  void externalNameIsACnameAndOtherNamesAreForwarded() throws Exception {
    TestDns.Reply ext = udp("ext.default.svc.cluster.local", A);
    assertThat(ext.answers()).hasSize(2);
    assertThat(ext.answers().get(0)).isEqualTo("ext.default.svc.cluster.local. 5 CNAME outside.example.test.");
    assertThat(ext.answers().get(1)).startsWith("outside.example.test. ").endsWith(" A 192.0.2.77");
    assertThat(udp("outside.example.test", A).answers()).singleElement()
        .satisfies(answer -> assertThat(answer).endsWith(" A 192.0.2.77"));
    assertThat(upstream.questions("outside.example.test")).isPositive();
  }

  @Test
  void nxdomainForAMissingNameNodataForAMissingType() throws Exception {
    TestDns.Reply missing = udp("nope.default.svc.cluster.local", A);
    assertThat(missing.rcode()).isEqualTo(NXDOMAIN);
    assertThat(missing.answers()).isEmpty();
    assertThat(missing.authority()).singleElement().satisfies(soa -> assertThat(soa).contains(" SOA "));
    TestDns.Reply noAaaa = udp("web.default.svc.cluster.local", AAAA);
    assertThat(noAaaa.rcode()).isEqualTo(NOERROR);
    assertThat(noAaaa.answers()).isEmpty();
    assertThat(noAaaa.authority()).singleElement().satisfies(soa -> assertThat(soa).contains(" SOA "));
  }

  @Test
  void aTruncatedUdpAnswerIsWholeOverTcp() throws Exception {
    TestDns.Reply truncated = udp("many.default.svc.cluster.local", A);
    assertThat(truncated.truncated()).as("TC set on the UDP answer").isTrue();
    assertThat(truncated.length()).isLessThanOrEqualTo(512);
    assertThat(truncated.answers()).hasSizeLessThan(MANY);
    TestDns.Reply whole = tcp("many.default.svc.cluster.local", A);
    assertThat(whole.truncated()).isFalse();
    assertThat(whole.answers()).hasSize(MANY).contains("many.default.svc.cluster.local. 5 A 10.250.0.1",
        "many.default.svc.cluster.local. 5 A 10.250.0." + MANY);
  }
}
