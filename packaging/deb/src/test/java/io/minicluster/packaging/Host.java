package io.minicluster.packaging;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Commands on the test machine, bounded waits, and where the built package and the checkout's files are. */
final class Host {
  private Host() {}

  /** One finished command. */
  record Result(int exitCode, String stdout, String stderr) {
    Result assertOk(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " failed with exit code " + exitCode + "\n--- stdout:\n" + stdout
            + "\n--- stderr:\n" + stderr);
      }
      return this;
    }

    String output() {
      return stdout + stderr;
    }
  }

  /** A condition polled by {@link #waitUntil}. */
  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} every 500 ms until it holds or {@code timeout} passes, then fails naming {@code what}. */
  static void waitUntil(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (Exception | AssertionError e) {
        last = e;
      }
      Thread.sleep(500);
    }
    AssertionError error = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
    if (last != null) {
      error.initCause(last);
    }
    throw error;
  }

  /** Runs a command with a time limit, stdin from {@code input} (or nothing); stdout and stderr captured. */
  static Result run(List<String> command, Path input, long timeoutSeconds) throws IOException, InterruptedException {
    requireNonNull(command, "command is null");
    Path out = Files.createTempFile("packaging-it", ".out");
    Path err = Files.createTempFile("packaging-it", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
              : ProcessBuilder.Redirect.from(input.toFile()))
          .start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
            + " s\n--- stdout:\n" + Files.readString(out) + "\n--- stderr:\n" + Files.readString(err));
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
    return run(Arrays.asList(command), null, timeoutSeconds);
  }

  /** Runs a shell script on this machine; {@code args} are its $1, $2... */
  static Result sh(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    command.addAll(Arrays.asList(args));
    return run(command, null, timeoutSeconds);
  }

  /** A /24 in 10.200.0.0-10.239.255.0 that overlaps no subnet of the engine's networks, for a pod network. */
  static String freeSubnet() throws IOException, InterruptedException {
    String used = sh(60, "ids=$(docker network ls -q); [ -z \"$ids\" ] || docker network inspect --format "
        + "'{{range .IPAM.Config}}{{.Subnet}} {{end}}' $ids").assertOk("the engine's subnets").stdout();
    List<long[]> subnets = new ArrayList<>();
    for (String subnet : used.split("\\s+")) {
      if (subnet.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) {
        subnets.add(ipv4Network(subnet));
      }
    }
    Random random = new Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      String candidate = "10." + (200 + random.nextInt(40)) + "." + random.nextInt(256) + ".0/24";
      long[] network = ipv4Network(candidate);
      if (subnets.stream().noneMatch(other -> {
        int prefix = (int) Math.min(other[1], network[1]);
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (other[0] & mask) == (network[0] & mask);
      })) {
        return candidate;
      }
    }
    throw new AssertionError("no free /24 for a pod network among the engine's subnets: " + used);
  }

  /** An IPv4 network "a.b.c.d/n" as {address, prefix length}. */
  private static long[] ipv4Network(String cidr) {
    String[] parts = cidr.split("/");
    long address = 0;
    for (String octet : parts[0].split("\\.")) {
      address = (address << 8) | Integer.parseInt(octet);
    }
    return new long[] {address, Integer.parseInt(parts[1])};
  }

  static Result docker(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(Arrays.asList(args));
    return run(command, null, timeoutSeconds);
  }

  /** The checkout's root (tests run in packaging/deb under Maven, or at the root from an IDE). */
  static Path checkout() {
    for (Path candidate : List.of(Paths.get("..", ".."), Paths.get("."))) {
      Path root = candidate.toAbsolutePath().normalize();
      if (Files.isRegularFile(root.resolve("installer/install.sh"))
          && Files.isRegularFile(root.resolve("packaging/deb/pom.xml"))) {
        return root;
      }
    }
    throw new IllegalStateException("cannot find the checkout (installer/install.sh) from " + Paths.get(".")
        .toAbsolutePath());
  }

  /** The package mvn package built last: packaging/deb/target/minicluster_VERSION_all.deb. */
  static Path builtPackage() throws IOException {
    Path target = checkout().resolve("packaging/deb/target");
    try (var files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("minicluster_.+_all\\.deb"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(() -> new IllegalStateException("no minicluster_VERSION_all.deb in " + target
              + ": run mvn package"));
    }
  }

  /** Fails unless the Docker CLI and engine answer. */
  static void requireDocker() throws IOException, InterruptedException {
    try {
      docker(60, "version", "--format", "{{.Server.Version}}").assertOk("docker version (a Docker engine is required)");
    } catch (IOException e) {
      throw new AssertionError("the docker CLI is required for this test: " + e.getMessage(), e);
    }
  }

  /** The test images of minicluster/src/test/images, built when one is missing (the script is idempotent). */
  static List<String> testImages() throws IOException, InterruptedException {
    List<String> images = List.of("minicluster-test/busybox:1", "mongo:latest", "meteorhacks/telescope:latest");
    for (String image : images) {
      if (docker(60, "image", "inspect", image).exitCode() != 0) {
        Path script = checkout().resolve("minicluster/src/test/images/build-images.sh");
        run(300, "sh", script.toString()).assertOk("building the test images with " + script);
        break;
      }
    }
    return images;
  }
}
