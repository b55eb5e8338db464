package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects, as client-go's event recorder: asynchronously (never blocking the caller),
 * and aggregating repeats of the same reason and message into one Event with a growing count.
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
  private static final int MAX_TRACKED = 4096;

  private final Client client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final ExecutorService executor;
  private final Map<String, Recorded> recent = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private record Recorded(String namespace, String name, Instant first, int count) {}

  public EventRecorder(Client client, String component, String host, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.component = requireNonNull(component, "component is null");
    this.host = host;
    this.clock = requireNonNull(clock, "clock is null");
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
        runnable -> {
          Thread thread = new Thread(runnable, "events-" + component);
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
  }

  public void normal(JsonNode object, String reason, String message) {
    record(object, null, "Normal", reason, message);
  }

  public void warning(JsonNode object, String reason, String message) {
    record(object, null, "Warning", reason, message);
  }

  /**
   * Records an event.
   *
   * @param object the object the event is about (needs kind, apiVersion and metadata)
   * @param fieldPath e.g. {@code spec.containers{web}}, or null
   */
  public void record(JsonNode object, String fieldPath, String type, String reason, String message) {
    requireNonNull(object, "object is null");
    ObjectNode involved = Json.object();
    involved.put("kind", Json.text(object, "kind"));
    String namespace = Meta.namespace(object);
    if (namespace != null) {
      involved.put("namespace", namespace);
    }
    involved.put("name", Meta.name(object));
    involved.put("uid", Meta.uid(object));
    involved.put("apiVersion", Json.text(object, "apiVersion"));
    if (Meta.resourceVersion(object) != null) {
      involved.put("resourceVersion", Meta.resourceVersion(object));
    }
    if (fieldPath != null) {
      involved.put("fieldPath", fieldPath);
    }
    executor.execute(() -> write(involved, namespace == null ? "default" : namespace, type, reason, message));
  }

  private void write(ObjectNode involved, String namespace, String type, String reason, String message) {
    Instant now = clock.instant();
    String key = involved.path("uid").asText() + "|" + involved.path("fieldPath").asText() + "|" + type + "|"
        + reason + "|" + message;
    try {
      Recorded previous;
      synchronized (recent) {
        previous = recent.get(key);
      }
      if (previous != null && Duration.between(previous.first(), now).compareTo(AGGREGATION_WINDOW) < 0) {
        try {
          ObjectNode updated = client.modify(ResourceTypes.EVENTS, previous.namespace(), previous.name(), event -> {
            event.put("count", event.path("count").asInt(1) + 1);
            event.put("lastTimestamp", Meta.timestamp(now));
            return event;
          });
          synchronized (recent) {
            recent.put(key, new Recorded(previous.namespace(), previous.name(), previous.first(),
                updated.path("count").asInt()));
          }
          return;
        } catch (ApiException e) {
          if (e.code() != 404) {
            throw e;
          }
        }
      }
      ObjectNode event = Json.object();
      ObjectNode metadata = event.putObject("metadata");
      metadata.put("name", involved.path("name").asText() + "." + Long.toHexString(System.nanoTime()
          + now.toEpochMilli() * 1_000_000L));
      metadata.put("namespace", namespace);
      event.set("involvedObject", involved);
      event.put("reason", reason);
      event.put("message", message);
      ObjectNode source = event.putObject("source");
      source.put("component", component);
      if (host != null) {
        source.put("host", host);
      }
      event.put("firstTimestamp", Meta.timestamp(now));
      event.put("lastTimestamp", Meta.timestamp(now));
      event.put("count", 1);
      event.put("type", type);
      event.putNull("eventTime");
      event.put("reportingComponent", component);
      event.put("reportingInstance", host == null ? "" : host);
      ObjectNode created = client.create(ResourceTypes.EVENTS, namespace, event);
      synchronized (recent) {
        recent.put(key, new Recorded(namespace, Meta.name(created), now, 1));
      }
    } catch (RuntimeException e) {
      LOG.debug("could not record event {} for {}: {}", reason, involved.path("name").asText(), e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
