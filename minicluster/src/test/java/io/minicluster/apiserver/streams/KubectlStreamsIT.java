package io.minicluster.apiserver.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.pki.Pki;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (env KUBECTL, else kubectl135 or kubectl on PATH; fails when there is none) against a loopback
 * HTTPS server serving one pod and the stream upgrades through {@link PodStreamUpgrader}, with a scripted runtime.
 */
class KubectlStreamsIT {
  @TempDir
  static Path temporary;

  static StreamTestServer server;
  static ScriptedRuntime runtime;
  static Path kubeconfig;
  static String kubectl;

  @BeforeAll
  static void start() throws Exception {
    kubectl = findKubectl();
    Pki pki = Pki.loadOrCreate(temporary.resolve("data"), List.of(), List.of());
    runtime = new ScriptedRuntime(Map.of("cid-c", true));
    server = new StreamTestServer(runtime, pki.serverSslContext());
    server.addPod("default", "p", List.of("c"));
    kubeconfig = temporary.resolve("kubeconfig");
    pki.writeAdminKubeconfig(kubeconfig, "https://127.0.0.1:" + server.port);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String findKubectl() {
    String configured = System.getenv("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String name : List.of("kubectl135", "kubectl")) {
      for (String directory : String.valueOf(System.getenv("PATH")).split(File.pathSeparator)) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new AssertionError("no kubectl found (set KUBECTL or put kubectl135/kubectl on PATH)");
  }

  record Result(int exitCode, String stdout, String stderr) {}

  static Result run(String stdin, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl, "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command)
        .redirectOutput(temporary.resolve("out").toFile())
        .redirectError(temporary.resolve("err").toFile())
        .start();
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + List.of(arguments) + " did not finish");
    }
    return new Result(process.exitValue(), Files.readString(temporary.resolve("out")),
        Files.readString(temporary.resolve("err")));
  }

  @Test
  void execPrintsTheOutput() throws Exception {
    Result result = run(null, "exec", "p", "--", "echo", "hi");

    assertThat(result.stdout()).isEqualTo("hi\n");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  @Test
  void execReportsTheExitCode() throws Exception {
    Result result = run(null, "exec", "p", "--", "sh", "-c", "exit 3");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr()).contains("command terminated with exit code 3");
  }

  @Test
  void execWithStdinEndsOnEndOfFile() throws Exception {
    Result result = run("hello\nworld\n", "exec", "-i", "p", "--", "cat");

    assertThat(result.stdout()).isEqualTo("hello\nworld\n");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  @Test
  void execOfAMissingExecutableIsAnError() throws Exception {
    Result result = run(null, "exec", "p", "--", "nosuch");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("executable file not found");
  }

  @Test
  void portForwardReachesThePodPort() throws Exception {
    int localPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      localPort = probe.getLocalPort();
    }
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread echoThread = new Thread(() -> {
        for (int i = 0; i < 2; i++) {
          try (Socket accepted = echo.accept()) {
            accepted.getInputStream().transferTo(accepted.getOutputStream());
          } catch (Exception e) {
            return;
          }
        }
      }, "echo");
      echoThread.setDaemon(true);
      echoThread.start();
      Path log = temporary.resolve("port-forward.log");
      Process process = new ProcessBuilder(kubectl, "--kubeconfig", kubeconfig.toString(), "port-forward",
          "pod/p", localPort + ":" + echo.getLocalPort())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(log).contains("Forwarding from 127.0.0.1:" + localPort + " ")) {
          assertThat(System.nanoTime()).as("kubectl said: %s", Files.readString(log)).isLessThan(deadline);
          assertThat(process.isAlive()).as("kubectl said: %s", Files.readString(log)).isTrue();
          Thread.sleep(50);
        }
        for (int round = 0; round < 2; round++) {
          try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), localPort)) {
            socket.setSoTimeout(10_000);
            String message = "round " + round + "\n";
            socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            String echoed;
            try {
              echoed = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
              throw new AssertionError("reading failed; kubectl said: " + Files.readString(log), e);
            }
            assertThat(echoed).as("kubectl said: %s", Files.readString(log)).isEqualTo(message);
          }
        }
        assertThat(process.isAlive()).isTrue();
      } finally {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
