package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.socks.policy.Cidr;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough as a user does it, with the real kubectl against a daemon running pods on the local Docker engine:
 * the Telescope pod from {@code examples/}, logs, exec, port-forward, the SOCKS gateway (names, literals, SOCKS4/4a/5
 * and its refusals), a replication controller behind a service, a deployment rollout and rollback, and namespace
 * deletion. Fails, never skips, without Docker, kubectl or curl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TutorialIT {
  private static final String TELESCOPE_PAGE = "<h1>Telescope</h1>";
  /** An address outside the cluster (TEST-NET-1); the gateway must refuse it by policy, without connecting. */
  private static final String OUTSIDE_ADDRESS = "192.0.2.123";

  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl kubectl;
  static String namespace;
  static String v2Image;
  static String podIp;

  @BeforeAll
  static void start() throws Exception {
    HostTools.requireCurl();
    cluster = NodeCluster.start(temp, "e2e-tutorial");
    kubectl = cluster.kubectl();
    String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    namespace = "tutorial-" + suffix;
    v2Image = "meteorhacks/telescope:e2e-" + suffix;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (v2Image != null) {
        HostTools.docker("image", "rm", v2Image);
      }
    }
  }

  static Path example(String name) {
    Path path = Paths.get("..", "examples", name);
    return Files.exists(path) ? path : Paths.get("examples", name);
  }

  static Kubectl.Result kubectl(long timeoutSeconds, String... args) throws Exception {
    return kubectl.run(Arrays.asList(args), null, Map.of(), timeoutSeconds);
  }

  @Test
  @Order(1)
  void telescopePodRunsAndServesItsPageOnThePodIp() throws Exception {
    assertThat(kubectl.run("create", "-f", example("telescope-pod.json").toString()).assertOk().stdout())
        .contains("pod/telescope-pod created");
    kubectl(150, "wait", "--for=condition=Ready", "pod/telescope-pod", "--timeout=120s").assertOk();
    String table = kubectl.run("get", "pod").assertOk().stdout();
    assertThat(table).containsPattern("telescope-pod\\s+2/2\\s+Running\\s+0\\s");
    podIp = kubectl.run("get", "pod", "telescope-pod", "-o", "jsonpath={.status.podIP}").assertOk().stdout().trim();
    assertThat(Cidr.parse(cluster.podCidr()).contains(InetAddress.getByName(podIp)))
        .as("pod IP %s in %s", podIp, cluster.podCidr()).isTrue();
    // the page only exists after the telescope container reached mongo on localhost:27017 (shared network namespace)
    HostTools.waitUntil("http://" + podIp + "/ serves Telescope", Duration.ofSeconds(30),
        () -> HostTools.httpGet("http://" + podIp + "/").contains(TELESCOPE_PAGE));
    assertThat(HostTools.httpGet("http://" + podIp + "/")).contains("MONGO_URL=mongodb://localhost:27017/app");
    // the scheduler that placed it has its liveness check, as every controller's runner; the pod workers have none
    // (a sync may wait minutes on an image pull or a postStart hook, and a failed check ends the daemon)
    String livez = kubectl.run("get", "--raw", "/livez?verbose").assertOk().stdout();
    assertThat(livez).contains("[+]controller-scheduler ok\n", "[+]controller-deployment ok\n")
        .doesNotContain("pod-workers");
  }

  @Test
  @Order(2)
  void logsAndExec() throws Exception {
    assertThat(kubectl.run("logs", "telescope-pod", "-c", "telescope").assertOk().stdout())
        .contains("mongo answered at localhost:27017", "listening on port 80");
    assertThat(kubectl.run("logs", "telescope-pod", "-c", "mongo").assertOk().stdout())
        .contains("waiting for connections on port 27017");
    assertThat(kubectl.run("exec", "telescope-pod", "-c", "telescope", "--", "sh", "-c", "echo hi").assertOk()
        .stdout()).isEqualTo("hi\n");
    Kubectl.Result failed = kubectl.run("exec", "telescope-pod", "-c", "telescope", "--", "sh", "-c", "exit 3");
    assertThat(failed.exitCode()).as("kubectl exit code; stderr: %s", failed.stderr()).isEqualTo(3);
  }

  @Test
  @Order(2)
  void execWithStdinEndsWhenTheInputEnds() throws Exception {
    // kubectl closes stdin at end of input; the container's cat must see end-of-file and exit
    Kubectl.Result cat = kubectl.run(List.of("exec", "-i", "telescope-pod", "-c", "mongo", "--", "cat"),
        "from stdin\n", Map.of(), 20);
    assertThat(cat.assertOk().stdout()).isEqualTo("from stdin\n");
  }

  @Test
  @Order(2)
  void outOfMemoryKillsShowAsKubectlShowsThem() throws Exception {
    // a container over its memory limit: OOMKilled in its status, whether or not the engine noticed the kill
    String hog = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"hog"},"spec":{"restartPolicy":"Never","containers":[
          {"name":"hog","image":"minicluster-test/busybox:1","command":["sh","-c","head -c 100m /dev/zero | tail"],
           "resources":{"limits":{"memory":"16Mi"}}}]}}""";
    kubectl.run(List.of("create", "-f", "-"), hog, Map.of(), 30).assertOk();
    kubectl(70, "wait", "--for=jsonpath={.status.phase}=Failed", "pod/hog", "--timeout=60s").assertOk();
    assertThat(kubectl.run("get", "pod", "hog").assertOk().stdout())
        .containsPattern("hog\\s+0/1\\s+OOMKilled\\s+0\\s");
    assertThat(kubectl.run("describe", "pod", "hog").assertOk().stdout())
        .containsPattern("State:\\s+Terminated\\s+Reason:\\s+OOMKilled\\s+Exit Code:\\s+137");
    kubectl.run("delete", "pod", "hog", "--wait=false").assertOk();

    // a process outside any pod over its limit: the node's SystemOOM warning, as the kubelet's OOM watcher reports it
    String name = "minicluster-e2e-oom-" + namespace;
    try {
      HostTools.docker("run", "--name", name, "-m", "16m", "--memory-swap", "16m", "minicluster-test/busybox:1",
          "sh", "-c", "head -c 100m /dev/zero | tail");
      HostTools.waitUntil("SystemOOM event", Duration.ofSeconds(20), () -> kubectl.run("get", "events",
          "--field-selector", "involvedObject.kind=Node").assertOk().stdout().contains("SystemOOM"));
      assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.kind=Node").assertOk().stdout())
          .containsPattern("Warning\\s+SystemOOM\\s+node/\\S+\\s+System OOM encountered, victim process: tail, "
              + "pid: \\d+");
    } finally {
      HostTools.docker("rm", "-f", name);
    }
  }

  @Test
  @Order(3)
  void portForward() throws Exception {
    int port = DaemonProcess.freePort();
    Path out = temp.resolve("port-forward.out");
    Process forward = kubectl.start(List.of("port-forward", "pod/telescope-pod", port + ":80"), out);
    try {
      HostTools.waitUntil("kubectl port-forward listens on " + port, Duration.ofSeconds(30),
          () -> Files.readString(out).contains("Forwarding from 127.0.0.1:" + port));
      assertThat(HostTools.httpGet("http://127.0.0.1:" + port + "/")).contains(TELESCOPE_PAGE);
      assertThat(HostTools.httpGet("http://127.0.0.1:" + port + "/")).as("second connection")
          .contains(TELESCOPE_PAGE);
    } finally {
      forward.destroy();
      forward.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(4)
  void socksGatewayReachesThePodByNameAndAddress() throws Exception {
    String gateway = "127.0.0.1:" + cluster.socksPort();
    assertThat(HostTools.curl("--socks5-hostname", gateway, "http://telescope-pod.default.pod/").assertOk(
        "curl --socks5-hostname").stdout()).contains(TELESCOPE_PAGE);
    assertThat(HostTools.curl("--socks5", gateway, "http://" + podIp + "/").assertOk("curl --socks5").stdout())
        .contains(TELESCOPE_PAGE);
    assertThat(HostTools.curl("--socks4", gateway, "http://" + podIp + "/").assertOk("curl --socks4").stdout())
        .contains(TELESCOPE_PAGE);
    assertThat(HostTools.curl("--socks4a", gateway, "http://telescope-pod.default.pod.cluster.local/").assertOk(
        "curl --socks4a").stdout()).contains(TELESCOPE_PAGE);
    // a connection's access log line is written when the gateway closes it, a moment after curl returned
    List<String> expectedLines = List.of(
        "protocol=SOCKS5 destination=telescope-pod.default.pod:80 outcome=\"relayed to " + podIp + ":80\"",
        "protocol=SOCKS4a destination=telescope-pod.default.pod.cluster.local:80 outcome=\"relayed to " + podIp
            + ":80\"");
    HostTools.waitUntil("the gateway's access log lines", Duration.ofSeconds(10),
        () -> expectedLines.stream().allMatch(cluster.log()::contains));
    String log = cluster.log();
    assertThat(log).as("access log of the gateway").contains(
        "protocol=SOCKS5 destination=telescope-pod.default.pod:80 outcome=\"relayed to " + podIp + ":80\"",
        "protocol=SOCKS5 destination=" + podIp + ":80 outcome=\"relayed to " + podIp + ":80\"",
        "protocol=SOCKS4 destination=" + podIp + ":80 outcome=\"relayed to " + podIp + ":80\"",
        "protocol=SOCKS4a destination=telescope-pod.default.pod.cluster.local:80 outcome=\"relayed to " + podIp
            + ":80\"");
  }

  @Test
  @Order(5)
  void socksGatewayRefusesEverythingElse() throws Exception {
    String gateway = "127.0.0.1:" + cluster.socksPort();
    int apiPort = cluster.daemon().apiPort();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetAddress outside = InetAddress.getByName(OUTSIDE_ADDRESS);
    Cidr podNetwork = Cidr.parse(cluster.podCidr());
    InetAddress host = HostTools.nonLoopbackHostAddress(address -> !podNetwork.contains(address));
    InetAddress unusedPodAddress = address(cluster.podCidr(), -2);
    InetAddress bridgeGateway = address(cluster.podCidr(), 1);

    assertThat(HostTools.curl("--socks5-hostname", gateway, "-k", "https://127.0.0.1:" + apiPort + "/").exitCode())
        .as("curl to the API port through the gateway").isEqualTo(97);
    assertThat(HostTools.curl("--socks5", gateway, "http://" + host.getHostAddress() + ":" + apiPort + "/")
        .exitCode()).as("curl to the host's own address %s", host).isEqualTo(97);
    assertThat(HostTools.curl("--socks4", gateway, "http://127.0.0.1:" + apiPort + "/").exitCode())
        .as("SOCKS4 to loopback").isEqualTo(97);

    assertThat(SocksProbe.socks5(cluster.socksPort(), loopback, apiPort)).as("SOCKS5 reply for 127.0.0.1:%s",
        apiPort).isEqualTo(SocksProbe.SOCKS5_NOT_ALLOWED);
    assertThat(SocksProbe.socks5(cluster.socksPort(), "localhost", apiPort)).as("SOCKS5 reply for localhost")
        .isEqualTo(SocksProbe.SOCKS5_NOT_ALLOWED);
    assertThat(SocksProbe.socks5(cluster.socksPort(), host, apiPort)).as("SOCKS5 reply for the host address %s",
        host).isEqualTo(SocksProbe.SOCKS5_NOT_ALLOWED);
    assertThat(SocksProbe.socks5(cluster.socksPort(), outside, 80)).as("SOCKS5 reply for %s", outside)
        .isEqualTo(SocksProbe.SOCKS5_NOT_ALLOWED);
    assertThat(SocksProbe.socks4(cluster.socksPort(), outside, 80)).as("SOCKS4 reply for %s", outside)
        .isEqualTo(SocksProbe.SOCKS4_REJECTED);
    // pod network addresses no pod has (the bridge's own address among them) are answered "host unreachable"
    // by policy, without a connection attempt: the access log names the policy's reason
    assertThat(SocksProbe.socks5(cluster.socksPort(), unusedPodAddress, 80))
        .as("SOCKS5 reply for %s, a pod network address no pod has", unusedPodAddress)
        .isEqualTo(SocksProbe.SOCKS5_HOST_UNREACHABLE);
    assertThat(SocksProbe.socks5(cluster.socksPort(), bridgeGateway, apiPort))
        .as("SOCKS5 reply for %s, the host's address on the pod bridge", bridgeGateway)
        .isEqualTo(SocksProbe.SOCKS5_HOST_UNREACHABLE);
    // a pod's other ports are reachable (policy is by address), the refusal above is not about ports
    assertThat(SocksProbe.socks5(cluster.socksPort(), InetAddress.getByName(podIp), 27017))
        .as("SOCKS5 reply for the pod's mongo port").isEqualTo(SocksProbe.SOCKS5_SUCCEEDED);

    String lastRefused = bridgeGateway.getHostAddress() + ":" + apiPort;
    HostTools.waitUntil("the gateway's access log line for " + lastRefused, Duration.ofSeconds(10),
        () -> !accessLogOutcomes(cluster.log(), lastRefused).isEmpty());
    String log = cluster.log();
    for (String destination : List.of(OUTSIDE_ADDRESS + ":80", "127.0.0.1:" + apiPort,
        host.getHostAddress() + ":" + apiPort, unusedPodAddress.getHostAddress() + ":80",
        bridgeGateway.getHostAddress() + ":" + apiPort)) {
      assertThat(accessLogOutcomes(log, destination)).as("gateway outcomes for %s", destination).isNotEmpty()
          .noneMatch(outcome -> outcome.startsWith("relayed"));
    }
    assertThat(accessLogOutcomes(log, unusedPodAddress.getHostAddress() + ":80"))
        .allMatch(outcome -> outcome.contains("no pod has the address " + unusedPodAddress.getHostAddress()));
    assertThat(accessLogOutcomes(log, OUTSIDE_ADDRESS + ":80"))
        .allMatch(outcome -> outcome.contains("outside the cluster networks"));
  }

  @Test
  @Order(6)
  void replicationControllerBehindAServiceAndScaling() throws Exception {
    Path manifest = temp.resolve("telescope-rc.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: telescope
        spec:
          replicas: 2
          selector:
            app: telescope
          template:
            metadata:
              labels:
                app: telescope
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: mongo
                image: mongo
                command: [mongod, --smallfiles, --nojournal]
                ports:
                - containerPort: 27017
              - name: telescope
                image: meteorhacks/telescope
                ports:
                - containerPort: 80
                env:
                - name: MONGO_URL
                  value: mongodb://localhost:27017/app
                readinessProbe:
                  httpGet:
                    path: /
                    port: 80
                  periodSeconds: 1
        """);
    kubectl.run("create", "-f", manifest.toString()).assertOk();
    assertThat(kubectl.run("expose", "rc", "telescope", "--port=80", "--name=web").assertOk().stdout())
        .contains("service/web exposed");
    awaitReadyPods("app=telescope", 2);
    HostTools.waitUntil("service web has 2 ready endpoints", Duration.ofSeconds(30),
        () -> kubectl.run("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}").stdout().trim()
            .split("\\s+").length == 2);
    String gateway = "127.0.0.1:" + cluster.socksPort();
    assertThat(HostTools.curl("--socks5-hostname", gateway, "http://web.default.svc.cluster.local/")
        .assertOk("curl web.default.svc.cluster.local").stdout()).contains(TELESCOPE_PAGE);
    assertThat(HostTools.curl("--socks5-hostname", gateway, "http://web/").assertOk("curl web").stdout())
        .contains(TELESCOPE_PAGE);
    String backends = kubectl.run("get", "pods", "-l", "app=telescope", "-o", "jsonpath={.items[*].status.podIP}")
        .assertOk().stdout();
    HostTools.waitUntil("the gateway's access log line for web:80", Duration.ofSeconds(10),
        () -> !accessLogOutcomes(cluster.log(), "web:80").isEmpty());
    List<String> outcomes = accessLogOutcomes(cluster.log(), "web:80");
    assertThat(outcomes).isNotEmpty().allSatisfy(outcome -> assertThat(backends)
        .contains(outcome.replace("relayed to ", "").replace(":80", "")));

    assertThat(kubectl.run("scale", "rc", "telescope", "--replicas=3").assertOk().stdout())
        .contains("replicationcontroller/telescope scaled");
    awaitReadyPods("app=telescope", 3);
    String pods = kubectl.run("get", "pods", "-l", "app=telescope").assertOk().stdout();
    assertThat(Pattern.compile("telescope-\\S+\\s+2/2\\s+Running").matcher(pods).results().count())
        .as(pods).isEqualTo(3);
  }

  @Test
  @Order(7)
  void deploymentRolloutSetImageAndUndo() throws Exception {
    kubectl.run("create", "namespace", namespace).assertOk();
    HostTools.docker("tag", "meteorhacks/telescope:latest", v2Image).assertOk("docker tag");
    kubectl.run("create", "deployment", "web2", "-n", namespace, "--image=meteorhacks/telescope", "--replicas=2")
        .assertOk();
    assertThat(kubectl(150, "rollout", "status", "deployment/web2", "-n", namespace, "--timeout=120s").assertOk()
        .stdout()).contains("deployment \"web2\" successfully rolled out");

    assertThat(kubectl.run("set", "image", "deployment/web2", "-n", namespace, "telescope=" + v2Image).assertOk()
        .stdout()).contains("deployment.apps/web2 image updated");
    assertThat(kubectl(150, "rollout", "status", "deployment/web2", "-n", namespace, "--timeout=120s").assertOk()
        .stdout()).contains("deployment \"web2\" successfully rolled out");
    awaitRunningImages("web2", v2Image);

    assertThat(kubectl.run("rollout", "undo", "deployment/web2", "-n", namespace).assertOk().stdout())
        .contains("deployment.apps/web2 rolled back");
    assertThat(kubectl(150, "rollout", "status", "deployment/web2", "-n", namespace, "--timeout=120s").assertOk()
        .stdout()).contains("deployment \"web2\" successfully rolled out");
    assertThat(kubectl.run("get", "deployment", "web2", "-n", namespace, "-o",
        "jsonpath={.spec.template.spec.containers[0].image}").assertOk().stdout()).isEqualTo("meteorhacks/telescope");
    awaitRunningImages("web2", "meteorhacks/telescope");
    assertThat(kubectl.run("rollout", "history", "deployment/web2", "-n", namespace).assertOk().stdout())
        .containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s");
  }

  @Test
  @Order(8)
  void deletingANamespaceWithPodsFinishes() throws Exception {
    String uids = kubectl.run("get", "pods", "-n", namespace, "-o", "jsonpath={.items[*].metadata.uid}").assertOk()
        .stdout().trim();
    assertThat(uids).as("pods in %s", namespace).isNotEmpty();
    long started = System.nanoTime();
    assertThat(kubectl(180, "delete", "namespace", namespace, "--timeout=150s").assertOk().stdout())
        .contains("namespace \"" + namespace + "\" deleted");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    Kubectl.Result gone = kubectl.run("get", "namespace", namespace);
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr()).contains("NotFound");
    for (String uid : uids.split("\\s+")) {
      assertThat(HostTools.containersOfPod(uid, true)).as("containers of pod %s after %s s", uid, seconds).isEmpty();
    }
  }

  @Test
  @Order(9)
  void cleanUpTheDefaultNamespace() throws Exception {
    kubectl.run("delete", "service", "web").assertOk();
    kubectl(120, "delete", "rc", "telescope", "--timeout=90s").assertOk();
    kubectl(120, "delete", "-f", example("telescope-pod.json").toString(), "--grace-period=1", "--timeout=90s")
        .assertOk();
    HostTools.waitUntil("no pods are left in default", Duration.ofSeconds(60),
        () -> kubectl.run("get", "pods", "-o", "name").stdout().isBlank());
  }

  private static void awaitReadyPods(String selector, int count) throws Exception {
    HostTools.waitUntil(count + " pods " + selector + " exist", Duration.ofSeconds(30),
        () -> kubectl.run("get", "pods", "-l", selector, "-o", "name").stdout().trim().lines().count() == count);
    kubectl(150, "wait", "--for=condition=Ready", "pod", "-l", selector, "--timeout=120s").assertOk();
  }

  private static void awaitRunningImages(String app, String image) throws Exception {
    HostTools.waitUntil("2 running pods of " + app + " with image " + image + " (now " + runningImages(app) + ")",
        Duration.ofSeconds(30), () -> runningImages(app).equals(List.of(image, image)));
  }

  /** Images of the Running pods of a deployment in the tutorial namespace that are not terminating. */
  private static List<String> runningImages(String app) throws Exception {
    String pods = kubectl.run("get", "pods", "-n", namespace, "-l", "app=" + app, "-o",
        "jsonpath={range .items[*]}{.metadata.deletionTimestamp},{.status.phase},{.spec.containers[0].image}"
            + "{\"\\n\"}{end}").assertOk().stdout();
    return pods.lines().filter(line -> line.startsWith(",Running,")).map(line -> line.substring(",Running,".length()))
        .toList();
  }

  /** The outcome texts of the gateway's access log lines for {@code destination} (host:port as the client sent). */
  static List<String> accessLogOutcomes(String log, String destination) {
    Matcher matcher = Pattern.compile("destination=" + Pattern.quote(destination) + " outcome=\"([^\"]*)\"")
        .matcher(log);
    return matcher.results().map(result -> result.group(1)).toList();
  }

  /** The address {@code offset} from the network address of an IPv4 CIDR (negative: from the broadcast address). */
  private static InetAddress address(String cidr, int offset) throws Exception {
    Cidr parsed = Cidr.parse(cidr);
    byte[] network = parsed.network().getAddress();
    long base = ((network[0] & 0xffL) << 24) | ((network[1] & 0xffL) << 16) | ((network[2] & 0xffL) << 8)
        | (network[3] & 0xffL);
    long size = 1L << (32 - parsed.prefixLength());
    long value = offset >= 0 ? base + offset : base + size - 1 + offset + 1;
    return InetAddress.getByAddress(new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8),
        (byte) value});
  }
}
