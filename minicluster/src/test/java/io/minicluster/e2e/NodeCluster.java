package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A test daemon WITH the node agent on the local Docker engine, its kubectl and SOCKS port, and a record of every pod
 * it ever had (a background {@code kubectl get pods -A -w}), so that {@link #close} can delete what the test made and
 * prove that none of those pods' engine containers is left. Fails (never skips) without Docker or kubectl.
 */
final class NodeCluster implements AutoCloseable {
  private final Path directory;
  private final String nodeName;
  private final String podCidr;
  private final int socksPort;
  private final List<String> extraArgs;
  private final Set<String> podUids = new TreeSet<>();
  private DaemonProcess daemon;
  private Kubectl kubectl;
  private Process podWatch;
  private int watchGeneration;

  private NodeCluster(Path directory, String nodeName, String podCidr, int socksPort, List<String> extraArgs) {
    this.extraArgs = List.copyOf(extraArgs);
    this.directory = directory;
    this.nodeName = nodeName;
    this.podCidr = podCidr;
    this.socksPort = socksPort;
  }

  /** Checks the host tools, builds missing test images, starts the daemon and waits until its node is Ready. */
  static NodeCluster start(Path directory, String nodeName) throws Exception {
    return start(directory, nodeName, List.of());
  }

  /** {@link #start(Path, String)} with more flags for the daemon. */
  static NodeCluster start(Path directory, String nodeName, List<String> extraArgs) throws Exception {
    requireNonNull(directory, "directory is null");
    requireNonNull(nodeName, "nodeName is null");
    Kubectl.binary();
    HostTools.requireDocker();
    HostTools.ensureTestImages();
    NodeCluster cluster = new NodeCluster(directory, nodeName, HostTools.sharedPodCidr(), DaemonProcess.freePort(),
        extraArgs);
    cluster.startDaemon();
    return cluster;
  }

  private void startDaemon() throws Exception {
    List<String> args = new ArrayList<>(List.of("--node-name", nodeName, "--pod-cidr", podCidr, "--socks-port",
        Integer.toString(socksPort)));
    args.addAll(extraArgs);
    daemon = new DaemonProcess(directory.resolve("data"), args).start();
    kubectl = new Kubectl(daemon.kubeconfig());
    HostTools.waitUntil("node " + nodeName + " is Ready (daemon log " + daemon.log() + ")", Duration.ofSeconds(60),
        () -> "True".equals(kubectl.run("get", "node", nodeName, "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout().trim()));
    watchGeneration++;
    Path out = directory.resolve("pod-uids-" + watchGeneration + ".txt");
    podWatch = kubectl.start(List.of("get", "pods", "-A", "-w", "--no-headers", "-o",
        "custom-columns=UID:.metadata.uid"), out);
  }

  DaemonProcess daemon() {
    return daemon;
  }

  Kubectl kubectl() {
    return kubectl;
  }

  int socksPort() {
    return socksPort;
  }

  String podCidr() {
    return podCidr;
  }

  String nodeName() {
    return nodeName;
  }

  /** The daemon's log so far (the SOCKS gateway's access log is part of it). */
  String log() throws IOException {
    return Files.readString(daemon.log());
  }

  /** kill -9 of the daemon (pods keep running in the engine), then a start on the same data dir and SOCKS port. */
  void killAndRestart() throws Exception {
    recordPodUids();
    stopPodWatch();
    daemon.kill();
    startDaemon();
  }

  /** SIGTERM of the daemon (it must exit 0; pods keep running), then a start on the same data dir and SOCKS port. */
  void restart() throws Exception {
    recordPodUids();
    stopPodWatch();
    int exit = daemon.stop();
    if (exit != 0) {
      throw new AssertionError("daemon exited with " + exit + " on SIGTERM (log " + daemon.log() + ")");
    }
    startDaemon();
  }

  /** Every pod UID seen so far: the watch output plus the current list. */
  Set<String> recordPodUids() throws IOException, InterruptedException {
    for (int generation = 1; generation <= watchGeneration; generation++) {
      Path out = directory.resolve("pod-uids-" + generation + ".txt");
      if (Files.exists(out)) {
        addUids(Files.readString(out));
      }
    }
    Kubectl.Result current = kubectl.run("get", "pods", "-A", "--no-headers", "-o",
        "custom-columns=UID:.metadata.uid");
    if (current.exitCode() == 0) {
      addUids(current.stdout());
    }
    return Set.copyOf(podUids);
  }

  private void addUids(String text) {
    Arrays.stream(text.split("\\s+")).map(String::trim).filter(s -> s.matches("[0-9a-f-]{36}"))
        .forEach(podUids::add);
  }

  /** Engine containers (any state) that still carry the UID of one of this daemon's pods, by pod UID. */
  TreeMap<String, List<String>> leftoverContainers() throws IOException, InterruptedException {
    TreeMap<String, List<String>> leftovers = new TreeMap<>();
    for (String uid : podUids) {
      List<String> ids = HostTools.containersOfPod(uid, true);
      if (!ids.isEmpty()) {
        leftovers.put(uid, ids);
      }
    }
    return leftovers;
  }

  private void stopPodWatch() throws InterruptedException {
    if (podWatch != null) {
      podWatch.destroy();
      if (!podWatch.waitFor(10, TimeUnit.SECONDS)) {
        podWatch.destroyForcibly();
      }
      podWatch = null;
    }
  }

  /**
   * Deletes every workload and pod left (short grace), waits until none of the pods this daemon ever had has an engine
   * container, and stops the daemon, which must exit 0. Containers still left then are removed with docker (they are
   * this daemon's) and the cleanup fails.
   */
  @Override
  public void close() throws Exception {
    List<String> problems = new ArrayList<>();
    try {
      if (daemon != null) {
        recordPodUids();
        kubectl.run(List.of("delete", "daemonsets,statefulsets,deployments,replicasets,replicationcontrollers,pods", "--all", "-A",
            "--grace-period=1", "--wait=false"), null, Map.of(), 60);
        try {
          HostTools.waitUntil("no pod of this daemon has an engine container",
              Duration.ofSeconds(90), () -> recordPodUids() != null && leftoverContainers().isEmpty());
        } catch (AssertionError e) {
          problems.add(e.getMessage() + ": " + leftoverContainers());
        }
      }
    } finally {
      stopPodWatch();
      if (daemon != null) {
        int exit = daemon.stop();
        if (exit != 0) {
          problems.add("daemon exited with " + exit + " on SIGTERM");
        }
        TreeMap<String, List<String>> leftovers = leftoverContainers();
        for (List<String> ids : leftovers.values()) {
          List<String> command = new ArrayList<>(List.of("rm", "-f"));
          command.addAll(ids);
          HostTools.docker(command.toArray(new String[0]));
        }
        if (!leftovers.isEmpty()) {
          problems.add("engine containers left after cleanup (removed with docker rm -f): " + leftovers);
        }
        // its service proxy's iptables rules, which outlive the daemon as they should
        daemon.close();
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("cleanup failed: " + problems);
    }
  }
}
