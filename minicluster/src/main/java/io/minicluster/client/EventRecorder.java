package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.health.Heartbeat;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects, as client-go's event recorder: asynchronously (never blocking the caller),
 * through an {@link EventCorrelator} that counts repeats into one Event, combines similar ones and drops spam.
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final Client client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final EventCorrelator correlator;
  private final ExecutorService executor;
  private final Heartbeat heartbeat;

  public EventRecorder(Client client, String component, String host, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.component = requireNonNull(component, "component is null");
    this.host = host;
    this.clock = requireNonNull(clock, "clock is null");
    this.correlator = new EventCorrelator();
    this.heartbeat = new Heartbeat("events-" + component);
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
        runnable -> {
          Thread thread = new Thread(runnable, "events-" + component);
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
  }

  /** The progress of the writer thread (one event being written), for liveness checks. */
  public Heartbeat heartbeat() {
    return heartbeat;
  }

  public void normal(JsonNode object, String reason, String message) {
    record(object, null, "Normal", reason, message);
  }

  public void warning(JsonNode object, String reason, String message) {
    record(object, null, "Warning", reason, message);
  }

  /** A Normal event about the object a reference names (read models have no tree to pass). */
  public void normal(ObjectReference object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  /** A Warning event about the object a reference names (read models have no tree to pass). */
  public void warning(ObjectReference object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  /**
   * Records an event.
   *
   * @param object the object the event is about (needs kind, apiVersion and metadata)
   * @param fieldPath e.g. {@code spec.containers{web}}, or null
   */
  public void record(JsonNode object, String fieldPath, String type, String reason, String message) {
    requireNonNull(object, "object is null");
    record(new ObjectReference(nullToEmpty(Json.textOrNull(object, "kind")), nullToEmpty(Meta.namespace(object)),
        nullToEmpty(Meta.name(object)), nullToEmpty(Meta.uid(object)),
        nullToEmpty(Json.textOrNull(object, "apiVersion")), nullToEmpty(Meta.resourceVersion(object)),
        nullToEmpty(fieldPath)), type, reason, message);
  }

  /**
   * Records an event.
   *
   * @param object the object the event is about and, in its fieldPath, the part of it ("" for the whole object);
   *     an empty resourceVersion is left out of the event
   */
  public void record(ObjectReference object, String type, String reason, String message) {
    requireNonNull(object, "object is null");
    EventCorrelator.Occurrence occurrence = new EventCorrelator.Occurrence(component, host == null ? "" : host,
        object.kind(), object.namespace(), object.name(), object.uid(), object.apiVersion(), object.fieldPath(),
        requireNonNull(type, "type is null"), requireNonNull(reason, "reason is null"),
        requireNonNull(message, "message is null"));
    String resourceVersion = object.resourceVersion().isEmpty() ? null : object.resourceVersion();
    // the event happened now, however long it waits for the writer
    Instant now = clock.instant();
    executor.execute(heartbeat.around(() -> write(occurrence, resourceVersion, now)));
  }

  private void write(EventCorrelator.Occurrence occurrence, String resourceVersion, Instant now) {
    EventCorrelator.Decision decision = correlator.correlate(occurrence, now);
    if (decision.skip()) {
      LOG.debug("event {} about {} dropped: too many from {} about it", occurrence.reason(), occurrence.name(),
          component);
      return;
    }
    String namespace = occurrence.namespace().isEmpty() ? "default" : occurrence.namespace();
    try {
      if (decision.existingName() != null) {
        try {
          client.modify(ResourceTypes.EVENTS, namespace, decision.existingName(), event -> {
            event.put("count", decision.count());
            event.put("lastTimestamp", Meta.timestamp(now));
            event.put("message", decision.occurrence().message());
            return event;
          });
          correlator.recorded(decision.key(), decision.existingName(), decision.count(), decision.firstTimestamp());
          return;
        } catch (ApiException e) {
          if (e.code() != 404) {
            throw e;
          }
          // the event is gone (deleted, or expired): write it anew with its count
        }
      }
      ObjectNode created = client.create(ResourceTypes.EVENTS, namespace,
          event(decision, namespace, resourceVersion, now));
      correlator.recorded(decision.key(), Meta.name(created), decision.count(), decision.firstTimestamp());
    } catch (RuntimeException e) {
      LOG.debug("could not record event {} for {}: {}", occurrence.reason(), occurrence.name(), e.getMessage());
    }
  }

  private ObjectNode event(EventCorrelator.Decision decision, String namespace, String resourceVersion, Instant now) {
    EventCorrelator.Occurrence occurrence = decision.occurrence();
    ObjectNode involved = Json.object();
    involved.put("kind", occurrence.kind());
    if (!occurrence.namespace().isEmpty()) {
      involved.put("namespace", occurrence.namespace());
    }
    involved.put("name", occurrence.name());
    if (!occurrence.uid().isEmpty()) {
      involved.put("uid", occurrence.uid());
    }
    if (!occurrence.apiVersion().isEmpty()) {
      involved.put("apiVersion", occurrence.apiVersion());
    }
    if (resourceVersion != null) {
      involved.put("resourceVersion", resourceVersion);
    }
    if (!occurrence.fieldPath().isEmpty()) {
      involved.put("fieldPath", occurrence.fieldPath());
    }
    ObjectNode event = Json.object();
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("name", occurrence.name() + "." + Long.toHexString(System.nanoTime()
        + now.toEpochMilli() * 1_000_000L));
    metadata.put("namespace", namespace);
    event.set("involvedObject", involved);
    event.put("reason", occurrence.reason());
    event.put("message", occurrence.message());
    ObjectNode source = event.putObject("source");
    source.put("component", component);
    if (host != null) {
      source.put("host", host);
    }
    event.put("firstTimestamp", Meta.timestamp(decision.firstTimestamp()));
    event.put("lastTimestamp", Meta.timestamp(now));
    event.put("count", decision.count());
    event.put("type", occurrence.type());
    event.putNull("eventTime");
    event.put("reportingComponent", component);
    event.put("reportingInstance", host == null ? "" : host);
    return event;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
