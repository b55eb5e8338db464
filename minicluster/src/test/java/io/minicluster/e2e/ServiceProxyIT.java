package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.IptablesBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service proxy of the real daemon (on by default, as root) with kubectl 1.35, as a tutorial uses it: {@code
 * kubectl expose deployment web --port 80} gives a ClusterIP that answers from the host and from a pod, balanced over
 * the 3 replicas; a pod reaches its own service (hairpin); NodePort answers on the node's address; a LoadBalancer
 * service gets the node's address as its ingress and answers there; a client looping over the ClusterIP sees no
 * failure while the daemon restarts and while it is killed with -9 and started again (the pods behind it have a
 * readiness probe, whose result the restarted agent keeps); a pod whose readiness fails
 * leaves the rules within period × failureThreshold + 2 s and comes back (and stays behind a service publishing
 * not-ready addresses); a taken node port is refused with the
 * apiserver's 422 and a target port name no pod has breaks nothing. The daemon's chains are its own and none is left
 * after it is gone.
 */
class ServiceProxyIT {
  /** A web server answering its pod's name on port 80 (and /tmp/ready, which PROBED's readiness probe reads). */
  private static final String HTTPD = """
      - name: httpd
        image: minicluster-test/busybox:1
        imagePullPolicy: Never
        command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 80 -h /www"]
        ports:
        - containerPort: 80
          name: http
      """;
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            terminationGracePeriodSeconds: 1
            containers:
      """ + HTTPD.indent(8) + """
                readinessProbe:
                  httpGet:
                    path: /
                    port: 80
                  periodSeconds: 1
      """;
  /** A pod whose readiness the test turns off and on. */
  private static final String PROBED = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: probed
        labels:
          app: probed
      spec:
        terminationGracePeriodSeconds: 1
        containers:
      """ + HTTPD.indent(4) + """
            readinessProbe:
              exec:
                command: [cat, /tmp/ready]
              periodSeconds: 1
              failureThreshold: 2
      """;
  /** The readiness budget of the issue: periodSeconds × failureThreshold + 2 s. */
  private static final Duration READINESS_BUDGET = Duration.ofSeconds(1 * 2 + 2);

  @TempDir
  Path temp;

  @Test
  void servicesAnswerOnEveryAddressAcrossRestartsAndFollowReadiness() throws Exception {
    Chains chains;
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-proxy")) {
      chains = cluster.daemon().chains();
      Kubectl kubectl = cluster.kubectl();
      kubectl.runWithInput(DEPLOYMENT, "apply", "-f", "-").assertOk();
      kubectl.run("expose", "deployment", "web", "--port", "80").assertOk();
      kubectl.run(List.of("rollout", "status", "deployment/web", "--timeout=120s"), null, Map.of(), 150)
          .assertOk();
      List<String> pods = List.of(kubectl.run("get", "pods", "-l", "app=web", "-o",
          "jsonpath={.items[*].metadata.name}").assertOk().stdout().trim().split(" "));
      assertThat(pods).hasSize(3);
      String clusterIp = jsonpath(kubectl, "service", "web", "{.spec.clusterIP}");
      // rollout status returns once the pods are ready; their endpoints then reach the rules on the next sync
      HostTools.waitUntil("the ClusterIP " + clusterIp + " answers from the host with every ready pod",
          Duration.ofSeconds(30), () -> count(clusterIp, 80, 30).keySet().containsAll(pods));

      // from the host: 60 requests, each on a connection of its own, reach all 3 pods
      Map<String, Long> fromHost = count(clusterIp, 80, 60);
      assertThat(fromHost).as("60 requests to %s from the host", clusterIp).containsOnlyKeys(pods);

      // from a pod, through the pod network; and hairpin: a pod reaching its own service reaches itself too
      String client = pods.get(0);
      Set<String> fromPod = ConcurrentHashMap.newKeySet();
      // (busybox nc: the static busybox's wget crashes on every request)
      for (int i = 0; i < 30; i++) {
        String response = kubectl.run("exec", client, "--", "sh", "-c",
            "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 " + clusterIp + " 80").assertOk().stdout();
        assertThat(response).as("from %s", client).startsWith("HTTP/1.").contains(" 200 ");
        fromPod.add(response.substring(response.indexOf("\r\n\r\n") + 4).trim());
      }
      assertThat(fromPod).as("30 requests from %s to its own service", client).containsExactlyInAnyOrderElementsOf(
          pods);

      // NodePort on the node's address, from the host
      String nodeAddress = jsonpath(kubectl, "node", cluster.nodeName(),
          "{.status.addresses[?(@.type==\"InternalIP\")].address}");
      kubectl.run("expose", "deployment", "web", "--name", "web-np", "--type", "NodePort", "--port", "80")
          .assertOk();
      int nodePort = Integer.parseInt(jsonpath(kubectl, "service", "web-np", "{.spec.ports[0].nodePort}"));
      HostTools.waitUntil("node port " + nodeAddress + ":" + nodePort + " answers", Duration.ofSeconds(30),
          () -> pods.contains(get(nodeAddress, nodePort)));
      assertThat(count(nodeAddress, nodePort, 30)).containsOnlyKeys(pods);

      // LoadBalancer: the node's address as ingress, answering on the service port
      kubectl.run("expose", "deployment", "web", "--name", "web-lb", "--type", "LoadBalancer", "--port", "18089",
          "--target-port", "80").assertOk();
      HostTools.waitUntil("web-lb has an ingress address", Duration.ofSeconds(30),
          () -> !jsonpath(kubectl, "service", "web-lb", "{.status.loadBalancer.ingress[*].ip}").isEmpty());
      assertThat(jsonpath(kubectl, "service", "web-lb", "{.status.loadBalancer.ingress[*].ip}"))
          .isEqualTo(nodeAddress);
      assertThat(kubectl.run("get", "service", "web-lb").assertOk().stdout()).contains(nodeAddress);
      HostTools.waitUntil("the load balancer " + nodeAddress + ":18089 answers", Duration.ofSeconds(30),
          () -> pods.contains(get(nodeAddress, 18089)));
      assertThat(count(nodeAddress, 18089, 30)).containsOnlyKeys(pods);

      // bad input: a taken node port gets the apiserver's 422; a target port name no pod has breaks nothing
      Kubectl.Result taken = kubectl.run("create", "service", "nodeport", "taken", "--tcp=80:80",
          "--node-port=" + nodePort);
      assertThat(taken.exitCode()).isNotZero();
      assertThat(taken.stderr()).contains("Service \"taken\" is invalid: spec.ports[0].nodePort: Invalid value: "
          + nodePort + ": provided port is already allocated");
      kubectl.runWithInput("""
          apiVersion: v1
          kind: Service
          metadata:
            name: web-misnamed
          spec:
            selector:
              app: web
            ports:
            - port: 80
              targetPort: no-such-port
          """, "apply", "-f", "-").assertOk();
      String misnamedIp = jsonpath(kubectl, "service", "web-misnamed", "{.spec.clusterIP}");
      HostTools.waitUntil("the misnamed service's address refuses at once (no endpoint)", Duration.ofSeconds(30),
          () -> refused(misnamedIp, 80));
      assertThat(count(clusterIp, 80, 30)).as("the other services still answer").containsOnlyKeys(pods);
      assertThat(cluster.log()).doesNotContain("service proxy sync failed");

      // a client loops over the ClusterIP while the daemon restarts, then while it is killed with -9 and restarts;
      // the pods' readiness (probed every second) is carried through, not started afresh at failure
      String readySince = "{.items[*].status.conditions[?(@.type==\"Ready\")].lastTransitionTime}";
      String readyBefore = kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath=" + readySince).assertOk()
          .stdout();
      try (Looper looper = new Looper(clusterIp, 80)) {
        HostTools.waitUntil("the looping client's first answers", Duration.ofSeconds(10),
            () -> looper.answers.get() > 10);
        cluster.restart();
        int afterRestart = looper.answers.get();
        cluster.killAndRestart();
        HostTools.waitUntil("the looping client's answers after the second start", Duration.ofSeconds(10),
            () -> looper.answers.get() > afterRestart + 20);
        assertThat(looper.failures).as("requests to %s that failed during the restarts", clusterIp).isEmpty();
        System.out.printf("service proxy: %d requests to the ClusterIP during a restart and a kill -9, none failed%n",
            looper.answers.get());
      }
      Kubectl restarted = cluster.kubectl();
      assertThat(restarted.run("get", "pods", "-l", "app=web", "-o", "jsonpath=" + readySince).assertOk().stdout())
          .as("the web pods' Ready transitions after the restarts").isEqualTo(readyBefore);
      assertThat(jsonpath(restarted, "service", "web", "{.spec.clusterIP}")).as("the ClusterIP after the restarts")
          .isEqualTo(clusterIp);
      assertThat(count(clusterIp, 80, 30)).containsOnlyKeys(pods);
      assertThat(chainsOnTheHost(chains)).as("one set of this daemon's jumps after restarts").containsOnlyOnce(
          "-A PREROUTING -m comment --comment \"minicluster " + chains.prefix().replaceAll("-$", "")
              + " service portals\" -j " + chains.services());

      // readiness: the pod leaves the rules within period × threshold + 2 s, and comes back
      restarted.runWithInput(PROBED, "apply", "-f", "-").assertOk();
      restarted.run("expose", "pod", "probed", "--port", "80").assertOk();
      restarted.run(List.of("wait", "--for=condition=Ready", "pod/probed", "--timeout=60s"), null, Map.of(), 90)
          .assertOk();
      // the same pod behind a service that publishes not-ready addresses
      restarted.runWithInput("""
          apiVersion: v1
          kind: Service
          metadata:
            name: probed-all
          spec:
            selector:
              app: probed
            publishNotReadyAddresses: true
            ports:
            - port: 80
          """, "apply", "-f", "-").assertOk();
      String leaving = "probed";
      String probedIp = jsonpath(restarted, "service", "probed", "{.spec.clusterIP}");
      String probedAllIp = jsonpath(restarted, "service", "probed-all", "{.spec.clusterIP}");
      HostTools.waitUntil("the probed pod answers", Duration.ofSeconds(30), () -> "probed".equals(get(probedIp, 80)));
      long start = System.nanoTime();
      restarted.run("exec", leaving, "--", "rm", "/tmp/ready").assertOk();
      HostTools.waitUntil("the unready pod leaves the rules (its service refuses)", READINESS_BUDGET.plusSeconds(10),
          () -> refused(probedIp, 80));
      Duration left = Duration.ofNanos(System.nanoTime() - start);
      HostTools.waitUntil("the not-ready pod answers behind publishNotReadyAddresses", Duration.ofSeconds(10),
          () -> "probed".equals(get(probedAllIp, 80)));
      restarted.run("exec", leaving, "--", "touch", "/tmp/ready").assertOk();
      start = System.nanoTime();
      HostTools.waitUntil("the ready pod comes back", READINESS_BUDGET.plusSeconds(10),
          () -> "probed".equals(get(probedIp, 80)));
      Duration back = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf("service proxy: a pod left the rules %d ms after its readiness file went, came back after %d"
          + " ms (budget %d ms)%n", left.toMillis(), back.toMillis(), READINESS_BUDGET.toMillis());
      assertThat(left).as("time until the unready pod left the rules").isLessThanOrEqualTo(READINESS_BUDGET);
      assertThat(back).as("time until the ready pod came back").isLessThanOrEqualTo(READINESS_BUDGET);
    }
    assertThat(chainsOnTheHost(chains)).as("this daemon's chains after it is gone").isEmpty();
  }

  static String jsonpath(Kubectl kubectl, String kind, String name, String path) throws Exception {
    return kubectl.run("get", kind, name, "-o", "jsonpath=" + path).assertOk().stdout().trim();
  }

  /** One GET on a connection of its own (HTTP/1.0), the body trimmed. */
  static String get(String ip, int port) throws IOException {
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      socket.connect(new InetSocketAddress(ip, port), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + ip + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || !response.contains(" 200 ") || body < 0) {
        throw new IOException("GET http://" + ip + ":" + port + "/ answered: " + response);
      }
      return response.substring(body + 4).trim();
    }
  }

  /** Whether a connection is refused at once (the proxy's REJECT of an address without endpoints). */
  private static boolean refused(String ip, int port) {
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      socket.connect(new InetSocketAddress(ip, port), 2000);
      return false;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("refused");
    }
  }

  static Map<String, Long> count(String ip, int port, int times) throws IOException {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      answers.add(get(ip, port));
    }
    return answers.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new,
        Collectors.counting()));
  }

  /** The lines of the host's iptables (the daemon's backend) that name the chains. */
  private static String chainsOnTheHost(Chains chains) {
    CommandRunner host = CommandRunner.host();
    return IptablesBackend.detect(host, chains).save(host).orElseThrow().lines()
        .filter(line -> line.contains(chains.prefix())).collect(Collectors.joining("\n"));
  }

  /** A client that GETs the address in a loop (a new connection each time) and records what failed. */
  private static final class Looper implements AutoCloseable {
    final AtomicInteger answers = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Looper(String ip, int port) {
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            get(ip, port);
            answers.incrementAndGet();
          } catch (IOException e) {
            failures.add(System.currentTimeMillis() + ": " + e);
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "cluster-ip-looper");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
