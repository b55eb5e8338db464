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
 * (see {@link HostApplianceIT} for the test machine itself): bad input is refused with the cause and the fix before
 * anything changes (an unsupported system, a port in use, no Java for the command, no Docker and no Java where apt
 * cannot reach the package archive); then {@code install.sh} installs Docker and Java with apt, starts the Docker
 * engine and the daemon in the background ({@code minicluster start}: pid file and log file), the node is Ready,
 * {@code minicluster status} answers, and {@code uninstall.sh --purge} removes the daemon, its containers, network,
 * files and package; last, a Docker engine that is installed but does not start is reported with nothing changed.
 * Each step needs the ones before it (see {@link Steps}). Needs root, Docker, debootstrap and the host's static
 * busybox; fails, never skips, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoSystemdApplianceIT {
  static final String SRC = "/src";

  @RegisterExtension
  static final Steps STEPS = new Steps();
  static final String NODE = "minicluster-it-plain";

  /** Where the package's /usr/bin/minicluster is copied, to run it before anything is installed. */
  static final String LAUNCHER_DIRECTORY = "/opt/test/launcher";

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
    system.copyIn(checkout.resolve("packaging/deb/src/deb/bin/minicluster"), LAUNCHER_DIRECTORY);
    deb = SRC + "/" + built.getFileName();
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  /**
   * What a refused installation must not change: the packages and the files under /etc, /usr and /var/lib (apt's
   * package lists aside: a failed apt-get update leaves its lock and partial directory there).
   */
  static String state() throws Exception {
    return system.shOk(120, "dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n' | sort; "
        + "find /etc /usr /var/lib -xdev -path /var/lib/apt/lists -prune -o -printf '%p %y %m %s\\n' | sort");
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
  void withoutJavaTheCommandSaysWhichRuntimeToInstall() throws Exception {
    assertThat(system.sh(10, "command -v java; ls /usr/lib/jvm").stdout()).as("no Java on the fresh system").isEmpty();
    String before = state();
    Host.Result result = system.sh(60, "sh " + LAUNCHER_DIRECTORY + "/minicluster version");
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).isEqualTo("minicluster: no Java 17 or newer runtime found (looked at JAVA_HOME, the "
        + "PATH and /usr/lib/jvm); install one with: apt-get install default-jre-headless (or "
        + "openjdk-17-jre-headless)\n");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void withoutDockerAndJavaAndNoPackageArchiveTheInstallerSaysSo() throws Exception {
    // an offline machine: apt's proxy is a closed port (APT_CONFIG adds to apt's configuration; /etc is untouched)
    system.shOk(10, "printf 'Acquire::http::Proxy \"http://127.0.0.1:9/\";\\nAcquire::https::Proxy "
        + "\"http://127.0.0.1:9/\";\\nAcquire::Retries \"0\";\\n' > /opt/test/apt-offline.conf");
    assertThat(system.sh(10, "command -v docker dockerd java").stdout()).as("no Docker, no Java").isEmpty();
    String before = state();
    Host.Result result = system.sh(300, "APT_CONFIG=/opt/test/apt-offline.conf sh " + SRC
        + "/installer/install.sh --deb " + deb);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.stderr()).as(result.output())
        .contains("ERROR: installing what is missing (apt): not installed: a Docker engine (docker.io), a Java 17 or "
            + "newer runtime (openjdk-17-jre-headless)")
        .contains("and apt cannot install them (")
        .contains("the package archive cannot be reached)")
        .contains("fix: check the network and the sources in /etc/apt/sources.list*, or install them yourself "
            + "(apt-get install docker.io openjdk-17-jre-headless");
    assertThat(result.stdout()).doesNotContain("==> installing minicluster");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @Order(5)
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
  @Order(6)
  void kubeconfigIsCopiedAndStatusAnswers() throws Exception {
    assertThat(system.sh(10, "command -v kubectl").exitCode()).isNotZero();
    assertThat(system.sh(10, "cmp /var/lib/minicluster/kubeconfig.yaml /root/.kube/config").exitCode()).isZero();
    Host.Result status = system.sh(60, "minicluster status");
    assertThat(status.exitCode()).as(status.output()).isZero();
  }

  @Test
  @Order(7)
  void runningTheInstallerAgainChangesNothing() throws Exception {
    String pid = system.shOk(10, "cat /run/minicluster.pid").trim();
    Host.Result result = system.sh(300, "sh " + SRC + "/installer/install.sh --offline --no-kubectl --deb " + deb);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout()).contains("nothing to install").contains("installed already")
        .contains("running in the background already").contains("up to date");
    assertThat(system.shOk(10, "cat /run/minicluster.pid").trim()).isEqualTo(pid);
  }

  @Test
  @Order(8)
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

  @Test
  @Order(9)
  void aDockerEngineThatDoesNotStartIsReportedWithNothingChanged() throws Exception {
    // Docker and Java are installed now (and stay after the uninstallation); the engine is stopped, and its dockerd
    // replaced by one that cannot start, as a broken engine
    String dockerd = system.shOk(10, "cat /var/run/docker.pid").trim();
    system.shOk(10, "kill " + dockerd);
    Host.waitUntil("the engine stopped", Duration.ofSeconds(60), () -> system.sh(10, "docker info").exitCode() != 0
        && system.sh(10, "kill -0 " + dockerd).exitCode() != 0);
    system.shOk(10, "mv /usr/sbin/dockerd /opt/test/dockerd.real && printf '#!/bin/sh\\necho \"failed to start "
        + "daemon: the test broke this engine\" >&2\\nexit 1\\n' > /usr/sbin/dockerd && chmod 755 /usr/sbin/dockerd");
    try {
      String before = state();
      Host.Result result = system.sh(300, "sh " + SRC + "/installer/install.sh --offline --no-kubectl --deb " + deb);
      assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
      assertThat(result.stderr()).as(result.output())
          .contains("ERROR: installing what is missing (apt): the Docker engine is installed but does not answer, "
              + "and dockerd stops at once")
          .contains("fix: start it (systemctl start docker, or service docker start where systemd does not run)")
          .contains("failed to start daemon: the test broke this engine");
      assertThat(result.stdout()).doesNotContain("==> installing minicluster");
      assertThat(state()).isEqualTo(before);
    } finally {
      system.sh(10, "mv /opt/test/dockerd.real /usr/sbin/dockerd");
    }
  }
}
