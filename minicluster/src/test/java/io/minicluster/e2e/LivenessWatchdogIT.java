package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.health.Liveness;
import io.minicluster.json.Json;
import io.minicluster.pki.Pki;
import io.minicluster.server.FatalErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-only on a stalled core loop: the store's writer thread is stopped (as a thread stuck in a hung disk would
 * be). Once a write has waited for it longer than the liveness limit on two watchdog ticks, the daemon ends with code
 * 70 and a last line naming the stalled loop, instead of living on with writes that never finish; a restart serves
 * every object acknowledged before.
 */
class LivenessWatchdogIT {
  private static final int STALL_SECONDS = 3;

  @TempDir
  Path temp;

  @Test
  void aStalledStoreWriterEndsTheDaemonAndARestartServesEveryAcknowledgedObject() throws Exception {
    Path dataDir = temp.resolve("data");
    List<String> arguments = List.of("--no-node-agent", "--socks-port", "-1");
    DaemonProcess daemon = new DaemonProcess(dataDir, arguments)
        .environment(Map.of(Liveness.THRESHOLD_VARIABLE, Integer.toString(STALL_SECONDS))).start();
    DaemonProcess restarted = null;
    try {
      HttpClient client = client(dataDir);
      String base = "https://127.0.0.1:" + daemon.apiPort() + "/api/v1/namespaces/default/configmaps";
      Set<String> acknowledged = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> created = create(client, base, "before-" + i);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        acknowledged.add("before-" + i);
      }
      HttpResponse<String> healthy = client.send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + daemon.apiPort() + "/livez?verbose")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);

      OptionalInt exit;
      // the store's writer thread stops, as a thread stuck in the kernel would (a hung disk); ptrace stops one thread
      // of the process, not the process: the API and the watchdog go on
      Process stopper = stopThread(daemon.pid(), "store-writer");
      try {
        CompletableFuture<HttpResponse<String>> stuck = client.sendAsync(HttpRequest.newBuilder(URI.create(base))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(configMap("during"))).build(),
            HttpResponse.BodyHandlers.ofString());
        exit = daemon.awaitExit(Duration.ofSeconds(STALL_SECONDS * 10L));
        assertThat(!stuck.isDone() || stuck.isCompletedExceptionally() || stuck.join().statusCode() != 201)
            .as("the create that reached the stalled writer is not acknowledged").isTrue();
      } finally {
        stopper.destroyForcibly();
      }
      String log = Files.readString(daemon.log());
      assertThat(exit).as("the daemon ended by itself; log:%n%s", log).isPresent();
      assertThat(exit.getAsInt()).isEqualTo(FatalErrors.EXIT_CODE);
      assertThat(log).contains("minicluster: fatal: liveness check failed: store-writer: no progress for")
          .contains("exiting with code 70 so that the service manager restarts the daemon");

      restarted = new DaemonProcess(dataDir, arguments).start();
      HttpClient after = client(dataDir);
      HttpResponse<String> list = after.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + restarted.apiPort() + "/api/v1/namespaces/default/configmaps")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      Set<String> names = new HashSet<>();
      for (JsonNode item : Json.parseObject(list.body()).path("items")) {
        names.add(item.path("metadata").path("name").asText());
      }
      assertThat(names).as("config maps after the restart").containsAll(acknowledged);
    } finally {
      daemon.kill();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  /**
   * Stops one thread of a process (by its name) with ptrace and keeps it stopped until the process ends or the returned
   * process is destroyed. The thread is stopped while it waits for work (sleeping), so the JVM's safepoints are not
   * held up by it.
   */
  private static Process stopThread(long pid, String threadName) throws Exception {
    String script = String.join("\n",
        "import ctypes, os, sys, time",
        "pid, name = sys.argv[1], sys.argv[2]",
        "libc = ctypes.CDLL(None, use_errno=True)",
        "libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]",
        "def state(tid):",
        "    with open(f'/proc/{pid}/task/{tid}/stat') as f: return f.read().rsplit(')', 1)[1].split()[0]",
        "tids = [t for t in os.listdir(f'/proc/{pid}/task') if open(f'/proc/{pid}/task/{t}/comm').read().strip() == name]",
        "if len(tids) != 1: sys.exit(f'no single thread named {name}: {tids}')",
        "tid = int(tids[0])",
        "for attempt in range(200):",
        "    if state(tid) == 'S': break",
        "    time.sleep(0.01)",
        "if libc.ptrace(0x4206, tid, None, None) != 0: sys.exit('PTRACE_SEIZE failed: ' + os.strerror(ctypes.get_errno()))",
        "if libc.ptrace(0x4207, tid, None, None) != 0: sys.exit('PTRACE_INTERRUPT failed: ' + os.strerror(ctypes.get_errno()))",
        "print('stopped', flush=True)",
        // the tracer reaps the thread when the process ends (else the process stays a zombie): wait for its exit,
        // leaving it stopped at every stop event meanwhile (a bounded wait: at most ten minutes)
        "deadline = time.time() + 600",
        "while time.time() < deadline:",
        "    _, status = os.waitpid(tid, 0x40000000)",
        "    if os.WIFEXITED(status) or os.WIFSIGNALED(status): break");
    Process process = new ProcessBuilder("python3", "-c", script, Long.toString(pid), threadName)
        .redirectErrorStream(true).start();
    String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(first).as("ptrace helper").isEqualTo("stopped");
    return process;
  }

  private static HttpResponse<String> create(HttpClient client, String base, String name)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(configMap(name))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String configMap(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\"},\"data\":{\"k\":\"v\"}}";
  }

  private static HttpClient client(Path dataDir) throws IOException {
    Pki pki = Pki.loadOrCreate(dataDir, List.of(), List.of());
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.jdkClientSslContext(true))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }
}
