package io.minicluster.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/** The few API calls the pod and workload benchmarks make, over HTTPS with the admin client certificate (JDK HttpClient). */
final class ClusterApi {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String base;

  ClusterApi(SSLContext sslContext, int port) {
    requireNonNull(sslContext, "sslContext is null");
    this.http = HttpClient.newBuilder().sslContext(sslContext).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.base = "https://127.0.0.1:" + port;
  }

  /** The answer's status code, or -1 when the server cannot be reached. */
  int status(String path) throws InterruptedException {
    try {
      return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  ObjectNode get(String path) throws IOException, InterruptedException {
    return expect(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray()), 200, "GET", path);
  }

  ObjectNode post(String path, ObjectNode body) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return expect(response, 201, "POST", path);
  }

  ObjectNode put(String path, ObjectNode body) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return expect(response, 200, "PUT", path);
  }

  /** Deletes; a 404 (already gone) counts as success. */
  void delete(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200 && response.statusCode() != 202 && response.statusCode() != 404) {
      throw failure(response, "DELETE", path);
    }
  }

  /**
   * Watches one pod from {@code resourceVersion} until an event shows {@code status.phase == Running}, and returns
   * {@link System#nanoTime()} at the moment that event was read. Fails when the pod fails or the watch ends first.
   */
  long awaitRunning(String namespace, String name, String resourceVersion, Duration timeout)
      throws IOException, InterruptedException {
    String path = "/api/v1/namespaces/" + namespace + "/pods?watch=true&fieldSelector="
        + URLEncoder.encode("metadata.name=" + name, StandardCharsets.UTF_8) + "&resourceVersion=" + resourceVersion
        + "&timeoutSeconds=" + Math.max(1, timeout.toSeconds());
    HttpResponse<Stream<String>> response = http.send(request(path).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("watch " + path + " answered " + response.statusCode());
      }
      Iterator<String> events = lines.iterator();
      while (events.hasNext()) {
        String line = events.next();
        if (line.isBlank()) {
          continue;
        }
        ObjectNode event = Json.parseObject(line);
        String phase = Json.textOrNull(event, "object", "status", "phase");
        if ("Running".equals(phase)) {
          return System.nanoTime();
        }
        if ("ERROR".equals(Json.textOrNull(event, "type")) || "Failed".equals(phase) || "DELETED".equals(
            Json.textOrNull(event, "type"))) {
          throw new IOException("pod " + name + " did not start: " + line);
        }
      }
    }
    throw new IOException("watch of pod " + name + " ended before it was Running (timeout " + timeout + ")");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).header("Accept",
        "application/json");
  }

  private static ObjectNode expect(HttpResponse<byte[]> response, int expected, String method, String path)
      throws IOException {
    if (response.statusCode() != expected) {
      throw failure(response, method, path);
    }
    JsonNode body = Json.parse(response.body());
    if (!(body instanceof ObjectNode object)) {
      throw new IOException(method + " " + path + " answered a non-object");
    }
    return object;
  }

  private static IOException failure(HttpResponse<byte[]> response, String method, String path) {
    return new IOException(method + " " + path + " answered " + response.statusCode() + ": "
        + new String(response.body(), StandardCharsets.UTF_8));
  }
}
