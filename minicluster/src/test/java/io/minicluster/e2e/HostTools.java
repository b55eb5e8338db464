package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The host programs end-to-end tests drive (docker, curl, a plain HTTP GET) and bounded waits. Every missing tool is
 * a test failure, never a skip.
 */
final class HostTools {
  /** The Docker network every daemon's node agent uses (fixed name, see DockerRuntimeConfig.DEFAULT_NETWORK). */
  static final String POD_NETWORK = "minicluster";
  static final String DEFAULT_POD_CIDR = "10.244.0.0/16";

  private HostTools() {}

  /** One finished host command. */
  record Result(int exitCode, String stdout, String stderr) {
    Result assertOk(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " failed with exit code " + exitCode + "\nstdout: " + stdout + "\nstderr: "
            + stderr);
      }
      return this;
    }
  }

  /** A condition polled by {@link #waitUntil}; {@code describe} says what was seen last, for the failure message. */
  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} every 250 ms until it holds or {@code timeout} passes (then fails naming {@code what}). */
  static void waitUntil(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (Exception | AssertionError e) {
        last = e instanceof Exception exception ? exception : new Exception(e);
      }
      Thread.sleep(250);
    }
    AssertionError error = new AssertionError("timed out after " + timeout + " waiting until " + what);
    if (last != null) {
      error.initCause(last);
    }
    throw error;
  }

  /** Runs a host command with a time limit; stdout and stderr are captured. */
  static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    requireNonNull(command, "command is null");
    Path out = Files.createTempFile("e2e-command", ".out");
    Path err = Files.createTempFile("e2e-command", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s; stdout: "
            + Files.readString(out) + " stderr: " + Files.readString(err));
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Result docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
    return run(command, 120);
  }

  /** Fails unless the Docker CLI and engine answer. */
  static void requireDocker() throws IOException, InterruptedException {
    Result version;
    try {
      version = docker("version", "--format", "{{.Server.Version}}");
    } catch (IOException e) {
      throw new AssertionError("the docker CLI is required for this test: " + e.getMessage(), e);
    }
    version.assertOk("docker version (a Docker engine is required for this test)");
  }

  /** Fails unless curl is installed. */
  static void requireCurl() throws IOException, InterruptedException {
    try {
      run(List.of("curl", "--version"), 30).assertOk("curl --version");
    } catch (IOException e) {
      throw new AssertionError("curl is required for this test: " + e.getMessage(), e);
    }
  }

  /** Builds the registry-free test images when one is missing (build-images.sh is idempotent). */
  static void ensureTestImages() throws IOException, InterruptedException {
    for (String image : List.of("mongo:latest", "meteorhacks/telescope:latest", "minicluster-test/busybox:1",
        "minicluster-test/python-kubernetes:1")) {
      if (docker("image", "inspect", image).exitCode() != 0) {
        Path script = Paths.get("src", "test", "images", "build-images.sh");
        if (!Files.exists(script)) {
          script = Paths.get("minicluster", "src", "test", "images", "build-images.sh");
        }
        run(List.of("sh", script.toString()), 300).assertOk("building the test images with " + script);
        return;
      }
    }
  }

  /**
   * The pod CIDR a test daemon with the node agent must use: the subnet of the existing {@value #POD_NETWORK} Docker
   * network when another daemon (a developer's) already made one — the network name is fixed, and a daemon with
   * another subnet could not start its agent while that network has containers — else the default.
   */
  static String sharedPodCidr() throws IOException, InterruptedException {
    Result inspect = docker("network", "inspect", POD_NETWORK, "--format",
        "{{range .IPAM.Config}}{{.Subnet}} {{end}}");
    if (inspect.exitCode() != 0) {
      return DEFAULT_POD_CIDR;
    }
    String subnets = inspect.stdout().trim();
    return subnets.isEmpty() ? DEFAULT_POD_CIDR : subnets.split("\\s+")[0];
  }

  /**
   * The network namespace of a running pod ({@code /proc/PID/ns/net} of one of its containers, which share the
   * sandbox's), for {@code nsenter --net=...}: what runs there sends and receives as the pod does.
   */
  static String podNetworkNamespace(Kubectl kubectl, String pod) throws Exception {
    String uid = kubectl.run("get", "pod", pod, "-o", "jsonpath={.metadata.uid}").assertOk().stdout().trim();
    List<String> containers = containersOfPod(uid, false);
    if (containers.isEmpty()) {
      throw new AssertionError("pod " + pod + " has no running container");
    }
    String pid = docker("inspect", "-f", "{{.State.Pid}}", containers.get(0)).assertOk("docker inspect").stdout()
        .trim();
    return "/proc/" + pid + "/ns/net";
  }

  /** Engine container IDs (full) carrying the label {@code io.minicluster.pod.uid=<uid>}; running ones unless all. */
  static List<String> containersOfPod(String podUid, boolean all) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("ps", "-q", "--no-trunc", "--filter",
        "label=io.minicluster.pod.uid=" + podUid));
    if (all) {
      args.add(1, "-a");
    }
    String out = docker(args.toArray(new String[0])).assertOk("docker ps").stdout().trim();
    if (out.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(Arrays.asList(out.split("\\s+")));
    Collections.sort(ids);
    return ids;
  }

  static Result curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "10",
        "--noproxy", ""));
    command.addAll(Arrays.asList(args));
    return run(command, 30);
  }

  /** A GET without any proxy (only for loopback and pod IPs of pods the test created). */
  static String httpGet(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(10000);
    try {
      int status = connection.getResponseCode();
      try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
        if (status != 200) {
          throw new IOException("GET " + url + " answered " + status + ": " + text);
        }
        return text;
      }
    } finally {
      connection.disconnect();
    }
  }

  /** An IPv4 address of this host that is not loopback and that {@code wanted} accepts. */
  static InetAddress nonLoopbackHostAddress(Predicate<InetAddress> wanted) throws IOException {
    for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!networkInterface.isUp() || networkInterface.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()
            && wanted.test(address)) {
          return address;
        }
      }
    }
    throw new AssertionError("this host has no non-loopback IPv4 address");
  }

  /** A /24 in 10.200-10.239 that no Docker network on this engine overlaps (for a test's own pod network). */
  static String freeSubnet() throws Exception {
    String ids = docker("network", "ls", "-q").assertOk("docker network ls").stdout().trim();
    List<String> used = new ArrayList<>();
    if (!ids.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("network", "inspect", "--format",
          "{{range .IPAM.Config}}{{.Subnet}} {{end}}"));
      command.addAll(List.of(ids.split("\\s+")));
      for (String subnet : docker(command.toArray(new String[0])).stdout().split("\\s+")) {
        if (subnet.contains(".")) {
          used.add(subnet);
        }
      }
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      String candidate = "10." + ThreadLocalRandom.current().nextInt(200, 240) + "."
          + ThreadLocalRandom.current().nextInt(0, 256) + ".0/24";
      if (used.stream().noneMatch(subnet -> overlaps(subnet, candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("no free /24 for the test's pod network among " + used);
  }

  private static boolean overlaps(String a, String b) {
    long[] first = parse(a);
    long[] second = parse(b);
    long prefix = Math.min(first[1], second[1]);
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (first[0] & mask) == (second[0] & mask);
  }

  private static long[] parse(String cidr) {
    String[] parts = cidr.split("/");
    long address = 0;
    for (String octet : parts[0].split("\\.")) {
      address = address * 256 + Long.parseLong(octet);
    }
    return new long[] {address, Long.parseLong(parts[1])};
  }
}
