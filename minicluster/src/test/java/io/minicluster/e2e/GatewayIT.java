package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's gateway as a workstation uses it, with real pods and the real kubectl: a service by name is balanced
 * over all its pods, kubectl reaches the API through the gateway with the {@code --via-gateway} kubeconfig (get,
 * exec, port-forward), and an idle relayed connection is kept by default but cut by a configured idle timeout.
 */
class GatewayIT {
  private static final String MANIFEST = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: hello
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: hello
        template:
          metadata:
            labels:
              app: hello
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: httpd
              image: minicluster-test/busybox:1
              command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
              ports:
              - containerPort: 80
              readinessProbe:
                httpGet:
                  path: /
                  port: 80
                periodSeconds: 1
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: hello
      spec:
        selector:
          app: hello
        ports:
        - name: http
          port: 80
          targetPort: 80
      """;

  @TempDir
  static Path temp;

  static NodeCluster cluster;
  static Kubectl kubectl;
  static Set<String> pods;

  @BeforeAll
  static void start() throws Exception {
    cluster = NodeCluster.start(temp, "e2e-gateway");
    kubectl = cluster.kubectl();
    kubectl.runWithInput(MANIFEST, "apply", "-f", "-").assertOk();
    kubectl.run(List.of("rollout", "status", "deployment/hello", "--timeout=120s"), null, Map.of(), 150)
        .assertOk();
    HostTools.waitUntil("the service has 3 ready endpoints", Duration.ofSeconds(60), () -> kubectl.run("get",
        "endpoints", "hello", "-o", "jsonpath={.subsets[*].addresses[*].ip}").stdout().trim().split(" ").length
        == 3);
    pods = new HashSet<>(Arrays.asList(kubectl.run("get", "pods", "-l", "app=hello", "-o",
        "jsonpath={.items[*].metadata.name}").assertOk().stdout().trim().split(" ")));
    assertThat(pods).hasSize(3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A SOCKS5 connection through the gateway to {@code host:port}; a name is sent for the gateway to resolve. */
  private static Socket through(int gatewayPort, String host, int port) throws IOException {
    Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(InetAddress.getLoopbackAddress(),
        gatewayPort)));
    socket.setSoTimeout(20_000);
    socket.connect(host.matches("[0-9.]+") ? new InetSocketAddress(InetAddress.getByName(host), port)
        : InetSocketAddress.createUnresolved(host, port), 20_000);
    return socket;
  }

  /** GET / over an open connection; the body (HTTP/1.0: the server closes after it). */
  private static String get(Socket socket, String host) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(response).matches("(?s)HTTP/1\\.[01] 200 .*");
    return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
  }

  @Test
  void thirtyRequestsByServiceNameReachEveryPod() throws Exception {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      try (Socket socket = through(cluster.socksPort(), "hello", 80)) {
        answers.add(get(socket, "hello"));
      }
    }
    assertThat(answers).allSatisfy(answer -> assertThat(pods).contains(answer));
    assertThat(new HashSet<>(answers)).as("pods that answered 30 requests").isEqualTo(pods);
  }

  @Test
  void theFrontPageListsTheServiceAndItsPodsWithLinksByName() throws Exception {
    String page = HostTools.httpGet("http://127.0.0.1:" + cluster.socksPort() + "/");
    assertThat(page).contains("<h2>Services</h2>", "<h2>Pods</h2>")
        .containsPattern("<li>default/hello  ClusterIP [0-9.]+ <a href=\"http://hello\\.default\\.svc\\."
            + "cluster\\.local:80/\">80/TCP http</a></li>");
    for (String pod : pods) {
      assertThat(page).containsPattern("<li>default/" + pod + "  Running [0-9.]+ <a href=\"http://" + pod
          + "\\.default\\.pod\\.cluster\\.local:80/\">80/TCP</a></li>");
    }
  }

  @Test
  void kubectlGetExecAndPortForwardThroughTheGateway() throws Exception {
    Path kubeconfig = temp.resolve("via-gateway/kubeconfig.yaml");
    Files.createDirectories(kubeconfig.getParent());
    HostTools.Result written = HostTools.run(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", DaemonProcess.jar().toString(), "kubeconfig", "--no-config", "--data-dir",
        cluster.daemon().dataDir().toString(), "--via-gateway=" + cluster.socksPort()), 60);
    assertThat(written.exitCode()).as("minicluster kubeconfig: %s", written.stderr()).isZero();
    assertThat(written.stdout()).contains("server: https://kubernetes.default.svc\n",
        "proxy-url: socks5://127.0.0.1:" + cluster.socksPort() + "\n");
    Files.writeString(kubeconfig, written.stdout());
    Kubectl viaGateway = new Kubectl(kubeconfig);

    assertThat(viaGateway.run("get", "pods", "-l", "app=hello", "-o", "name").assertOk().stdout())
        .contains(pods.stream().map(pod -> "pod/" + pod).toList());
    String pod = pods.iterator().next();
    assertThat(viaGateway.run("exec", pod, "--", "hostname").assertOk().stdout().trim()).isEqualTo(pod);

    Path forwardOut = temp.resolve("via-gateway/port-forward.out");
    Process forward = viaGateway.start(List.of("port-forward", "pod/" + pod, ":80"), forwardOut);
    try {
      Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 80");
      HostTools.waitUntil("kubectl port-forward listens", Duration.ofSeconds(30),
          () -> forwarding.matcher(Files.readString(forwardOut)).find());
      Matcher matcher = forwarding.matcher(Files.readString(forwardOut));
      assertThat(matcher.find()).isTrue();
      assertThat(HostTools.httpGet("http://127.0.0.1:" + matcher.group(1) + "/").trim()).isEqualTo(pod);
    } finally {
      forward.destroy();
      forward.waitFor(10, TimeUnit.SECONDS);
    }
    // it all went through the gateway, to the API server where it listens
    assertThat(TutorialIT.accessLogOutcomes(cluster.log(), "kubernetes.default.svc:443")).as("gateway access log")
        .isNotEmpty().allMatch(outcome -> outcome.startsWith("relayed to 127.0.0.1:" + cluster.daemon().apiPort()));
  }

  @Test
  void anIdleRelayIsKeptByDefault() throws Exception {
    try (Socket socket = through(cluster.socksPort(), "hello.default.svc.cluster.local", 80)) {
      // idle longer than the short timeout below: the default has none
      Thread.sleep(5000);
      assertThat(pods).contains(get(socket, "hello"));
    }
  }

  @Test
  void anIdleRelayIsCutByAConfiguredIdleTimeout() throws Exception {
    int gatewayPort = DaemonProcess.freePort();
    try (ServerSocket destination = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DaemonProcess daemon = new DaemonProcess(temp.resolve("idle-timeout-data"), List.of("--no-node-agent",
            "--socks-port", Integer.toString(gatewayPort), "--socks-idle-timeout", "2s", "--socks-allow",
            "127.0.0.1/32")).start();
        Socket socket = through(gatewayPort, "127.0.0.1", destination.getLocalPort());
        Socket accepted = destination.accept()) {
      long start = System.nanoTime();
      accepted.setSoTimeout(20_000);
      // nothing is sent either way: the gateway closes both sides once the relay has been idle for 2 s
      assertThat(readUntilClosed(socket.getInputStream())).isEqualTo(-1);
      Duration idle = Duration.ofNanos(System.nanoTime() - start);
      assertThat(idle).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
      assertThat(readUntilClosed(accepted.getInputStream())).isEqualTo(-1);
    }
  }

  /** The end of a stream: -1 when closed (a reset counts as closed). */
  private static int readUntilClosed(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException e) {
      return -1;
    }
  }
}
