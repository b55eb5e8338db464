package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import io.minicluster.pki.Pki;
import io.minicluster.server.FatalErrors;
import io.minicluster.service.Launcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-only under memory exhaustion: the daemon with the packaged JVM options but a tiny heap is filled with pods
 * until it runs out of memory. It must end (non-zero exit, a clear last line) instead of living on answering 500s, and
 * a restart must serve every pod the API acknowledged.
 */
class HeapExhaustionIT {
  /** Bounds of the load: far more than the tiny heap holds, and a time limit. */
  private static final int MAX_CREATES = 30_000;
  private static final Duration MAX_TIME = Duration.ofMinutes(3);
  /** Bytes of random padding per pod: random, so that the store cannot pack it smaller than the heap needs. */
  private static final int PADDING_BYTES = 12 * 1024;

  @TempDir
  Path temp;

  @ParameterizedTest(name = "-XX:+ExitOnOutOfMemoryError {0}")
  @ValueSource(booleans = {true, false})
  void aDaemonOutOfMemoryExitsAndARestartServesEveryAcknowledgedObject(boolean jvmExitsOnOutOfMemory)
      throws Exception {
    Path dataDir = temp.resolve("data");
    List<String> tinyHeap = new ArrayList<>(Launcher.DAEMON_JVM_OPTIONS);
    tinyHeap.add("-Xmx40m");
    if (!jvmExitsOnOutOfMemory) {
      // the daemon's own handler alone (an uncaught error in any thread ends the process with code 70)
      tinyHeap.remove("-XX:+ExitOnOutOfMemoryError");
    }
    List<String> arguments = List.of("--no-node-agent", "--socks-port", "-1");
    DaemonProcess daemon = new DaemonProcess(dataDir, tinyHeap, arguments).start();
    DaemonProcess restarted = null;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      HttpClient client = client(dataDir);
      String base = "https://127.0.0.1:" + daemon.apiPort() + "/api/v1/namespaces/default/pods";
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Map<String, Integer> failures = new ConcurrentHashMap<>();
      AtomicBoolean gone = new AtomicBoolean();
      long deadline = System.nanoTime() + MAX_TIME.toNanos();
      List<Future<?>> futures = new ArrayList<>();
      for (int worker = 0; worker < 8; worker++) {
        int first = worker;
        futures.add(pool.submit(() -> {
          for (int i = first; i < MAX_CREATES && !gone.get() && System.nanoTime() < deadline; i += 8) {
            String name = "hog-" + i;
            try {
              HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base))
                  .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(pod(name))).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() == 201) {
                acknowledged.add(name);
              } else {
                failures.merge(response.statusCode() + " " + abbreviate(response.body()), 1, Integer::sum);
              }
            } catch (IOException e) {
              // the daemon is gone (or going): this create was never acknowledged
              gone.set(true);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return null;
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(MAX_TIME.toSeconds() + 60, TimeUnit.SECONDS);
      }
      OptionalInt exit = daemon.awaitExit(Duration.ofSeconds(60));
      String log = Files.readString(daemon.log());
      assertThat(exit).as("the daemon ended by itself after %d acknowledged pods (failures: %s)",
          acknowledged.size(), failures).isPresent();
      // the JVM's own exit (code 3, "Terminating due to java.lang.OutOfMemoryError") or the daemon's (code 70)
      assertThat(exit.getAsInt()).isEqualTo(jvmExitsOnOutOfMemory ? 3 : FatalErrors.EXIT_CODE);
      assertThat(log).as("the daemon's last words").contains(jvmExitsOnOutOfMemory
          ? "Terminating due to java.lang.OutOfMemoryError" : "minicluster: fatal: java.lang.OutOfMemoryError");
      assertThat(failures.keySet()).as("answers other than 201 before the end")
          .noneMatch(failure -> failure.startsWith("500"));
      System.out.printf("out of memory after %d acknowledged pods; exit code %d; failures %s%n", acknowledged.size(),
          exit.getAsInt(), failures);

      restarted = new DaemonProcess(dataDir, arguments).start();
      HttpClient after = client(dataDir);
      HttpResponse<String> list = after.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + restarted.apiPort() + "/api/v1/namespaces/default/pods")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      Set<String> names = new HashSet<>();
      for (JsonNode item : Json.parseObject(list.body()).path("items")) {
        names.add(item.path("metadata").path("name").asText());
      }
      assertThat(names).as("pods after the restart").containsAll(acknowledged);
    } finally {
      pool.shutdownNow();
      daemon.kill();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  private static String pod(String name) {
    byte[] padding = new byte[PADDING_BYTES];
    ThreadLocalRandom.current().nextBytes(padding);
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{\"pad\":\""
        + Base64.getEncoder().encodeToString(padding)
        + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  private static String abbreviate(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }

  private static HttpClient client(Path dataDir) throws IOException {
    Pki pki = Pki.loadOrCreate(dataDir, List.of(), List.of());
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.jdkClientSslContext(true))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }
}
