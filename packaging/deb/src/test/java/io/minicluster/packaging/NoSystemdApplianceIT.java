package io.minicluster.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The installer where systemd is not PID 1 (containers, CI machines), on a fresh Debian 12 in a plain container
 * rather than on the shared test machine: bad input is refused with the cause and the fix before anything changes;
 * then {@code install.sh} installs Docker and Java with apt, starts the Docker engine and the daemon in the background
 * ({@code minicluster start}: pid file and log file), the node is Ready, {@code minicluster status} answers, and
 * {@code uninstall.sh --purge} removes the daemon, its containers, network, files and package. Each step needs the
 * ones before it (see {@link Steps}). Needs root, Docker, debootstrap and the host's static busybox; fails, never
 * skips, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoSystemdApplianceIT {
  static final String SRC = "/src";

  @RegisterExtension
  static final Steps STEPS = new Steps();
  static final String NODE = "minicluster-it-plain";

  static DebianSystem system;
  static String deb;

  @BeforeAll
  static void boot() throws Exception {
    Host.requireDocker();
    Path checkout = Host.checkout();
    Path built = Host.builtPackage();
    Path busybox = Paths.get("/bin/busybox");
    assertThat(Files.isExecutable(busybox)).as("the host's static busybox (package busybox-static)").isTrue();
    String image = DebianImage.ensure(Files.createDirectories(checkout.resolve("packaging/deb/target/it")));
    system = DebianSystem.boot(image, NODE, false);
    system.copyIn(checkout.resolve("installer"), SRC);
    system.copyIn(built, SRC);
    system.copyIn(busybox, "/opt/test");
    deb = SRC + "/" + built.getFileName();
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  /** What a refused installation must not change: the packages and the files under /etc, /usr and /var/lib. */
  static String state() throws Exception {
    return system.shOk(120, "dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n' | sort; "
        + "find /etc /usr /var/lib -xdev -printf '%p %y %m %s\\n' | sort");
  }

  @Test
  @Order(1)
  void anUnsupportedSystemIsRefusedWithNothingChanged() throws Exception {
    String before = state();
    Host.Result result = system.sh(120, "cp -P /etc/os-release /opt/test/os-release && rm /etc/os-release && "
        + "printf 'ID=fedora\\nVERSION_ID=40\\nPRETTY_NAME=\"Fedora Linux 40\"\\n' > /etc/os-release && "
        + "sh " + SRC + "/installer/install.sh --deb " + deb + "; status=$?; "
        + "rm /etc/os-release && cp -P /opt/test/os-release /etc/os-release; exit $status");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.stderr()).contains("ERROR: checking the system: Fedora Linux 40 is not supported")
        .contains("fix: minicluster installs on Ubuntu 22.04 or 24.04 and Debian 12 or 13");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void aPortInUseIsRefusedWithNothingChanged() throws Exception {
    String before = state();
    system.shOk(30, "/opt/test/busybox nc -ll -p 6443 -e /bin/true >/dev/null 2>&1 & echo $! > /opt/test/nc.pid");
    Host.waitUntil("a listener on port 6443", Duration.ofSeconds(10),
        () -> !system.shOk(10, "ss -Hltn 'sport = :6443'").isBlank());
    Host.Result result = system.sh(120, "sh " + SRC + "/installer/install.sh --deb " + deb);
    system.shOk(30, "kill $(cat /opt/test/nc.pid)");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.stderr()).contains("ERROR: checking the system: port 6443 is in use by busybox")
        .contains("--api-port");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void installRunsTheDaemonInTheBackground() throws Exception {
    // without kubectl: the installer reads the node's state with curl and copies the kubeconfig as it is
    Host.Result result = system.sh(900, "sh " + SRC + "/installer/install.sh --offline --no-kubectl --deb " + deb);
    System.out.println(result.output());
    assertThat(result.exitCode()).as(result.output() + "\n--- daemon log:\n"
        + system.sh(30, "tail -n 60 /var/log/minicluster.log").output()).isZero();
    assertThat(result.stdout()).contains("minicluster start (systemd is not PID 1)")
        .contains("running in the background").contains("node " + NODE + " is Ready")
        .contains("kubectl was not installed (--no-kubectl)");
    assertThat(system.sh(10, "kill -0 $(cat /run/minicluster.pid)").exitCode()).as("pid file names a live process")
        .isZero();
    assertThat(system.sh(10, "test -s /var/log/minicluster.log").exitCode()).as("log file").isZero();
  }

  @Test
  @Order(4)
  void kubeconfigIsCopiedAndStatusAnswers() throws Exception {
    assertThat(system.sh(10, "command -v kubectl").exitCode()).isNotZero();
    assertThat(system.sh(10, "cmp /var/lib/minicluster/kubeconfig.yaml /root/.kube/config").exitCode()).isZero();
    Host.Result status = system.sh(60, "minicluster status");
    assertThat(status.exitCode()).as(status.output()).isZero();
  }

  @Test
  @Order(5)
  void runningTheInstallerAgainChangesNothing() throws Exception {
    String pid = system.shOk(10, "cat /run/minicluster.pid").trim();
    Host.Result result = system.sh(300, "sh " + SRC + "/installer/install.sh --offline --no-kubectl --deb " + deb);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout()).contains("nothing to install").contains("installed already")
        .contains("running in the background already").contains("up to date");
    assertThat(system.shOk(10, "cat /run/minicluster.pid").trim()).isEqualTo(pid);
  }

  @Test
  @Order(6)
  void uninstallPurgeRemovesEverything() throws Exception {
    String pid = system.shOk(10, "cat /run/minicluster.pid").trim();
    Host.Result result = system.sh(300, "sh " + SRC + "/installer/uninstall.sh --purge");
    System.out.println(result.output());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(system.sh(10, "kill -0 " + pid).exitCode()).as("the daemon stopped").isNotZero();
    assertThat(system.sh(10, "dpkg-query -W -f '${db:Status-Status}' minicluster").stdout()).isIn("", "not-installed");
    assertThat(system.shOk(30, "docker ps -aq --filter label=io.minicluster.type")).isEmpty();
    assertThat(system.sh(30, "docker network inspect minicluster").exitCode()).isNotZero();
    assertThat(system.shOk(60, "find /etc /lib /usr /var /run -xdev \\( -path /var/lib/docker -prune \\) -o "
        + "-name '*minicluster*' -print")).as("files named after minicluster").isEmpty();
    assertThat(system.sh(10, "test -e /root/.kube/config").exitCode()).as("the kubeconfig the installer made")
        .isNotZero();
  }
}
