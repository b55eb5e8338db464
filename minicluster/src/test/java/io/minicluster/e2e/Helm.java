package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The helm 4 beside kubectl (else on PATH), run against a daemon with its homes in a temporary directory. */
final class Helm {
  private final Map<String, String> environment;
  private final String binary;

  Helm(Path kubeconfig, Path home) {
    this.environment = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", home.toString(),
        "HELM_CACHE_HOME", home.resolve("helm-cache").toString(),
        "HELM_CONFIG_HOME", home.resolve("helm-config").toString(),
        "HELM_DATA_HOME", home.resolve("helm-data").toString());
    String beside = Paths.get(Kubectl.binary()).resolveSibling("helm").toString();
    this.binary = Files.isExecutable(Paths.get(beside)) ? beside : "helm";
  }

  /** One finished helm run: its exit code and its output (stdout and stderr together). */
  record Result(int exitCode, String output) {}

  /** Runs helm with these arguments; fails the test unless it exits 0. */
  String run(String... args) throws Exception {
    Result result = attempt(args);
    assertThat(result.exitCode()).as("helm " + String.join(" ", args) + ": " + result.output()).isZero();
    return result.output();
  }

  /** Runs helm with these arguments, whatever its exit code (for a run that is meant to fail). */
  Result attempt(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("helm finished: " + command).isTrue();
    return new Result(process.exitValue(), output);
  }
}
