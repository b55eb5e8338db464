package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.e2e.ReadmeTutorial.Mark;
import io.minicluster.e2e.ReadmeTutorial.Step;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tutorial as a user types it: every command block of the {@code ## Tutorial} section (see {@link
 * ReadmeTutorial}) runs in order, each as one bash script, and prints the lines the README shows after it (see
 * {@link ExpectedOutput}). The cluster is the appliance's background service ({@code minicluster start}) with a
 * configuration file, data directory, pod network and ports of the test's own, the node named {@value #NODE_NAME}
 * as in the README, and the registry-free stand-ins for {@code mongo} and {@code meteorhacks/telescope}. The
 * commands find, first on their PATH:
 *
 * <ul>
 *   <li>{@code kubectl}: the kubectl under test (1.35), with the admin kubeconfig as the installer would merge it;
 *   <li>{@code minicluster}: the built jar with this test's configuration and pid file where the installed command
 *       reads {@code /etc/minicluster/config.yaml} and {@code /run/minicluster.pid};
 *   <li>{@code sudo}: runs the command (the test may not have sudo; the service is its own);
 *   <li>{@code chromium}: the real Chromium with what it needs to run here (no sandbox as root, a profile of its
 *       own; an error page is loaded again, up to three times, as a user reloads).
 * </ul>
 *
 * The README's fixed values are mapped to the test's: the gateway {@code 127.0.0.1:1080} and API {@code
 * 127.0.0.1:6443} to the test's ports, the Dockerfile's {@code busybox:1.37} to the local busybox image (no
 * registry here), and the tags the tutorial makes ({@code app:dev}, {@code telescope:v2}) to tags of this run, which
 * are removed at the end. Blocks marked for a workstation (the {@code ssh -L} line), and the installer's scripts (tested
 * with the installer) are not run, and their number is fixed here, so that no other
 * block can be skipped unnoticed. At the end {@code minicluster uninstall --purge} (what {@code uninstall.sh} calls)
 * removes the test's pods, network and state. Fails, never skips, without Docker, kubectl, curl or Chromium.
 */
class ReadmeWalkthroughIT {
  private static final String NODE_NAME = "vm";
  /** How many blocks are not run, by reason: exactly these. */
  static final Map<Mark, Integer> NOT_RUN = Map.of(Mark.SKIP_WORKSTATION, 1, Mark.SKIP_INSTALLER, 1);
  private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(240);

  @TempDir
  Path temporary;

  @Test
  void everyCommandOfTheTutorialRunsAndPrintsWhatTheReadmeShows() throws Exception {
    List<Step> steps = ReadmeTutorial.steps(ReadmeTutorial.readme());
    Map<Mark, List<Step>> notRun = new EnumMap<>(Mark.class);
    steps.forEach(step -> step.mark().ifPresent(mark -> notRun.computeIfAbsent(mark, any -> new ArrayList<>())
        .add(step)));
    Map<Mark, Integer> notRunCounts = new EnumMap<>(Mark.class);
    notRun.forEach((mark, marked) -> notRunCounts.put(mark, marked.size()));
    assertThat(notRunCounts).as("blocks the walkthrough does not run, by mark: %s", notRun).isEqualTo(NOT_RUN);
    List<Step> toRun = steps.stream().filter(step -> step.mark().isEmpty()).toList();
    assertThat(toRun).as("command blocks of the tutorial").hasSizeGreaterThan(10);

    String kubectlBinary = Kubectl.binary();
    HostTools.requireDocker();
    HostTools.requireCurl();
    assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is required at %s (or set CHROMIUM)", CHROMIUM).isTrue();
    HostTools.ensureTestImages();

    String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    String network = "minicluster-walkthrough-" + run;
    int apiPort = DaemonProcess.freePort();
    int socksPort = DaemonProcess.freePort();
    Appliance appliance = new Appliance(temporary.resolve("appliance"), """
        api-port: %d
        bind-address: 127.0.0.1
        socks-port: %d
        node-name: %s
        pod-network: %s
        pod-cidr: %s
        offline: true
        """.formatted(apiPort, socksPort, NODE_NAME, network, HostTools.freeSubnet()));
    Map<String, String> substitutions = new LinkedHashMap<>();
    substitutions.put("127.0.0.1:1080", "127.0.0.1:" + socksPort);
    substitutions.put("127.0.0.1:6443", "127.0.0.1:" + apiPort);
    substitutions.put("busybox:1.37", "minicluster-test/busybox:1");
    substitutions.put("app:dev", "walkthrough-app-" + run + ":dev");
    substitutions.put("telescope:v2", "walkthrough-telescope-" + run + ":v2");

    List<String> problems = new ArrayList<>();
    try {
      appliance.start().assertOk("minicluster start");
      Kubectl kubectl = appliance.kubectl();
      HostTools.waitUntil("node " + NODE_NAME + " is Ready", Duration.ofSeconds(60),
          () -> "True".equals(kubectl.run("get", "node", NODE_NAME, "-o",
              "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout().trim()));
      Path work = Files.createDirectories(temporary.resolve("work"));
      copyExamples(work.resolve("examples"));
      Path bin = commands(kubectlBinary, appliance);
      for (Step step : toRun) {
        runStep(step, substitutions, work, bin, appliance);
      }
      System.out.printf("README walkthrough: ran %d command blocks; not run: %s%n", toRun.size(),
          notRun.entrySet().stream().map(entry -> entry.getKey().word() + " " + entry.getValue().stream()
              .map(Step::where).toList()).toList());
    } finally {
      problems.addAll(cleanUp(appliance, network, substitutions));
    }
    assertThat(problems).as("cleanup").isEmpty();
  }

  private static void runStep(Step step, Map<String, String> substitutions, Path work, Path bin, Appliance appliance)
      throws Exception {
    String script = substitute(step.script(), substitutions);
    List<String> expected = step.expected().stream().map(line -> substitute(line, substitutions)).toList();
    Path output = Files.createTempFile("walkthrough", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-c", script).directory(work.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> environment = builder.environment();
      Stream.of("http_proxy", "https_proxy", "all_proxy", "no_proxy").forEach(name -> {
        environment.remove(name);
        environment.remove(name.toUpperCase(Locale.ROOT));
      });
      environment.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      environment.put("KUBECONFIG", appliance.kubeconfig().toString());
      environment.put("HOME", Files.createDirectories(work.resolveSibling("home")).toString());
      long started = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(step.where() + " did not finish within " + STEP_TIMEOUT + ":\n" + script
            + "\noutput:\n" + Files.readString(output));
      }
      String text = Files.readString(output);
      System.out.printf("--- %s, %d ms, exit %d%n%s--- output%n%s", step.where(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), process.exitValue(), script, text);
      assertThat(process.exitValue()).as("exit code of %s:%n%s%noutput:%n%s", step.where(), script, text).isZero();
      Optional<String> missing = ExpectedOutput.firstMissing(expected, text);
      assertThat(missing).as("output of %s:%n%s%noutput:%n%s", step.where(), script, text).isEmpty();
    } finally {
      Files.deleteIfExists(output);
    }
  }

  static String substitute(String text, Map<String, String> substitutions) {
    String result = text;
    for (Map.Entry<String, String> entry : substitutions.entrySet()) {
      result = result.replace(entry.getKey(), entry.getValue());
    }
    return result;
  }

  private static void copyExamples(Path target) throws Exception {
    Path examples = TutorialIT.example("telescope-pod.json").getParent();
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(examples)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The directory put first on the commands' PATH: kubectl, minicluster, sudo and chromium as described above. */
  private Path commands(String kubectlBinary, Appliance appliance) throws Exception {
    Path bin = Files.createDirectories(temporary.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("kubectl"), Paths.get(kubectlBinary).toAbsolutePath());
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    script(bin.resolve("minicluster"), """
        #!/bin/sh
        # the installed minicluster command, with this test's configuration file, pid file and log
        config=%s pid_file=%s log=%s
        command="$1"
        [ $# -gt 0 ] && shift
        case "$command" in
          backup|kubeconfig) set -- "$command" --config "$config" "$@" ;;
          status|restore) set -- "$command" --config "$config" --pid-file "$pid_file" "$@" ;;
          start|uninstall) set -- "$command" --config "$config" --pid-file "$pid_file" --log "$log" "$@" ;;
          stop) set -- stop --pid-file "$pid_file" "$@" ;;
          *) set -- "$command" "$@" ;;
        esac
        exec %s -jar %s "$@"
        """.formatted(quote(appliance.config()), quote(appliance.pidFile()), quote(appliance.log()), quote(java),
        quote(DaemonProcess.jar())));
    script(bin.resolve("sudo"), """
        #!/bin/sh
        exec "$@"
        """);
    Path profile = Files.createDirectories(temporary.resolve("chromium-profile"));
    script(bin.resolve("chromium"), """
        #!/bin/sh
        # headless Chromium needs no sandbox as root and a profile of its own; a loaded machine can make it give up
        # on its first PAC fetch or proxy connection: an error page (or none) is loaded again, as a user reloads
        for attempt in 1 2 3; do
          page="$(%s --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \\
            --disable-background-networking --disable-component-update --disable-sync --disable-quic \\
            --user-data-dir=%s "$@" 2>>%s)" || exit $?
          case "$page" in
            ''|*neterror*) ;;
            *) break ;;
          esac
        done
        printf '%%s\\n' "$page"
        """.formatted(quote(CHROMIUM), quote(profile), quote(temporary.resolve("chromium.log"))));
    return bin;
  }

  private static void script(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A path as one single-quoted shell word. */
  private static String quote(Path path) {
    return quote(path.toAbsolutePath().toString());
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /**
   * {@code minicluster uninstall --purge} of the test's installation (its own pod network: only its pods), then
   * whatever still runs is stopped and the run's images are removed. What went wrong, if anything.
   */
  private static List<String> cleanUp(Appliance appliance, String network, Map<String, String> substitutions)
      throws Exception {
    List<String> problems = new ArrayList<>();
    HostTools.Result uninstall = appliance.uninstallPurge();
    if (uninstall.exitCode() != 0) {
      problems.add("minicluster uninstall --purge failed with " + uninstall.exitCode() + ": " + uninstall.stdout()
          + uninstall.stderr());
    }
    appliance.forceStop();
    if (HostTools.docker("network", "inspect", network).exitCode() == 0) {
      problems.add("the pod network " + network + " is left");
      HostTools.docker("network", "rm", network);
    }
    for (String image : List.of(substitutions.get("app:dev"), substitutions.get("telescope:v2"))) {
      HostTools.docker("image", "rm", image);
    }
    return problems;
  }
}
