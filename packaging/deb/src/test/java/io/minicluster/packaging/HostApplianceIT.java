package io.minicluster.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The installer on the test machine itself, where systemd is not PID 1 (CI): {@code install.sh --deb} with the
 * package just built installs it, starts the daemon in the background ({@code minicluster start}), the node is Ready,
 * {@code minicluster status} is healthy, a pod runs, and {@code uninstall.sh --purge} leaves the machine as it found
 * it: the containers, networks and iptables rules of the engine, the packages, and the files under /etc, /usr and
 * /var/lib (with the contents of /etc), compared before and after.
 *
 * <p>It shares the machine and its Docker engine with every other test, so the installation is one of its own: free
 * ports, a data directory and kubeconfig file of its own, and a pod network of its own (name and a free subnet); the
 * daemon's node agent only ever touches the containers of its own pods. A container labelled as another
 * installation's pod stands by during the test and must be left alone. Docker, Java and iptables must be installed
 * as Debian packages already (as .ci/run does): the test checks with {@code --dry-run} that the installer would
 * install nothing with apt, since apt's packages stay after an uninstallation. Whatever happens, the installation is
 * undone at the end. Needs root, Docker, dpkg and a machine without minicluster installed; fails, never skips,
 * without them.
 */
class HostApplianceIT {
  static final String NODE = "minicluster-host-it";
  /** The places of an installed appliance outside its data directory; none may exist before the test. */
  static final List<String> APPLIANCE_PLACES = List.of("/etc/minicluster", "/usr/bin/minicluster",
      "/usr/share/minicluster", "/var/lib/minicluster", "/var/cache/minicluster", "/run/minicluster.pid",
      "/var/log/minicluster.log");

  @Test
  void installStatusAndUninstallOnThisMachine() throws Exception {
    Host.requireDocker();
    List<String> images = Host.testImages();
    Path checkout = Host.checkout();
    Path deb = Host.builtPackage();
    requireAFreeMachine();

    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    Path work = Files.createTempDirectory("minicluster-host-it");
    Installation installation = new Installation(checkout, deb, "/var/lib/minicluster-host-it-" + suffix,
        "minicluster-host-it-" + suffix, Host.freeSubnet(), freePort(), freePort(),
        work.resolve("kube/config").toString());
    String decoy = "minicluster-host-it-decoy-" + suffix;
    try {
      // apt installs nothing here: what it installed would stay after the uninstallation
      Host.Result dryRun = Host.sh(300, installation.command("install.sh", "--dry-run"));
      assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
      assertThat(dryRun.stdout()).as("install.sh --dry-run: this machine must have Docker, Java 17+ and iptables "
          + "as Debian packages already (.ci/run installs them)\n" + dryRun.output()).contains("nothing to install");

      // another installation's pod container (created, never started): the uninstallation must leave it alone
      Host.docker(60, "create", "--name", decoy, "--label", "io.minicluster.type=container", "--label",
          "io.minicluster.pod.uid=" + UUID.randomUUID(), images.get(0), "true").assertOk("docker create " + decoy);
      String before = snapshot(installation);

      Host.Result installed = Host.sh(900, installation.command("install.sh"));
      System.out.println(installed.output());
      assertThat(installed.exitCode()).as(installed.output() + "\n--- daemon log:\n"
          + Host.sh(30, "tail -n 60 /var/log/minicluster.log").output()).isZero();
      boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
      assertThat(installed.stdout()).contains(systemd ? "service managed by systemd"
              : "minicluster start (systemd is not PID 1)")
          .contains("node " + NODE + " is Ready")
          .contains("SOCKS gateway to pods and services: 127.0.0.1:" + installation.socksPort)
          .contains("uninstall.sh [--purge] --kubeconfig " + installation.kubeconfig);
      installation.networkId = Host.docker(60, "network", "inspect", "-f", "{{.Id}}", installation.network)
          .assertOk("docker network inspect " + installation.network).stdout().trim();
      assertThat(Host.run(30, "cat", "/etc/minicluster/config.yaml").assertOk("the configuration").stdout())
          .contains("api-port: " + installation.apiPort).contains("pod-network: \"" + installation.network + "\"")
          .contains("data-dir: \"" + installation.dataDir + "\"");

      Host.Result status = Host.run(60, "minicluster", "status");
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.stdout()).contains("api: ready (https://").contains("node: " + NODE + " Ready")
          .contains("healthy: yes");

      installation.kubectl(60, "run", "sleeper", "--image=" + images.get(0), "--image-pull-policy=Never",
          "--restart=Never", "--", "sleep", "3600").assertOk("kubectl run");
      installation.kubectl(150, "wait", "--for=condition=Ready", "pod/sleeper", "--timeout=120s")
          .assertOk("kubectl wait");
      String uid = installation.kubectl(30, "get", "pod", "sleeper", "-o", "jsonpath={.metadata.uid}")
          .assertOk("kubectl get pod").stdout().trim();
      installation.podUids.add(uid);
      assertThat(containersOf(uid)).as("the pod's sandbox and container").hasSize(2);

      Host.Result uninstalled = Host.sh(300, installation.command("uninstall.sh", "--purge"));
      System.out.println(uninstalled.output());
      assertThat(uninstalled.exitCode()).as(uninstalled.output()).isZero();
      assertThat(uninstalled.stdout()).contains("removed 2 pod containers")
          .contains("removed the Docker network " + installation.network);

      List<String> ignored = new ArrayList<>();
      List<String> left = differences(before, snapshot(installation), installation::concerns, ignored);
      if (!ignored.isEmpty()) {
        System.out.println("made meanwhile by other users of the Docker engine (not this installation's):\n"
            + String.join("\n", ignored));
      }
      assertThat(left).as("what install.sh and uninstall.sh --purge changed on this machine").isEmpty();
      assertThat(containersOf(uid)).isEmpty();
      assertThat(Host.docker(60, "inspect", "-f", "{{.Name}}", decoy).stdout().trim())
          .as("another installation's container").isEqualTo("/" + decoy);
    } finally {
      installation.undo();
      Host.docker(60, "rm", "-f", decoy);
      Host.run(60, "rm", "-rf", work.toString());
    }
  }

  /** Fails unless this test may install and purge the package here: root, dpkg, and no minicluster installed. */
  static void requireAFreeMachine() throws Exception {
    assertThat(Host.sh(10, "id -u").stdout().trim()).as("this test installs a package: it needs root").isEqualTo("0");
    Host.Result package_ = Host.sh(30, "dpkg-query -W -f '${db:Status-Status}' minicluster 2>/dev/null || true");
    assertThat(package_.exitCode()).as("dpkg-query (a Debian system is needed)").isZero();
    assertThat(package_.stdout().trim()).as("the minicluster package on this machine: this test installs and purges "
        + "it, so it runs only where minicluster is not installed").isIn("", "not-installed");
    for (String place : APPLIANCE_PLACES) {
      assertThat(Path.of(place)).as("left by an earlier installation; this test would remove it").doesNotExist();
    }
  }

  /**
   * What the installation may change and the uninstallation must restore: the engine's containers (in any state;
   * by id, name, networks and pod, not by image, whose name changes when another test tags it again) and networks, the iptables rules, the packages, the files under /etc, /usr and /var/lib (path, type, mode and
   * size; contents under /etc), and the test's own data directory and kubeconfig file. The engine's and apt's own
   * stores (/var/lib/docker, /var/lib/containerd, the package lists, dpkg's backups) are left out.
   */
  static String snapshot(Installation installation) throws Exception {
    return Host.sh(600, """
        echo '## docker ps -a'
        docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Networks}} {{.Label "io.minicluster.pod.uid"}}' | sort
        echo '## docker network ls'; docker network ls --no-trunc --format '{{.ID}} {{.Name}} {{.Driver}}' | sort
        echo '## iptables-save'; iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//' | sort
        echo '## packages'; dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n' | sort
        echo '## diversions'; dpkg-divert --list | sort
        echo '## files'
        find /etc /usr /var/lib -xdev \\( -path /var/lib/docker -o -path /var/lib/containerd -o -path /var/lib/apt/lists \\
          -o -path '/var/lib/dpkg/*-old' \\) -prune -o -printf '%p %y %m %s\\n' | sort
        echo '## /etc contents'; find /etc -xdev -type f -exec md5sum {} + | sort -k2
        echo '## the appliance'"'"'s places'
        ls -d /run/minicluster.pid /var/log/minicluster.log /var/cache/minicluster "$1" "$2" 2>/dev/null
        true
        """, installation.dataDir, installation.kubeconfig).assertOk("the snapshot of this machine").stdout();
  }

  /**
   * The lines only in one of two snapshots, each with its section and a - (gone) or + (new) mark. A container,
   * network or iptables rule that appeared meanwhile and concerns nothing of this installation (its network, subnet,
   * bridge or pods) is another test's, made while this one ran: it goes to {@code ignored}. Every other difference
   * counts; above all, anything that was there before and is gone.
   */
  static List<String> differences(String before, String after, Predicate<String> ours, List<String> ignored) {
    List<String> counted = new ArrayList<>();
    for (String line : changes(before, after)) {
      boolean othersNew = (line.startsWith("+ [docker") || line.startsWith("+ [iptables")) && !ours.test(line);
      (othersNew ? ignored : counted).add(line);
    }
    return counted;
  }

  private static List<String> changes(String before, String after) {
    List<String> beforeLines = sectioned(before);
    List<String> afterLines = sectioned(after);
    Set<String> beforeSet = new HashSet<>(beforeLines);
    Set<String> afterSet = new HashSet<>(afterLines);
    List<String> changes = new ArrayList<>();
    beforeLines.stream().filter(line -> !afterSet.contains(line)).forEach(line -> changes.add("- " + line));
    afterLines.stream().filter(line -> !beforeSet.contains(line)).forEach(line -> changes.add("+ " + line));
    return changes;
  }

  private static List<String> sectioned(String snapshot) {
    List<String> lines = new ArrayList<>();
    String section = "";
    for (String line : snapshot.lines().toList()) {
      if (line.startsWith("## ")) {
        section = line.substring(3);
      } else {
        lines.add("[" + section + "] " + line);
      }
    }
    return lines;
  }

  /** The engine containers of a pod, in any state. */
  static List<String> containersOf(String podUid) throws Exception {
    return Host.docker(60, "ps", "-aq", "--no-trunc", "--filter", "label=io.minicluster.pod.uid=" + podUid)
        .assertOk("docker ps").stdout().lines().toList();
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The test's installation: its options, what it made, and how to undo it whatever state it is in. */
  static final class Installation {
    final Path checkout;
    final Path deb;
    final String dataDir;
    final String network;
    final String subnet;
    final int apiPort;
    final int socksPort;
    final String kubeconfig;
    final Set<String> podUids = new HashSet<>();
    String networkId = "";

    Installation(Path checkout, Path deb, String dataDir, String network, String subnet, int apiPort, int socksPort,
        String kubeconfig) {
      this.checkout = checkout;
      this.deb = deb;
      this.dataDir = dataDir;
      this.network = network;
      this.subnet = subnet;
      this.apiPort = apiPort;
      this.socksPort = socksPort;
      this.kubeconfig = kubeconfig;
    }

    /** {@code sh installer/SCRIPT} with this installation's options. */
    String command(String script, String... extra) {
      List<String> words = new ArrayList<>(List.of("sh", checkout.resolve("installer").resolve(script).toString()));
      if (script.equals("install.sh")) {
        words.addAll(List.of("--deb", deb.toString(), "--offline", "--no-kubectl", "--api-port",
            Integer.toString(apiPort), "--socks-port", Integer.toString(socksPort), "--node-name", NODE, "--data-dir",
            dataDir, "--pod-network", network, "--pod-cidr", subnet, "--timeout", "180"));
      }
      words.addAll(List.of("--kubeconfig", kubeconfig));
      words.addAll(List.of(extra));
      return String.join(" ", words.stream().map(word -> "'" + word + "'").toList());
    }

    Host.Result kubectl(long timeoutSeconds, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig));
      command.addAll(List.of(args));
      return Host.run(command, null, timeoutSeconds);
    }

    /** Whether a snapshot line names this installation's network, subnet, bridge or pods. */
    boolean concerns(String line) {
      List<String> marks = new ArrayList<>(List.of(network, subnet));
      if (networkId.length() >= 12) {
        marks.addAll(List.of(networkId, "br-" + networkId.substring(0, 12)));
      }
      marks.addAll(podUids);
      return marks.stream().anyMatch(line::contains);
    }

    /**
     * Removes whatever of the installation is left after a failure: uninstall.sh --purge if the package is there,
     * then by hand the processes, the pods' containers, the network, the package and the files. Each step is
     * attempted whatever the previous one did.
     */
    void undo() throws Exception {
      String status = Host.sh(30, "dpkg-query -W -f '${db:Status-Status}' minicluster 2>/dev/null || true").stdout()
          .trim();
      if (!status.isEmpty() && !status.equals("not-installed")) {
        Host.sh(300, command("uninstall.sh", "--purge"));
      }
      // the background service's supervisor and the daemon it runs
      Host.sh(60, "if [ -f /run/minicluster.pid ]; then pid=$(cat /run/minicluster.pid); "
          + "kill -9 $(ps -o pid= --ppid \"$pid\") \"$pid\" 2>/dev/null; fi; true");
      Host.sh(60, "for pod in '" + dataDir + "'/agent/pods/*; do [ -d \"$pod\" ] || continue; "
          + "ids=$(docker ps -aq --filter label=io.minicluster.pod.uid=${pod##*/}); "
          + "[ -z \"$ids\" ] || docker rm -f $ids; done; "
          + "ids=$(docker ps -aq --filter network='" + network + "'); [ -z \"$ids\" ] || docker rm -f $ids; true");
      for (String uid : podUids) {
        for (String id : containersOf(uid)) {
          Host.docker(60, "rm", "-f", id);
        }
      }
      Host.docker(60, "network", "rm", network);
      Host.sh(120, "dpkg --purge minicluster >/dev/null 2>&1; true");
      List<String> remove = new ArrayList<>(List.of("rm", "-rf", dataDir));
      remove.addAll(APPLIANCE_PLACES);
      Host.run(remove, null, 60);
    }
  }
}
