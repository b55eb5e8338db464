package io.minicluster.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The appliance as a user gets it, on a fresh Debian 12 booted with systemd as PID 1 in a container (see
 * {@link DebianSystem}), step by step: {@code install.sh --deb} from nothing installed (apt reaches Debian's mirror),
 * the service, its unit and files, the node, the Telescope pod from {@code examples/} reached through the SOCKS
 * gateway, restarts of the service and of the whole system (pod containers kept, the ones the engine stopped started
 * again), the same and a newer package over it (pod containers kept), {@code dpkg -r} and {@code dpkg -P}, and last
 * a second installation undone by {@code uninstall.sh --purge}, after which the system is as it was before that
 * installation. Each step needs the ones before it (see {@link Steps}). Needs root, Docker, debootstrap and the test
 * images; fails, never skips, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdApplianceIT {
  static final String SRC = "/src";

  @RegisterExtension
  static final Steps STEPS = new Steps();
  static final String TELESCOPE_PAGE = "<h1>Telescope</h1>";

  static DebianSystem system;
  static String deb;
  static String newerDeb;
  static String version;
  static List<String> podContainers;
  static Path work;

  @BeforeAll
  static void boot() throws Exception {
    Host.requireDocker();
    List<String> images = Host.testImages();
    Path checkout = Host.checkout();
    Path built = Host.builtPackage();
    work = Files.createDirectories(checkout.resolve("packaging/deb/target/it"));
    String image = DebianImage.ensure(work);
    system = DebianSystem.boot(image, "minicluster-it-systemd", true);
    system.copyIn(checkout.resolve("installer"), SRC);
    system.copyIn(checkout.resolve("examples"), SRC);
    system.copyIn(built, SRC);
    deb = SRC + "/" + built.getFileName();
    version = Host.run(30, "dpkg-deb", "-f", built.toString(), "Version").assertOk("dpkg-deb -f").stdout().trim();
    // the engine inside gets the test images once it is installed (see loadTestImages)
    testImages = images;
  }

  static List<String> testImages;

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  // ----------------------------------------------------------------------------------------- the first install

  @Test
  @Order(1)
  void dryRunChangesNothing() throws Exception {
    String before = system.shOk(30, "dpkg-query -W -f '${Package} ${Version}\\n' | sort; ls -a /etc");
    String output = system.shOk(120, "sh " + SRC + "/installer/install.sh --dry-run --deb " + deb);
    assertThat(output).contains("would run: dpkg").contains("Dry run: nothing was changed.");
    assertThat(system.shOk(30, "dpkg-query -W -f '${Package} ${Version}\\n' | sort; ls -a /etc")).isEqualTo(before);
  }

  /** A kubeconfig of another cluster the user had before: the installer must keep it, and its current context. */
  static final String OTHER_KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: other
        cluster:
          server: https://other.example:6443
      users:
      - name: other-admin
        user:
          token: other-token
      contexts:
      - name: other
        context:
          cluster: other
          user: other-admin
      current-context: other
      """;

  @Test
  @Order(2)
  void installFromNothing() throws Exception {
    assertThat(system.sh(10, "command -v docker java kubectl").stdout()).isEmpty();
    system.shOk(10, "mkdir -p /root/.kube && cat > /root/.kube/config <<'EOF'\n" + OTHER_KUBECONFIG + "EOF");
    String output = install(deb);
    assertThat(output).contains("==> installing what is missing (apt)").contains("docker.io")
        .contains("node minicluster-it-systemd is Ready").contains("ssh -L 1080:127.0.0.1:1080")
        .contains("http://127.0.0.1:1080/proxy.pac")
        .contains("kubectl config use-context minicluster     # your current context is other")
        .contains("kubectl get nodes");
  }

  @Test
  @Order(3)
  void theUsersKubeconfigKeepsItsClusterAndGainsMinicluster() throws Exception {
    assertThat(system.shOk(30, "kubectl config get-contexts -o name | sort")).isEqualTo("minicluster\nother\n");
    assertThat(system.shOk(30, "kubectl config current-context").trim()).isEqualTo("other");
    assertThat(system.shOk(30, "kubectl config view --raw -o jsonpath='{.users[?(@.name==\"other-admin\")].user.token}'"))
        .isEqualTo("other-token");
    assertThat(system.shOk(30, "cat /root/.kube/config.before-minicluster-*")).isEqualTo(OTHER_KUBECONFIG);
    assertThat(system.shOk(30, "stat -c %a /root/.kube/config").trim()).isEqualTo("600");
    // as the installer's next steps say
    system.shOk(30, "kubectl config use-context minicluster");
  }

  @Test
  @Order(4)
  void serviceIsActiveAndEnabled() throws Exception {
    assertThat(system.sh(30, "systemctl is-active minicluster").stdout().trim()).isEqualTo("active");
    assertThat(system.sh(30, "systemctl is-enabled minicluster").stdout().trim()).isEqualTo("enabled");
  }

  @Test
  @Order(5)
  void unitPassesSystemdAnalyzeVerify() throws Exception {
    // --man=no: a minimal system has no man to look up the unit's Documentation=man:minicluster(1)
    Host.Result verify = system.sh(60, "systemd-analyze verify --man=no /lib/systemd/system/minicluster.service");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).as("systemd-analyze verify says nothing about minicluster's unit")
        .doesNotContain("minicluster");
    String unit = system.shOk(30, "systemctl show minicluster -p Type -p Restart -p KillMode -p LimitNOFILE "
        + "-p After -p Wants");
    assertThat(unit).contains("Type=notify").contains("Restart=always").contains("KillMode=process")
        .contains("LimitNOFILE=1048576").contains("docker.service");
    assertThat(system.sh(10, "grep -qx NotifyAccess=main /lib/systemd/system/minicluster.service").exitCode()).isZero();
  }

  @Test
  @Order(6)
  void theDaemonKeepsSystemdsWatchdogFed() throws Exception {
    assertThat(system.shOk(30, "systemctl show minicluster -p WatchdogUSec -p WatchdogSignal"))
        .contains("WatchdogUSec=1min").contains("WatchdogSignal=9");
    // systemd stamps each ping it accepts; the daemon pings every 10 s while its liveness checks pass
    String command = "systemctl show minicluster -p WatchdogTimestampMonotonic --value";
    String first = system.shOk(30, command).trim();
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    String later = first;
    while (later.equals(first) && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      later = system.shOk(30, command).trim();
    }
    assertThat(later).as("a newer watchdog ping than %s", first).isNotEqualTo(first);
  }

  @Test
  @Order(7)
  void filesAreWherePolicyWantsThem() throws Exception {
    assertThat(system.shOk(30, "stat -c '%a %U' /var/lib/minicluster").trim()).isEqualTo("700 root");
    assertThat(system.sh(10, "test -f /etc/minicluster/config.yaml").exitCode()).as("the configuration").isZero();
    assertThat(system.shOk(30, "stat -c %a /var/lib/minicluster/kubeconfig.yaml").trim()).isEqualTo("600");
    assertThat(system.shOk(60, "minicluster version")).contains("minicluster");
    assertThat(system.sh(10, "test -f /usr/share/man/man1/minicluster.1.gz").exitCode()).as("manual page").isZero();
  }

  @Test
  @Order(8)
  void nodeIsReadyForTheUsersKubectl() throws Exception {
    // the admin kubeconfig merged into root's ~/.kube/config (root ran the installer, without sudo)
    assertThat(system.shOk(30, "kubectl get nodes --no-headers")).contains("minicluster-it-systemd").contains("Ready");
  }

  @Test
  @Order(9)
  void telescopePodRunsAndAnswersThroughTheSocksGateway() throws Exception {
    system.loadImages(testImages);
    system.shOk(60, "kubectl create -f " + SRC + "/examples/telescope-pod.json");
    waitTelescopeServed();
    podContainers = podContainers();
    assertThat(podContainers).as("the pod's engine containers").hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(10)
  void serviceRestartKeepsPodContainers() throws Exception {
    system.shOk(240, "systemctl restart minicluster");
    assertThat(system.sh(30, "systemctl is-active minicluster").stdout().trim()).isEqualTo("active");
    waitNodeReady();
    waitTelescopeServed();
    assertThat(podContainers()).isEqualTo(podContainers);
  }

  /**
   * A restart of the whole system stops its Docker engine and every container on it, as a reboot does. What comes
   * back: the service starts by itself, the node is Ready, and the node agent, finding the pod's sandbox and
   * containers stopped by the engine's restart (not by itself), starts the same ones again: the same container IDs,
   * nothing left exited besides them, the same pod IP, and each container's restartCount 1 (a restart, as Kubernetes
   * counts one after a node reboot).
   */
  @Test
  @Order(11)
  void systemRestartBringsEverythingBack() throws Exception {
    List<String> before = podContainers();
    List<String> allBefore = allPodContainers();
    String ipBefore = podIp();
    String restartsAfter = Arrays.stream(restartCounts().split(" "))
        .map(count -> Integer.toString(Integer.parseInt(count) + 1)).collect(Collectors.joining(" "));
    system.restart();
    Host.waitUntil("minicluster active after the system restart", Duration.ofSeconds(180),
        () -> system.sh(30, "systemctl is-active minicluster").stdout().trim().equals("active"));
    waitNodeReady();
    waitTelescopeServed();
    Host.waitUntil("both containers restarted once (" + restartsAfter + ")", Duration.ofSeconds(60),
        () -> restartCounts().equals(restartsAfter));
    assertThat(podContainers()).as("running after the restart: the same sandbox and containers").isEqualTo(before);
    assertThat(allPodContainers()).as("no new container").isEqualTo(allBefore);
    assertThat(podIp()).as("the pod IP").isEqualTo(ipBefore);
  }

  private static String restartCounts() throws Exception {
    return system.sh(30, "kubectl get pod telescope-pod -o jsonpath='{.status.containerStatuses[*].restartCount}'")
        .stdout().trim();
  }

  @Test
  @Order(12)
  void reinstallingTheSamePackageKeepsPodContainers() throws Exception {
    String output = install(deb);
    assertThat(output).contains("installed already");
    system.shOk(300, "dpkg -i " + deb);
    assertThat(system.sh(30, "systemctl is-active minicluster").stdout().trim()).isEqualTo("active");
    waitNodeReady();
    waitTelescopeServed();
    assertThat(podContainers()).isEqualTo(podContainers);
  }

  @Test
  @Order(13)
  void aNewerVersionKeepsPodContainers() throws Exception {
    String newer = version + "+it1";
    newerDeb = SRC + "/minicluster_" + newer + "_all.deb";
    system.shOk(300, "set -e; rm -rf /tmp/newer; dpkg-deb -R " + deb + " /tmp/newer; "
        + "sed -i 's/^Version: .*/Version: " + newer + "/' /tmp/newer/DEBIAN/control; "
        + "dpkg-deb -Znone -b /tmp/newer " + newerDeb + " >/dev/null; rm -rf /tmp/newer");
    String output = install(newerDeb);
    assertThat(output).contains("upgrading from " + version);
    assertThat(system.shOk(30, "dpkg-query -W -f '${Version}' minicluster")).isEqualTo(newer);
    assertThat(system.sh(30, "systemctl is-active minicluster").stdout().trim()).isEqualTo("active");
    waitNodeReady();
    waitTelescopeServed();
    assertThat(podContainers()).isEqualTo(podContainers);
  }

  @Test
  @Order(14)
  void dpkgRemoveStopsTheServiceAndKeepsTheState() throws Exception {
    system.shOk(120, "dpkg -r minicluster");
    assertThat(system.sh(30, "systemctl is-active minicluster").stdout().trim()).isNotEqualTo("active");
    assertThat(system.sh(10, "test -e /lib/systemd/system/minicluster.service").exitCode()).as("unit removed")
        .isNotZero();
    assertThat(system.sh(10, "test -f /etc/minicluster/config.yaml && test -f /var/lib/minicluster/state.db")
        .exitCode()).as("configuration and state kept").isZero();
    assertThat(podContainers()).as("pod containers keep running").isEqualTo(podContainers);
    // installed again, the cluster comes back with its pod
    system.shOk(300, "dpkg -i " + newerDeb);
    assertThat(system.sh(30, "systemctl is-active minicluster").stdout().trim()).isEqualTo("active");
    waitNodeReady();
    waitTelescopeServed();
    assertThat(podContainers()).isEqualTo(podContainers);
  }

  @Test
  @Order(15)
  void dpkgPurgeRemovesStatePodsAndConfiguration() throws Exception {
    system.shOk(120, "dpkg -P minicluster");
    assertThat(system.sh(10, "dpkg-query -W -f '${db:Status-Status}' minicluster").stdout()).isIn("", "not-installed");
    assertThat(system.shOk(30, "docker ps -aq --filter label=io.minicluster.type")).isEmpty();
    assertThat(system.sh(30, "docker network inspect minicluster").exitCode()).isNotZero();
    assertThat(system.shOk(60, "find /etc /lib /usr /var -xdev \\( -path /var/lib/docker -prune \\) -o "
        + "-name '*minicluster*' -print")).as("files named after minicluster").isEmpty();
    assertThat(system.shOk(30, "systemctl list-units --all --no-legend --plain 'minicluster*'")).isEmpty();
  }

  // --------------------------------------------------------------- the second install, undone by uninstall.sh

  static String before;

  @Test
  @Order(16)
  void installOnASystemWithDockerAndJava() throws Exception {
    before = snapshot();
    String output = install(deb);
    assertThat(output).contains("nothing to install");
    system.shOk(60, "kubectl create -f " + SRC + "/examples/telescope-pod.json");
    waitTelescopeServed();
  }

  @Test
  @Order(17)
  void uninstallPurgeLeavesTheSystemAsItWas() throws Exception {
    String output = system.shOk(300, "sh " + SRC + "/installer/uninstall.sh --purge");
    System.out.println(output);
    assertThat(differences(before, snapshot())).as("what uninstall.sh --purge left changed").isEmpty();
    // the user's kubeconfig is back to the other cluster alone
    assertThat(system.shOk(30, "kubectl config get-contexts -o name")).isEqualTo("other\n");
  }

  // ------------------------------------------------------------------------------------------------- helpers

  static String install(String packageFile) throws Exception {
    Host.Result result = system.sh(900, "sh " + SRC + "/installer/install.sh --offline --deb " + packageFile);
    System.out.println(result.output());
    if (result.exitCode() != 0) {
      throw new AssertionError("install.sh failed (" + result.exitCode() + "):\n" + result.output() + "\n--- journal:\n"
          + system.sh(30, "journalctl -u minicluster -n 60 --no-pager").output());
    }
    return result.stdout();
  }

  static void waitNodeReady() throws Exception {
    Host.waitUntil("node Ready", Duration.ofSeconds(120), () -> system.sh(30,
        "kubectl get node minicluster-it-systemd -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}'")
        .stdout().trim().equals("True"));
  }

  /** Waits until the Telescope pod runs and its page comes through the SOCKS gateway. */
  static void waitTelescopeServed() throws Exception {
    Host.waitUntil("the telescope pod is Running and its page comes through the SOCKS gateway",
        Duration.ofSeconds(180), () -> {
          String ip = system.sh(30, "kubectl get pod telescope-pod -o jsonpath='{.status.phase} {.status.podIP}'")
              .stdout().trim();
          if (!ip.startsWith("Running ") || ip.split(" ").length < 2) {
            return false;
          }
          return system.sh(30, "curl -s --max-time 10 --socks5-hostname 127.0.0.1:1080 http://" + ip.split(" ")[1]
              + "/").stdout().contains(TELESCOPE_PAGE);
        });
  }

  /** The telescope pod's IP as the API reports it. */
  static String podIp() throws Exception {
    return system.shOk(30, "kubectl get pod telescope-pod -o jsonpath='{.status.podIP}'").trim();
  }

  /** The running engine containers of pods (sandboxes and containers), sorted. */
  static List<String> podContainers() throws Exception {
    return system.shOk(30, "docker ps -q --no-trunc --filter label=io.minicluster.pod.uid | sort").lines().toList();
  }

  /** The engine containers of pods in any state, sorted. */
  static List<String> allPodContainers() throws Exception {
    return system.shOk(30, "docker ps -aq --no-trunc --filter label=io.minicluster.pod.uid | sort").lines().toList();
  }

  /**
   * What an uninstallation must leave as it found it: the engine's containers, networks and images, the iptables
   * rules, systemd's units and unit files, the packages and diversions, and the files under /etc, /usr, /lib,
   * /var/lib and /var/cache (path, type, mode and size; content too under /etc).
   */
  static String snapshot() throws Exception {
    return system.shOk(300, """
        echo '## docker ps -a'; docker ps -a --no-trunc --format '{{.ID}} {{.Image}} {{.Names}}' | sort
        echo '## docker network ls'; docker network ls --no-trunc --format '{{.ID}} {{.Name}} {{.Driver}}' | sort
        echo '## docker images'; docker images --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' | sort
        echo '## iptables-save'; iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//' | sort
        echo '## systemd unit files'; systemctl list-unit-files --no-legend --no-pager | awk '{print $1, $2}' | sort
        echo '## systemd units'; systemctl list-units --all --no-legend --no-pager --plain | awk '{print $1, $2}' | sort
        echo '## packages'; dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n' | sort
        echo '## diversions'; dpkg-divert --list | sort
        echo '## files'
        find /etc /usr /lib /var/lib /var/cache -xdev \\( -path /var/lib/docker -o -path /var/lib/containerd \\
          -o -path /var/cache/apt -o -path /var/cache/debconf -o -path /var/lib/apt/lists \\
          -o -path /var/lib/systemd/timers -o -path '/var/lib/dpkg/*-old' \\) -prune -o -printf '%p %y %m %s\\n' \\
          | sort
        echo '## /etc contents'; find /etc -xdev -type f -exec md5sum {} + | sort -k2
        """);
  }

  /** The lines only in one of two snapshots, each with its section and a - (gone) or + (new) mark. */
  static List<String> differences(String before, String after) {
    return Stream.concat(
        onlyIn(before, after).stream().map(line -> "- " + line),
        onlyIn(after, before).stream().map(line -> "+ " + line)).toList();
  }

  private static List<String> onlyIn(String snapshot, String other) {
    Set<String> otherLines = new HashSet<>(sectioned(other));
    return sectioned(snapshot).stream().filter(line -> !otherLines.contains(line)).toList();
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
}
