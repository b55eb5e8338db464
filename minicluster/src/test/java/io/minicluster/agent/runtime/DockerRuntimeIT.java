package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.agent.oom.MemoryCgroups;
import io.minicluster.agent.oom.OomKill;
import io.minicluster.agent.oom.OomWatcher;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link DockerRuntime} against the real engine. Fails (does not skip) without Docker. Everything it creates carries
 * a per-run pod uid label, lives on a per-run network and is removed afterwards.
 */
class DockerRuntimeIT {
  private static final String BUSYBOX = "minicluster-test/busybox:1";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static DockerRuntime runtime;
  private static OomWatcher oomWatcher;
  private static String networkName;
  private static Ipv4Cidr cidr;
  private static final List<String> created = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void setUp() throws Exception {
    buildTestImages();
    networkName = "minicluster-it-" + RUN;
    oomWatcher = OomWatcher.forHost(Clock.systemUTC());
    oomWatcher.start();
    runtime = DockerRuntime.connect(DockerRuntimeConfig.defaults(System.getenv())
        .withNetworkName(networkName)
        .withSandboxImage("127.0.0.1:1/minicluster/pause:never-pullable-" + RUN)
        .withPullTimeout(Duration.ofSeconds(60)), oomWatcher);
    assertThat(runtime.ping()).as("Docker engine must be reachable").isTrue();
    for (int attempt = 0; ; attempt++) {
      cidr = Ipv4Cidr.parse("10." + (200 + ThreadLocalRandom.current().nextInt(50)) + "."
          + ThreadLocalRandom.current().nextInt(256) + ".0/24");
      try {
        runtime.ensureNetwork(cidr.toString());
        break;
      } catch (ContainerRuntimeException overlapping) {
        if (attempt == 5) {
          throw overlapping;
        }
      }
    }
  }

  @AfterAll
  static void tearDown() {
    if (runtime == null) {
      return;
    }
    for (ContainerSummary container : runtime.listContainers(Map.of("test.minicluster.run", RUN))) {
      runtime.removeContainer(container.id());
    }
    for (String id : created) {
      runtime.removeContainer(id);
    }
    assertThat(runtime.listContainers(Map.of("test.minicluster.run", RUN))).isEmpty();
    try {
      new ProcessBuilder("docker", "network", "rm", networkName).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException exception) {
      throw new AssertionError(exception);
    }
    runtime.close();
    // the watcher's reader waits in a read of /dev/kmsg once it has read every kept record: close must end it
    oomWatcher.close();
    try {
      await("kernel log reader ended", Duration.ofSeconds(5), () -> !oomWatcher.followsKernelLog());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs src/test/images/build-images.sh (idempotent, about a second the first time). */
  private static void buildTestImages() throws IOException, InterruptedException {
    Path script = Paths.get("src/test/images/build-images.sh");
    if (!Files.exists(script)) {
      script = Paths.get("minicluster/src/test/images/build-images.sh");
    }
    Process process = new ProcessBuilder("sh", script.toString()).inheritIO().start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("build-images.sh exit code").isZero();
  }

  private static SandboxSpec.Builder pod(String name) {
    return SandboxSpec.builder("uid-" + RUN + "-" + name, name, "it").configHash("h1");
  }

  private static ContainerSpec.Builder container(SandboxSpec sandbox, SandboxInfo info, String name) {
    return ContainerSpec.builder(sandbox.podUid(), sandbox.podName(), sandbox.podNamespace(), name)
        .sandboxId(info.id())
        .image(BUSYBOX)
        .extraLabels(Map.of("test.minicluster.run", RUN));
  }

  private static SandboxInfo run(SandboxSpec spec) {
    SandboxInfo info = runtime.runSandbox(spec);
    created.add(info.id());
    return info;
  }

  private static String start(ContainerSpec spec) {
    String id = runtime.createContainer(spec);
    created.add(id);
    runtime.startContainer(id);
    return id;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static ContainerStatus awaitExit(String id) throws InterruptedException {
    await("exit of " + id, Duration.ofSeconds(20),
        () -> runtime.inspect(id).map(status -> status.state() == ContainerState.EXITED).orElse(false));
    return runtime.inspect(id).orElseThrow();
  }

  @Test
  void engineInfoAndNetworkReuse() {
    EngineInfo info = runtime.info();
    assertThat(info.engineVersion()).isNotEmpty();
    assertThat(info.cpus()).isPositive();
    assertThat(info.memoryBytes()).isPositive();
    assertThat(info.runtimeVersion()).startsWith("docker://");
    runtime.ensureNetwork(cidr.toString());
  }

  @Test
  void sandboxGetsPodIpReachableFromHostAndContainersShareLocalhost() throws Exception {
    runtime.ensureSandboxImage();
    SandboxSpec spec = pod("web").hostname("webhost").extraHosts(List.of("db.example:10.1.2.3"))
        .dnsSearches(List.of("it.svc.cluster.local")).dnsOptions(List.of("ndots:5")).build();
    long started = System.nanoTime();
    SandboxInfo sandbox = run(spec);
    assertThat(cidr.contains(sandbox.ipAddress())).as(sandbox.ipAddress()).isTrue();
    String server = start(container(spec, sandbox, "server")
        .command(List.of("sh", "-c"))
        .args(List.of("mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www"))
        .build());
    long startedMillis = (System.nanoTime() - started) / 1_000_000;
    HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(null))
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + sandbox.ipAddress() + ":8080/")).build();
    String body = null;
    for (int attempt = 0; attempt < 100 && body == null; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          body = response.body();
        }
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    long reachableMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("sandbox+container started in " + startedMillis + " ms, HTTP answered after "
        + reachableMillis + " ms");
    assertThat(body).isEqualTo("hello-webhost\n");

    String client = start(container(spec, sandbox, "client")
        .command(List.of("sh", "-c", "wget -q -O - http://localhost:8080/; cat /etc/hosts /etc/resolv.conf"))
        .restartCount(3)
        .build());
    ContainerStatus clientStatus = awaitExit(client);
    assertThat(clientStatus.exitCode()).isZero();
    assertThat(clientStatus.restartCount()).isEqualTo(3);
    assertThat(clientStatus.labels()).containsEntry(RuntimeLabels.CONTAINER_NAME, "client");
    StringBuilder log = new StringBuilder();
    runtime.logs(client, LogOptions.ALL, frame -> log.append(frame.text())).completion().get(10, TimeUnit.SECONDS);
    assertThat(log.toString()).contains("hello-webhost").contains("db.example").contains("ndots:5")
        .contains("it.svc.cluster.local");

    ContainerStatus sandboxStatus = runtime.inspect(sandbox.id()).orElseThrow();
    assertThat(sandboxStatus.sandbox()).isTrue();
    assertThat(sandboxStatus.ipAddress()).isEqualTo(sandbox.ipAddress());
    assertThat(sandboxStatus.state()).isEqualTo(ContainerState.RUNNING);
    assertThat(runtime.listContainers(Map.of(RuntimeLabels.POD_UID, spec.podUid())))
        .extracting(ContainerSummary::id).containsExactlyInAnyOrder(sandbox.id(), server, client);

    runtime.stopContainer(server, 5);
    assertThat(runtime.inspect(server).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    runtime.stopSandbox(sandbox.id());
    assertThat(runtime.inspect(sandbox.id()).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    runtime.removeContainer(sandbox.id());
    runtime.removeContainer(sandbox.id());
    assertThat(runtime.inspect(sandbox.id())).isEmpty();
  }

  @Test
  void thePodsResolvConfIsEveryContainersAndOutlivesARestartOfTheSandbox() throws Exception {
    runtime.ensureSandboxImage();
    SandboxSpec spec = pod("resolver").dnsServers(List.of("192.0.2.10")).dnsSearches(List.of("it.svc.cluster.local"))
        .dnsOptions(List.of("ndots:5")).build();
    String expected = "search it.svc.cluster.local\nnameserver 192.0.2.10\noptions ndots:5\n";
    SandboxInfo sandbox = run(spec);
    String first = start(container(spec, sandbox, "first").command(List.of("cat", "/etc/resolv.conf")).build());
    awaitExit(first);
    // the engine's own file would name its embedded resolver, 127.0.0.11
    assertThat(logsOf(first)).isEqualTo(expected);

    runtime.stopSandbox(sandbox.id());
    SandboxInfo again = runtime.startSandbox(sandbox.id(), sandbox.ipAddress());
    String second = start(container(spec, again, "second").command(List.of("cat", "/etc/resolv.conf")).build());
    awaitExit(second);
    assertThat(logsOf(second)).isEqualTo(expected);
  }

  @Test
  void localPauseImageIsBuiltWhenTheConfiguredOneCannotBePulled() {
    String image = runtime.ensureSandboxImage();
    assertThat(image).isEqualTo(DockerRuntimeConfig.DEFAULT_LOCAL_SANDBOX_IMAGE);
    assertThat(runtime.imagePresent(image)).isTrue();
  }

  @Test
  void exitCodesEventsAndOomKill() throws Exception {
    List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    SandboxSpec spec = pod("exits").build();
    try (Closeable subscription = runtime.events(events::add)) {
      Thread.sleep(300);
      SandboxInfo sandbox = run(spec);
      String failing = start(container(spec, sandbox, "failing").command(List.of("sh", "-c", "exit 3")).build());
      Instant before = Instant.now();
      ContainerStatus status = awaitExit(failing);
      assertThat(status.exitCode()).isEqualTo(3);
      assertThat(status.oomKilled()).isFalse();
      assertThat(status.startedAt()).isNotNull();
      assertThat(status.finishedAt()).isNotNull();
      await("die event", Duration.ofSeconds(3), () -> events.stream().anyMatch(event ->
          event.type() == RuntimeEvent.Type.DIE && event.containerId().equals(failing) && event.exitCode() == 3));
      assertThat(events).anyMatch(event -> event.type() == RuntimeEvent.Type.START
          && event.containerId().equals(sandbox.id()) && event.podUid().equals(spec.podUid()));
      System.out.println("die event within " + Duration.between(before, Instant.now()).toMillis() + " ms of exit");

      String hungry = start(container(spec, sandbox, "hungry")
          .command(List.of("sh", "-c", "tail /dev/zero"))
          .resources(new ResourceSpec(100, 500, 8 * 1024 * 1024, 0))
          .build());
      ContainerStatus oom = awaitExit(hungry);
      assertThat(oom.oomKilled()).isTrue();
      assertThat(oom.exitCode()).isEqualTo(137);
      await("oom event", Duration.ofSeconds(3), () -> events.stream()
          .anyMatch(event -> event.type() == RuntimeEvent.Type.OOM && event.containerId().equals(hungry)));
      // the kernel's own report names the container, whatever the engine says (some engines miss OOM kills)
      assertThat(oomWatcher.followsKernelLog()).isTrue();
      await("kernel OOM report", Duration.ofSeconds(3), () -> oomWatcher.killed(hungry).isPresent());
      assertThat(oomWatcher.killed(hungry).orElseThrow()).satisfies(kill -> {
        assertThat(kill.processName()).isEqualTo("tail");
        assertThat(kill.pid()).isPositive();
        assertThat(kill.systemWide()).isFalse();
      });

      String missing = runtime.createContainer(container(spec, sandbox, "missing")
          .command(List.of("/no/such/binary")).build());
      created.add(missing);
      assertThatThrownBy(() -> runtime.startContainer(missing)).isInstanceOf(ContainerRuntimeException.class)
          .hasMessageContaining("no/such/binary");
      assertThat(runtime.inspect(missing).orElseThrow().error()).contains("no/such/binary");
    }
  }

  @Test
  void aContainerWhoseChildIsOomKilledKeepsRunningAndTheKillIsKnown() throws Exception {
    SandboxSpec spec = pod("child-oom").build();
    SandboxInfo sandbox = run(spec);
    // tail keeps a line that never ends: it alone outgrows the limit; the shell goes on sleeping
    String id = start(container(spec, sandbox, "survivor")
        .command(List.of("sh", "-c", "head -c 100m /dev/zero | tail; echo survived; exec sleep 3600"))
        .resources(new ResourceSpec(100, 500, 16 * 1024 * 1024, 0))
        .build());
    await("kernel OOM report", Duration.ofSeconds(20), () -> oomWatcher.killed(id).isPresent());
    assertThat(oomWatcher.killed(id).orElseThrow().processName()).isEqualTo("tail");
    await("survived", Duration.ofSeconds(10), () -> logsOf(id).contains("survived"));
    ContainerStatus status = runtime.inspect(id).orElseThrow();
    assertThat(status.running()).isTrue();
    assertThat(status.oomKilled()).isTrue();

    // where the kernel log cannot be read, the memory cgroup's counter of the running container tells
    OomWatcher countersOnly = new OomWatcher(() -> {
      throw new IOException("the kernel log is withheld by this test");
    }, MemoryCgroups.host(), Clock.systemUTC());
    countersOnly.start();
    assertThat(countersOnly.followsKernelLog()).isFalse();
    assertThat(countersOnly.killed(id)).isEmpty();
    countersOnly.sampleRunning(id, status.pid());
    assertThat(countersOnly.killed(id)).map(OomKill::containerId).contains(id);
    countersOnly.close();
  }

  private static String logsOf(String id) {
    StringBuilder text = new StringBuilder();
    try {
      runtime.logs(id, LogOptions.ALL, frame -> text.append(frame.text())).completion().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return text.toString();
  }

  @Test
  void logsWithTailAndTimestampsAndLimit() throws Exception {
    SandboxSpec spec = pod("logs").build();
    SandboxInfo sandbox = run(spec);
    String id = start(container(spec, sandbox, "printer")
        .command(List.of("sh", "-c", "echo oops >&2; sleep 0.3; for i in 1 2 3 4 5; do echo line$i; done")).build());
    awaitExit(id);
    List<StreamFrame> frames = new CopyOnWriteArrayList<>();
    runtime.logs(id, new LogOptions(false, 2, null, true, 0), frames::add).completion().get(10, TimeUnit.SECONDS);
    String text = frames.stream().map(StreamFrame::text).reduce("", String::concat);
    assertThat(text.lines().toList()).hasSize(2).allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z line[45]"));
    List<StreamFrame> all = new CopyOnWriteArrayList<>();
    runtime.logs(id, LogOptions.ALL, all::add).completion().get(10, TimeUnit.SECONDS);
    assertThat(all).anyMatch(frame -> frame.kind() == StreamFrame.Kind.STDERR && frame.text().equals("oops\n"));

    StringBuilder limited = new StringBuilder();
    runtime.logs(id, new LogOptions(false, -1, null, false, 8), frame -> limited.append(frame.text()))
        .completion().get(10, TimeUnit.SECONDS);
    assertThat(limited.toString()).isEqualTo("oops\nlin");

    String longLine = start(container(spec, sandbox, "long")
        .command(List.of("sh", "-c", "head -c 40000 /dev/zero | tr '\\0' a; echo; echo after")).build());
    awaitExit(longLine);
    StringBuilder stamped = new StringBuilder();
    runtime.logs(longLine, new LogOptions(false, -1, null, true, 0), frame -> stamped.append(frame.text()))
        .completion().get(10, TimeUnit.SECONDS);
    List<String> stampedLines = stamped.toString().lines().toList();
    assertThat(stampedLines).hasSize(2);
    assertThat(stampedLines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z a{40000}");
    assertThat(stampedLines.get(1)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z after");
    StringBuilder plain = new StringBuilder();
    runtime.logs(longLine, LogOptions.ALL, frame -> plain.append(frame.text())).completion().get(10, TimeUnit.SECONDS);
    assertThat(plain.toString()).isEqualTo("a".repeat(40000) + "\nafter\n");

    String stampedText = text;
    Instant secondLine = Instant.parse(stampedText.lines().toList().get(1).split(" ")[0]);
    StringBuilder since = new StringBuilder();
    runtime.logs(id, new LogOptions(false, -1, secondLine, false, 0), frame -> since.append(frame.text()))
        .completion().get(10, TimeUnit.SECONDS);
    assertThat(since.toString()).as("sinceTime is exact").isEqualTo("line5\n");

    String follower = start(container(spec, sandbox, "ticker")
        .command(List.of("sh", "-c", "i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done")).build());
    List<String> followed = new CopyOnWriteArrayList<>();
    StreamSession session = runtime.logs(follower, new LogOptions(true, -1, null, false, 0),
        frame -> followed.add(frame.text()));
    await("followed ticks", Duration.ofSeconds(5), () -> String.join("", followed).contains("tick3"));
    session.close();
    session.completion().get(5, TimeUnit.SECONDS);
  }

  @Test
  void execWithStdinAndExitCode() throws Exception {
    SandboxSpec spec = pod("exec").build();
    SandboxInfo sandbox = run(spec);
    String id = start(container(spec, sandbox, "main").command(List.of("sleep", "600")).build());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    InteractiveSession session = runtime.exec(id, List.of("sh", "-c", "read line; echo $line | tr a-z A-Z; exit 7"), false, true,
        frame -> output.writeBytes(frame.payload()));
    OutputStream stdin = session.stdin();
    stdin.write("hello exec\n".getBytes(StandardCharsets.UTF_8));
    stdin.close();
    assertThat(session.exitCode().get(10, TimeUnit.SECONDS)).isEqualTo(7);
    assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("HELLO EXEC\n");

    List<StreamFrame> frames = new CopyOnWriteArrayList<>();
    InteractiveSession noStdin = runtime.exec(id, List.of("sh", "-c", "echo out; echo err >&2"), false, false,
        frames::add);
    assertThat(noStdin.exitCode().get(10, TimeUnit.SECONDS)).isZero();
    assertThat(frames).anyMatch(frame -> frame.kind() == StreamFrame.Kind.STDERR && frame.text().equals("err\n"));

    ByteArrayOutputStream ttyOutput = new ByteArrayOutputStream();
    InteractiveSession tty = runtime.exec(id, List.of("sh"), true, true,
        frame -> ttyOutput.writeBytes(frame.payload()));
    tty.resize(100, 40);
    tty.stdin().write("stty size; exit 5\n".getBytes(StandardCharsets.UTF_8));
    assertThat(tty.exitCode().get(10, TimeUnit.SECONDS)).isEqualTo(5);
    assertThat(ttyOutput.toString(StandardCharsets.UTF_8)).contains("40 100");
    tty.close();
  }

  /** Collects a session's output per stream. */
  private static final class Output implements FrameSink {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void accept(StreamFrame frame) {
      threads.add(Thread.currentThread().getName());
      (frame.kind() == StreamFrame.Kind.STDERR ? stderr : stdout).writeBytes(frame.payload());
    }

    synchronized String stdout() {
      return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] stdoutBytes() {
      return stdout.toByteArray();
    }

    synchronized String stderr() {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  private static String execTarget(String name) {
    SandboxSpec spec = pod(name).build();
    SandboxInfo sandbox = run(spec);
    return start(container(spec, sandbox, "main").command(List.of("sleep", "600")).build());
  }

  @Test
  void closingStdinGivesEndOfFileToCat() throws Exception {
    String id = execTarget("cat");
    Output output = new Output();
    InteractiveSession session = runtime.exec(id, List.of("cat"), false, true, output);
    session.stdin().write("first line\nno newline at the end".getBytes(StandardCharsets.UTF_8));
    session.stdin().close();
    session.completion().get(20, TimeUnit.SECONDS);
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isZero();
    assertThat(output.stdout()).isEqualTo("first line\nno newline at the end");
    assertThat(output.stderr()).isEmpty();
    assertThat(output.threads).allMatch(name -> name.startsWith("docker-exec-"));
    assertThatThrownBy(() -> session.stdin().write(1)).isInstanceOf(IOException.class);

    Output noInput = new Output();
    InteractiveSession empty = runtime.exec(id, List.of("sh", "-c", "wc -c; exit 4"), false, true, noInput);
    empty.stdin().close();
    assertThat(empty.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(noInput.stdout().trim()).isEqualTo("0");
  }

  @Test
  void readSeesEndOfFileAndExitCodeIsReported() throws Exception {
    String id = execTarget("read");
    Output output = new Output();
    InteractiveSession session = runtime.exec(id, List.of("sh", "-c", "read x; echo got $x; read y || echo eof; exit 4"),
        false, true, output);
    session.stdin().write("partial".getBytes(StandardCharsets.UTF_8));
    session.stdin().flush();
    Thread.sleep(200);
    assertThat(session.completion()).isNotDone();
    session.stdin().close();
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(output.stdout()).isEqualTo("got partial\neof\n");
  }

  @Test
  void stdoutAndStderrStaySeparateWithoutTty() throws Exception {
    String id = execTarget("streams");
    Output output = new Output();
    InteractiveSession session = runtime.exec(id,
        List.of("sh", "-c", "i=0; while [ $i -lt 300 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done"),
        false, false, output);
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isZero();
    StringBuilder expectedOut = new StringBuilder();
    StringBuilder expectedErr = new StringBuilder();
    for (int index = 0; index < 300; index++) {
      expectedOut.append("out").append(index).append('\n');
      expectedErr.append("err").append(index).append('\n');
    }
    assertThat(output.stdout()).isEqualTo(expectedOut.toString());
    assertThat(output.stderr()).isEqualTo(expectedErr.toString());
    assertThatThrownBy(() -> session.stdin().write(1)).isInstanceOf(IOException.class);
  }

  @Test
  void ttyExecIsRawResizableAndMergesStderr() throws Exception {
    String id = execTarget("tty");
    List<StreamFrame> frames = new CopyOnWriteArrayList<>();
    InteractiveSession session = runtime.exec(id, List.of("sh"), true, true, frames::add);
    session.resize(123, 45);
    session.stdin().write("stty size; echo to-stderr >&2\n".getBytes(StandardCharsets.UTF_8));
    await("stty output", Duration.ofSeconds(10),
        () -> frames.stream().map(StreamFrame::text).reduce("", String::concat).contains("to-stderr\r\n"));
    session.resize(90, 30);
    session.stdin().write("stty size; exit 6\n".getBytes(StandardCharsets.UTF_8));
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(6);
    String text = frames.stream().map(StreamFrame::text).reduce("", String::concat);
    assertThat(text).contains("45 123\r\n").contains("30 90\r\n");
    assertThat(frames).allMatch(frame -> frame.kind() == StreamFrame.Kind.STDOUT);
    session.close();
  }

  @Test
  void fiveMegabytesRoundTripThroughCat() throws Exception {
    String id = execTarget("bulk");
    byte[] input = new byte[5 * 1024 * 1024];
    new Random(42).nextBytes(input);
    Output output = new Output();
    InteractiveSession session = runtime.exec(id, List.of("cat"), false, true, output);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int offset = 0; offset < input.length; offset += 64 * 1024) {
          session.stdin().write(input, offset, Math.min(64 * 1024, input.length - offset));
        }
        session.stdin().close();
      } catch (IOException exception) {
        throw new UncheckedIOException(exception);
      }
    });
    long started = System.nanoTime();
    writer.get(60, TimeUnit.SECONDS);
    assertThat(session.exitCode().get(60, TimeUnit.SECONDS)).isZero();
    System.out.println("5 MiB through cat in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertThat(output.stdoutBytes()).hasSize(input.length);
    assertThat(Arrays.equals(output.stdoutBytes(), input)).as("round trip is byte-identical").isTrue();
  }

  @Test
  void closingARunningExecEndsTheSession() throws Exception {
    String id = execTarget("close");
    Output output = new Output();
    InteractiveSession session = runtime.exec(id, List.of("sh", "-c", "echo started; sleep 30"), false, true, output);
    await("started", Duration.ofSeconds(10), () -> output.stdout().contains("started"));
    session.close();
    session.completion().get(5, TimeUnit.SECONDS);
    assertThat(session.exitCode().get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    await("reader thread end", Duration.ofSeconds(5), () -> !((HijackedSession) session).readerAlive());
    assertThatThrownBy(() -> session.stdin().write(1)).isInstanceOf(IOException.class);
  }

  @Test
  void execInAStoppedContainerFails() throws Exception {
    SandboxSpec spec = pod("stopped").build();
    SandboxInfo sandbox = run(spec);
    String id = runtime.createContainer(container(spec, sandbox, "never").command(List.of("true")).build());
    created.add(id);
    assertThatThrownBy(() -> runtime.exec(id, List.of("true"), false, false, frame -> { }))
        .isInstanceOf(ContainerRuntimeException.class);
    assertThatThrownBy(() -> runtime.attach(id, false, frame -> { }))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessageContaining("not running");
    String exited = start(container(spec, sandbox, "exited").command(List.of("true")).build());
    awaitExit(exited);
    assertThatThrownBy(() -> runtime.attach(exited, true, frame -> { }))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessageContaining("not running");
    assertThatThrownBy(() -> runtime.attach("minicluster-no-such-container-" + RUN, true, frame -> { }))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessageContaining("not found");
  }

  @Test
  void attachClosingStdinOfAStdinOnceContainerEndsItsInput() throws Exception {
    SandboxSpec spec = pod("attach-eof").build();
    SandboxInfo sandbox = run(spec);
    String id = start(container(spec, sandbox, "cat").command(List.of("sh", "-c", "cat; echo done >&2; exit 3"))
        .stdin(true).stdinOnce(true).build());
    Output output = new Output();
    InteractiveSession session = runtime.attach(id, true, output);
    session.stdin().write("one\ntwo".getBytes(StandardCharsets.UTF_8));
    session.stdin().close();
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(output.stdout()).isEqualTo("one\ntwo");
    assertThat(output.stderr()).isEqualTo("done\n");
    assertThat(awaitExit(id).exitCode()).isEqualTo(3);
  }

  @Test
  void attachClosingStdinOfAReusableStdinDetachesWithoutStoppingTheContainer() throws Exception {
    SandboxSpec spec = pod("attach-detach").build();
    SandboxInfo sandbox = run(spec);
    String id = start(container(spec, sandbox, "cat").command(List.of("cat")).stdin(true).build());
    Output output = new Output();
    InteractiveSession session = runtime.attach(id, true, output);
    session.stdin().write("echoed\n".getBytes(StandardCharsets.UTF_8));
    await("echo", Duration.ofSeconds(10), () -> output.stdout().equals("echoed\n"));
    session.stdin().close();
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(runtime.inspect(id).orElseThrow().running()).isTrue();

    Output again = new Output();
    InteractiveSession second = runtime.attach(id, true, again);
    second.stdin().write("still there\n".getBytes(StandardCharsets.UTF_8));
    await("second echo", Duration.ofSeconds(10), () -> again.stdout().equals("still there\n"));
    second.close();
    assertThat(second.exitCode().get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(runtime.inspect(id).orElseThrow().running()).isTrue();
  }

  @Test
  void attachWithoutOpenStdinRejectsWrites() throws Exception {
    SandboxSpec spec = pod("attach-out").build();
    SandboxInfo sandbox = run(spec);
    String id = start(container(spec, sandbox, "talker")
        .command(List.of("sh", "-c", "sleep 0.5; echo hi; echo oops >&2; exit 2")).build());
    Output output = new Output();
    InteractiveSession session = runtime.attach(id, true, output);
    assertThatThrownBy(() -> session.stdin().write(1)).isInstanceOf(IOException.class);
    assertThat(session.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(output.stdout()).isEqualTo("hi\n");
    assertThat(output.stderr()).isEqualTo("oops\n");
  }

  @Test
  void attachToStdinContainer() throws Exception {
    SandboxSpec spec = pod("attach").build();
    SandboxInfo sandbox = run(spec);
    String id = start(container(spec, sandbox, "reader").command(List.of("sh", "-c", "read line; echo got:$line"))
        .stdin(true).stdinOnce(true).build());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    InteractiveSession session = runtime.attach(id, true, frame -> output.writeBytes(frame.payload()));
    Thread.sleep(200);
    session.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
    session.stdin().flush();
    assertThat(session.exitCode().get(10, TimeUnit.SECONDS)).isZero();
    assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("got:ping\n");
  }

  @Test
  void fixedIpHostPortAndImages() throws Exception {
    String fixedIp = Ipv4Cidr.format(cidr.address() + 200);
    int hostPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
    SandboxSpec spec = pod("fixed").ipAddress(fixedIp).portMappings(List.of(PortMapping.tcp(8080, hostPort))).build();
    SandboxInfo sandbox = run(spec);
    assertThat(sandbox.ipAddress()).isEqualTo(fixedIp);
    start(container(spec, sandbox, "server").command(List.of("httpd", "-f", "-p", "8080", "-h", "/etc")).build());
    HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(null)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/passwd")).build();
    Optional<String> body = Optional.empty();
    for (int attempt = 0; attempt < 100 && body.isEmpty(); attempt++) {
      try {
        body = Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    assertThat(body).hasValueSatisfying(text -> assertThat(text).contains("root:x:0:0"));

    assertThat(runtime.imagePresent("mongo")).isTrue();
    assertThat(runtime.imageId("docker.io/library/mongo:latest")).isEqualTo(runtime.imageId("mongo"));
    assertThat(runtime.imagePresent("minicluster-test/absent:1")).isFalse();
    assertThatThrownBy(() -> runtime.pullImage("127.0.0.1:1/minicluster/absent:" + RUN, Optional.empty()))
        .isInstanceOf(ImagePullException.class)
        .satisfies(failure -> assertThat(((ImagePullException) failure).engineMessage()).isNotBlank());
  }
}
