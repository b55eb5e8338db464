package io.minicluster.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The built package as Debian sees it: lintian, Debian's package checker, finds no error or warning (pedantic and
 * experimental tags included in the report; the overrides the package ships say why each remaining tag is right for
 * it), and the files, modes and conffile are those the appliance needs.
 */
class PackageIT {
  @Test
  void lintianFindsNothing() throws Exception {
    String deb = Host.builtPackage().toString();
    Host.Result lintian;
    try {
      lintian = Host.run(300, "lintian", "--fail-on", "error,warning", "-I", "-E", "--pedantic", deb);
    } catch (IOException e) {
      throw new AssertionError("lintian is required for this test (apt-get install lintian): " + e.getMessage(), e);
    }
    assertThat(lintian.exitCode()).as(lintian.output()).isZero();
    assertThat(lintian.stdout().lines().filter(line -> line.matches("^[EWIPX]: .*")))
        .as("lintian's tags (each needs a fix or a justified override)").isEmpty();
  }

  @Test
  void filesModesAndConffile() throws Exception {
    String deb = Host.builtPackage().toString();
    String contents = Host.run(60, "dpkg-deb", "--contents", deb).assertOk("dpkg-deb --contents").stdout();
    assertThat(contents).containsPattern("-rw-r--r-- root/root .* \\./usr/share/minicluster/minicluster\\.jar")
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/minicluster\n")
        .containsPattern("-rw-r--r-- root/root .* \\./lib/systemd/system/minicluster\\.service")
        .containsPattern("-rw-r--r-- root/root .* \\./etc/minicluster/config\\.yaml")
        .containsPattern("drwx------ root/root .* \\./var/lib/minicluster/")
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/share/minicluster/uninstall\\.sh");
    String conffiles = Host.run(60, "sh", "-c", "dpkg-deb --ctrl-tarfile '" + deb + "' | tar -xOf - ./conffiles")
        .stdout();
    assertThat(conffiles).isEqualTo("/etc/minicluster/config.yaml\n");
    assertThat(Host.run(60, "dpkg-deb", "-f", deb, "Depends").assertOk("dpkg-deb -f").stdout().trim()).isEqualTo(
        "default-jre-headless (>= 2:1.17) | java17-runtime-headless | openjdk-17-jre-headless | "
            + "openjdk-21-jre-headless, docker.io | docker-ce | docker-engine, iptables");
  }
}
