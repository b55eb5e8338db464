package io.minicluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
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

  @Test
  void anUnknownKeyStopsStartUpWithExitCodeTwoBeforeAnythingIsCreated() throws Exception {
    Path config = temporary.resolve("config.yaml");
    Files.writeString(config, "api-port: 6443\napi-prot: 7443\n");
    Path data = temporary.resolve("data");
    int code = run("server", "--config", config.toString(), "--data-dir", data.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo(config + ":2: unknown key \"api-prot\" (did you mean \"api-port\"?)\n");
    assertThat(data).doesNotExist();
  }

  @Test
  void aBadFlagValueExitsTwo() {
    Path data = temporary.resolve("data");
    int code = run("server", "--no-config", "--data-dir", data.toString(), "--pod-cidr", "10.244.0.0/33");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("--pod-cidr: \"10.244.0.0/33\" is not an IPv4 network");
    assertThat(data).doesNotExist();
  }

  @Test
  void printConfigShowsTheEffectiveValuesAndExitsZero() throws Exception {
    Path config = temporary.resolve("config.yaml");
    Files.writeString(config, "api-port: 7443\nsocks-port: 1081\n");
    int code = run("server", "--config", config.toString(), "--data-dir", temporary.resolve("d").toString(),
        "--socks-port", "1082", "--no-node-agent", "--print-config");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("(?m)^api-port: 7443 +# \\Q" + config + ":1\\E$")
        .containsPattern("(?m)^socks-port: 1082 +# --socks-port$")
        .containsPattern("(?m)^node-agent: false +# --node-agent$")
        .containsPattern("(?m)^data-dir: \\Q" + temporary.resolve("d") + "\\E +# --data-dir$")
        .containsPattern("(?m)^bind-address: 0.0.0.0 +# default$");
    assertThat(temporary.resolve("d")).doesNotExist();
  }

  @Test
  void aPortInUseIsNamedWithItsFix() throws Exception {
    Path data = temporary.resolve("data");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int code = run("server", "--no-config", "--data-dir", data.toString(), "--bind-address", "127.0.0.1",
          "--api-port", Integer.toString(busy.getLocalPort()));
      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).isEqualTo("port " + busy.getLocalPort() + " (API) is in use by another process: "
          + "stop it or use --api-port (or set api-port in /etc/minicluster/config.yaml)\n");
    }
    assertThat(data).doesNotExist();
  }

  @Test
  void helpListsEveryFlagWithItsKey() {
    assertThat(run("server", "--help")).isZero();
    assertThat(out.toString()).contains("--config=FILE", "--no-config", "--data-dir=DIR", "--api-port=PORT",
        "--[no-]node-agent", "--[no-]offline", "--cluster-domain=NAME", "--pod-network=NETWORK",
        "--socks-allow-client=CIDR", "--print-config", "(key", "default: 6443", "Exit codes:");
  }
}
