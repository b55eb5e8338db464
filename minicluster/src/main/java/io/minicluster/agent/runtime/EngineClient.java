package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the Docker engine that the parts of {@link DockerRuntime} share: docker-java's client (httpclient5
 * transport), the connections of our own for exec and attach streams ({@link HijackedConnection}), one scheduler thread
 * for timers, and the mapping of engine failures to {@link ContainerRuntimeException}.
 */
final class EngineClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Longest wait for the engine to answer an exec start or attach request. */
  private static final Duration STREAM_ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final DockerRuntimeConfig config;
  private final DockerClient client;
  /** docker-java's transport, for the calls its commands do not offer (one-shot stats). */
  private final DockerHttpClient http;
  private final ScheduledExecutorService scheduler;
  private final CgroupStats cgroups = CgroupStats.ofHost();
  /** False once the engine answered stats without a reading for a container whose cgroup has counters. */
  private volatile boolean engineStats = true;
  /** Whether the engine is reached over TLS (then exec/attach streams are unsupported on TCP). */
  private final boolean tls;

  private EngineClient(DockerRuntimeConfig config, DockerClient client, DockerHttpClient http, boolean tls) {
    this.config = config;
    this.client = client;
    this.http = http;
    this.tls = tls;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "docker-runtime-scheduler");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * A client of {@code config.dockerHost()}: connections time out after 5 s, responses never (streams such as logs,
   * events and exec stay open as long as they need). Does not contact the engine yet.
   */
  static EngineClient connect(DockerRuntimeConfig config) {
    requireNonNull(config, "config is null");
    DockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(config.dockerHost())
        .build();
    ApacheDockerHttpClient httpClient = new ApacheDockerHttpClient.Builder()
        .dockerHost(clientConfig.getDockerHost())
        .sslConfig(clientConfig.getSSLConfig())
        .maxConnections(200)
        .connectionTimeout(CONNECT_TIMEOUT)
        .build();
    return new EngineClient(config, DockerClientImpl.getInstance(clientConfig, httpClient), httpClient,
        clientConfig.getSSLConfig() != null);
  }

  DockerRuntimeConfig config() {
    return config;
  }

  /** docker-java's client. */
  DockerClient client() {
    return client;
  }

  /**
   * One reading of a container's stats: {@code stream=false} answers with one document and {@code one-shot=true}
   * (API 1.41) skips the engine's second reading a second later (we compute rates from our own readings); empty when
   * the container does not exist or does not run. An engine that cannot read cgroups answers without a reading for a
   * running container: from then on the container's cgroup files are read instead ({@link CgroupStats}).
   */
  Optional<ContainerStats> stats(String containerId) {
    if (!engineStats) {
      return cgroups.read(containerId);
    }
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET)
        .path("/containers/" + containerId + "/stats?stream=false&one-shot=true")
        .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      JsonNode body = MAPPER.readTree(response.getBody());
      if (response.getStatusCode() != 200) {
        throw new ContainerRuntimeException("reading stats of container " + shortId(containerId) + ": "
            + body.path("message").asText("HTTP " + response.getStatusCode()));
      }
      Optional<ContainerStats> stats = ContainerStats.parse(body);
      if (stats.isEmpty()) {
        // no reading: the container does not run, or the engine cannot read its cgroups (then read them ourselves)
        stats = cgroups.read(containerId);
        if (stats.isPresent()) {
          LOG.info("the engine answers container stats without a reading; reading containers' cgroups instead");
          engineStats = false;
        }
      }
      return stats;
    } catch (IOException | RuntimeException exception) {
      throw failure("reading stats of container " + shortId(containerId), exception instanceof RuntimeException r ? r
          : new ContainerRuntimeException(exception.getMessage(), exception));
    }
  }

  /** One daemon thread for timers (event reconnects, stream timeouts). */
  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      client.close();
    } catch (IOException exception) {
      LOG.debug("closing docker client failed", exception);
    }
  }

  /** Engine and host facts. */
  EngineInfo info() {
    try {
      Info info = client.infoCmd().exec();
      String apiVersion = client.versionCmd().exec().getApiVersion();
      return new EngineInfo(
          nullToEmpty(info.getServerVersion()),
          nullToEmpty(apiVersion),
          info.getNCPU() == null ? 0 : info.getNCPU(),
          info.getMemTotal() == null ? 0 : info.getMemTotal(),
          nullToEmpty(info.getKernelVersion()),
          nullToEmpty(info.getOperatingSystem()),
          nullToEmpty(info.getOsType()),
          nullToEmpty(info.getArchitecture()),
          nullToEmpty(info.getName()),
          nullToEmpty(info.getDockerRootDir()));
    } catch (RuntimeException exception) {
      throw failure("reading engine info", exception);
    }
  }

  /** Whether the engine answers. Never throws. */
  boolean ping() {
    try {
      client.pingCmd().exec();
      return true;
    } catch (RuntimeException exception) {
      LOG.debug("engine ping failed: {}", exception.toString());
      return false;
    }
  }

  /** Opens a connection of our own for an exec or attach stream, {@code action} naming it in failures. */
  HijackedConnection openStream(String action, String path, String jsonBody) {
    EngineEndpoint endpoint;
    try {
      endpoint = EngineEndpoint.parse(config.dockerHost());
    } catch (IllegalArgumentException unsupported) {
      throw new ContainerRuntimeException(action + ": " + unsupported.getMessage(), unsupported);
    }
    if (tls && !endpoint.unix()) {
      throw new ContainerRuntimeException(action + ": exec/attach streams over TLS are not supported ("
          + config.dockerHost() + ")");
    }
    try {
      return HijackedConnection.open(endpoint, path, jsonBody, STREAM_ANSWER_TIMEOUT, scheduler);
    } catch (IOException | ContainerRuntimeException exception) {
      throw new ContainerRuntimeException(action + ": " + exception.getMessage(), exception);
    }
  }

  // ---------------------------------------------------------------- helpers of the parts

  /** The engine's own message from an error response ({@code {"message": ...}}), else the exception's message. */
  static String engineMessage(Throwable exception) {
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    int brace = message.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode body = MAPPER.readTree(message.substring(brace));
        if (body.hasNonNull("message")) {
          return body.get("message").asText();
        }
      } catch (IOException notJson) {
        // keep the whole message
      }
    }
    return message;
  }

  /** {@code exception} as a {@link ContainerRuntimeException} naming the failed action, with the engine's message. */
  static ContainerRuntimeException failure(String action, RuntimeException exception) {
    if (exception instanceof ContainerRuntimeException runtimeException) {
      return runtimeException;
    }
    if (exception instanceof DockerException || exception.getCause() instanceof IOException) {
      return new ContainerRuntimeException(action + ": " + engineMessage(exception), exception);
    }
    return new ContainerRuntimeException(action + ": " + exception, exception);
  }

  /** An engine timestamp; null when absent, unset ({@code 0001-01-01...}) or malformed. */
  static Instant parseTime(String value) {
    if (value == null || value.isEmpty() || value.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException malformed) {
      return null;
    }
  }

  static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException exception) {
      LOG.debug("close failed", exception);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("interrupted");
    }
  }
}
