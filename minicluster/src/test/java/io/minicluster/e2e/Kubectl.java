package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl against a test daemon. */
public final class Kubectl {
  private final Path kubeconfig;
  private final String binary;

  /** One finished kubectl run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError("kubectl failed with " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  public Kubectl(Path kubeconfig) {
    this(kubeconfig, binary());
  }

  /** Another kubectl binary (e.g. an older release) against the same kubeconfig. */
  public Kubectl(Path kubeconfig, String binary) {
    this.kubeconfig = requireNonNull(kubeconfig, "kubeconfig is null");
    this.binary = requireNonNull(binary, "binary is null");
  }

  /** The kubectl under test: $KUBECTL, else kubectl135 or kubectl on the PATH. */
  public static String binary() {
    String env = System.getenv("KUBECTL");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : List.of("kubectl135", "kubectl")) {
        Path candidate = Paths.get(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new IllegalStateException("kubectl not found: set KUBECTL or put kubectl 1.35 on the PATH");
  }

  public String version() throws IOException, InterruptedException {
    return run(List.of("version", "--client")).stdout();
  }

  public Result run(String... args) throws IOException, InterruptedException {
    return run(List.of(args));
  }

  public Result run(List<String> args) throws IOException, InterruptedException {
    return run(args, null, Map.of(), 120);
  }

  public Result runWithInput(String input, String... args) throws IOException, InterruptedException {
    return run(List.of(args), input, Map.of(), 120);
  }

  public Result run(List<String> args, String input, Map<String, String> environment, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOME", kubeconfig.getParent().toString());
    builder.environment().putAll(environment);
    Path out = Files.createTempFile("kubectl", ".out");
    Path err = Files.createTempFile("kubectl", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + args + " timed out; stdout: " + Files.readString(out) + " stderr: "
          + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return result;
  }

  /** Starts kubectl in the background (e.g. get -w); the caller reads and stops it. */
  public Process start(List<String> args, Path stdout) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOME", kubeconfig.getParent().toString());
    builder.redirectOutput(stdout.toFile()).redirectErrorStream(false);
    return builder.start();
  }
}
