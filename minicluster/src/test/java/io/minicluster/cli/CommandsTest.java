package io.minicluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.pki.Pki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The appliance commands that need no running daemon. */
class CommandsTest {
  @TempDir
  Path temporary;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path dataDir() throws Exception {
    Path data = temporary.resolve("data");
    Pki.loadOrCreate(data, List.of(), List.of(InetAddress.getByName("192.0.2.10")))
        .writeAdminKubeconfig(data.resolve("kubeconfig.yaml"), "https://127.0.0.1:6443");
    return data;
  }

  @Test
  void kubeconfigPrintsTheDaemonsFile() throws Exception {
    Path data = dataDir();
    assertThat(run("kubeconfig", "--no-config", "--data-dir", data.toString())).isZero();
    assertThat(out.toString()).isEqualTo(Files.readString(data.resolve("kubeconfig.yaml")));
  }

  @Test
  void kubeconfigReplacesTheServerAndWarnsWhenTheCertificateDoesNotNameIt() throws Exception {
    Path data = dataDir();
    assertThat(run("kubeconfig", "--no-config", "--data-dir", data.toString(), "--server",
        "https://192.0.2.10:6443")).isZero();
    assertThat(out.toString()).contains("    server: https://192.0.2.10:6443\n").doesNotContain("127.0.0.1")
        .contains("client-certificate-data: ").contains("current-context: minicluster");
    assertThat(err.toString()).isEmpty();

    out.getBuffer().setLength(0);
    assertThat(run("kubeconfig", "--no-config", "--data-dir", data.toString(), "--server",
        "https://203.0.113.7:6443")).isZero();
    assertThat(out.toString()).contains("server: https://203.0.113.7:6443");
    assertThat(err.toString()).startsWith("warning: the API server's certificate does not name 203.0.113.7");
  }

  @Test
  void kubeconfigViaTheGatewayNamesTheKubernetesServiceAndTheGatewayAsProxy() throws Exception {
    Path data = dataDir();
    assertThat(run("kubeconfig", "--no-config", "--data-dir", data.toString(), "--via-gateway")).isZero();
    assertThat(out.toString()).contains("    server: https://kubernetes.default.svc\n"
        + "    proxy-url: socks5://127.0.0.1:1080\n").doesNotContain("127.0.0.1:6443")
        .contains("certificate-authority-data: ").contains("current-context: minicluster");
    assertThat(err.toString()).isEmpty();

    // the port a tunnel gives on the workstation, and the gateway's credentials from the configuration
    Path config = temporary.resolve("config.yaml");
    Files.writeString(config, "data-dir: " + data + "\nsocks-port: 11080\nsocks-user: \"me:p@ss w:rd\"\n");
    out.getBuffer().setLength(0);
    assertThat(run("kubeconfig", "--config", config.toString(), "--via-gateway")).isZero();
    assertThat(out.toString()).contains("    proxy-url: socks5://me:p%40ss%20w%3Ard@127.0.0.1:11080\n");
    out.getBuffer().setLength(0);
    assertThat(run("kubeconfig", "--config", config.toString(), "--via-gateway=2080")).isZero();
    assertThat(out.toString()).contains("    proxy-url: socks5://me:p%40ss%20w%3Ard@127.0.0.1:2080\n");
  }

  @Test
  void kubeconfigViaTheGatewaySaysWhatToDoWhenItCannot() throws Exception {
    Path data = dataDir();
    assertThat(run("kubeconfig", "--no-config", "--data-dir", data.toString(), "--via-gateway", "--server",
        "https://192.0.2.10:6443")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("--server and --via-gateway exclude each other: through the gateway the "
        + "server is https://kubernetes.default.svc\n");
    Path config = temporary.resolve("config.yaml");
    Files.writeString(config, "data-dir: " + data + "\nsocks-port: -1\n");
    err.getBuffer().setLength(0);
    assertThat(run("kubeconfig", "--config", config.toString(), "--via-gateway")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("--via-gateway: the daemon's SOCKS gateway is off (socks-port: -1): set "
        + "socks-port in " + config + " and restart minicluster, or give the port a tunnel reaches it on: "
        + "--via-gateway=PORT\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void kubeconfigSaysWhatToDoWithoutAFileOrWithABadServer() throws Exception {
    assertThat(run("kubeconfig", "--no-config", "--data-dir", temporary.resolve("none").toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("no kubeconfig at " + temporary.resolve("none/kubeconfig.yaml")
        + ": the daemon writes it when it starts");
    err.getBuffer().setLength(0);
    assertThat(run("kubeconfig", "--no-config", "--data-dir", dataDir().toString(), "--server", "10.0.0.1:6443"))
        .isEqualTo(2);
    assertThat(err.toString()).isEqualTo("--server: \"10.0.0.1:6443\" is not a URL: use https://HOST:PORT\n");
  }

  @Test
  void statusOfNothingRunningIsUnhealthy() throws Exception {
    int code = run("status", "--no-config", "--data-dir", temporary.resolve("none").toString(), "--pid-file",
        temporary.resolve("none.pid").toString());
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("service: not running (start it with `").contains("api: unknown: no "
        + "kubeconfig at").contains("data: " + temporary.resolve("none") + " (does not exist)")
        .endsWith("healthy: no: the API cannot be reached\n");
  }

  @Test
  void stopWithNothingRunningSaysSo() {
    assertThat(run("stop", "--pid-file", temporary.resolve("none.pid").toString())).isZero();
    assertThat(out.toString()).isEqualTo("minicluster is not running\n");
  }

  @Test
  void restoreOfADamagedFileChangesNothing() throws Exception {
    Path data = dataDir();
    Path archive = temporary.resolve("backup.tar.gz");
    Files.writeString(archive, "not a backup");
    assertThat(run("restore", "--no-config", "--data-dir", data.toString(), "--pid-file",
        temporary.resolve("none.pid").toString(), archive.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith(archive + " is not a minicluster backup").endsWith("; nothing was "
        + "changed\n");
    try (var entries = Files.list(temporary)) {
      assertThat(entries.map(path -> path.getFileName().toString()).sorted())
          .containsExactly("backup.tar.gz", "data");
    }
  }
}
