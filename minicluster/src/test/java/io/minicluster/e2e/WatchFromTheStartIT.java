package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.minicluster.pki.Pki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's watch check: a client that watches pods from before the first of many creates, as client-go's reflector
 * does (list, watch from the list's resourceVersion, watch again from the last version seen when a watch ends, list
 * again on 410 Gone), sees every pod created, each watch's events in resourceVersion order, and without a relist every
 * pod exactly once as ADDED. The number of pods is {@value #DEFAULT_PODS} in CI; {@code -Dwatch.pods=10000} runs the
 * issue's count.
 */
class WatchFromTheStartIT {
  private static final int DEFAULT_PODS = 1000;
  private static final int CREATORS = 8;
  private static final String PODS_PATH = "/api/v1/namespaces/default/pods";

  /** What the reflector saw. */
  private static final class Seen {
    final Set<String> names = ConcurrentHashMap.newKeySet();
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger addedTwice = new AtomicInteger();
    final AtomicInteger relists = new AtomicInteger();
    final AtomicInteger rewatches = new AtomicInteger();
    final List<String> outOfOrder = new ArrayList<>();
    volatile String lastVersion;
  }

  @Test
  void aWatchFromTheStartSeesEveryCreatedPodInOrder(@TempDir Path temp) throws Exception {
    int pods = Integer.getInteger("watch.pods", DEFAULT_PODS);
    Path dataDir = temp.resolve("data");
    ExecutorService threads = Executors.newFixedThreadPool(CREATORS + 1);
    try (DaemonProcess daemon = new DaemonProcess(dataDir, List.of("--no-node-agent", "--socks-port", "-1"))
        .start()) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(Pki.loadOrCreate(dataDir, List.of(), List.of()).jdkClientSslContext(true))
          .connectTimeout(Duration.ofSeconds(5)).build();
      String base = "https://127.0.0.1:" + daemon.apiPort();
      Seen seen = new Seen();
      relist(http, base, seen);
      Future<?> reflector = threads.submit(() -> {
        reflect(http, base, seen, pods);
        return null;
      });

      long start = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> creators = new ArrayList<>();
      for (int c = 0; c < CREATORS; c++) {
        creators.add(threads.submit(() -> {
          for (int i = next.getAndIncrement(); i < pods; i = next.getAndIncrement()) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + PODS_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                    + "{\"name\":\"watched-" + i + "\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                    + "\"image\":\"busybox\"}]}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
          }
          return null;
        }));
      }
      for (Future<?> creator : creators) {
        creator.get(10, TimeUnit.MINUTES);
      }
      long created = System.nanoTime();
      reflector.get(5, TimeUnit.MINUTES);
      long complete = System.nanoTime();

      System.out.printf("watch from the start: %d pods created in %d ms, all seen %d ms later; %d ADDED events, "
              + "%d watches re-opened, %d relists after 410 Gone%n", pods, (created - start) / 1_000_000,
          (complete - created) / 1_000_000, seen.added.get(), seen.rewatches.get(), seen.relists.get());
      for (int i = 0; i < pods; i++) {
        assertThat(seen.names).as("pods seen").contains("watched-" + i);
      }
      assertThat(seen.outOfOrder).as("events out of resourceVersion order").isEmpty();
      if (seen.relists.get() == 0) {
        assertThat(seen.added.get()).as("ADDED events without a relist").isEqualTo(pods);
        assertThat(seen.addedTwice.get()).isZero();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Lists the pods (as the reflector's list): their names are seen, the watch goes on from the list's version. */
  private static void relist(HttpClient http, String base, Seen seen) throws IOException, InterruptedException {
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + PODS_PATH)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    ObjectNode body = Json.parseObject(list.body());
    for (JsonNode item : body.path("items")) {
      seen.names.add(item.path("metadata").path("name").asText());
    }
    seen.lastVersion = body.path("metadata").path("resourceVersion").asText();
  }

  /** Watches until every pod was seen: again from the last version when a watch ends, a relist on 410. */
  private static void reflect(HttpClient http, String base, Seen seen, int pods) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (seen.names.size() < pods && System.nanoTime() < deadline) {
      HttpResponse<Stream<String>> watch = http.send(HttpRequest.newBuilder(URI.create(base + PODS_PATH
          + "?watch=1&allowWatchBookmarks=true&timeoutSeconds=60&resourceVersion=" + seen.lastVersion)).build(),
          HttpResponse.BodyHandlers.ofLines());
      if (watch.statusCode() == 410) {
        seen.relists.incrementAndGet();
        relist(http, base, seen);
        continue;
      }
      assertThat(watch.statusCode()).isEqualTo(200);
      boolean gone = false;
      try (Stream<String> lines = watch.body()) {
        long last = Long.parseLong(seen.lastVersion);
        Iterator<String> events = lines.iterator();
        while (events.hasNext() && seen.names.size() < pods) {
          JsonNode event = Json.parseObject(events.next());
          String type = event.path("type").asText();
          JsonNode object = event.path("object");
          if (type.equals("ERROR")) {
            gone = object.path("code").asInt() == 410;
            assertThat(gone).as("watch error %s", object).isTrue();
            break;
          }
          long version = Long.parseLong(object.path("metadata").path("resourceVersion").asText());
          if (version < last || (version == last && !type.equals("BOOKMARK"))) {
            seen.outOfOrder.add(type + " " + version + " after " + last);
          }
          last = version;
          seen.lastVersion = Long.toString(version);
          if (type.equals("ADDED")) {
            seen.added.incrementAndGet();
            if (!seen.names.add(object.path("metadata").path("name").asText())) {
              seen.addedTwice.incrementAndGet();
            }
          }
        }
      }
      if (gone) {
        seen.relists.incrementAndGet();
        relist(http, base, seen);
      } else if (seen.names.size() < pods) {
        seen.rewatches.incrementAndGet();
      }
    }
  }
}
