package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.WatchSink;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Streams a registry watch as the apiserver's watch response: one JSON event a line (type and object), progress
 * bookmarks about once a minute when asked for, the initial-events-end bookmark of a streaming list, an ERROR event
 * before a terminal error, and an end after the timeout (the request's, or 30 to 60 minutes).
 */
final class WatchStream {
  private static final long BOOKMARK_INTERVAL_NANOS = 60_000_000_000L;

  /** How a watch's objects appear on the wire: served version, Table or PartialObjectMetadata. */
  interface Encoder {
    /** The payload of an ADDED, MODIFIED or DELETED event; {@code first} is the first event of the stream. */
    JsonNode object(ObjectNode stored, boolean first);

    /** The object of a BOOKMARK event: kind and apiVersion of the stream, the resourceVersion, nothing else. */
    ObjectNode bookmark();
  }

  private final ScheduledExecutorService timer;

  WatchStream(ScheduledExecutorService timer) {
    this.timer = requireNonNull(timer, "timer is null");
  }

  /**
   * Starts the watch and streams it on the channel until the client goes, the watch ends or the timeout passes.
   *
   * @param timeoutSeconds the request's timeoutSeconds, 0 for the server's default
   * @param start starts the registry watch with the sink that writes to the stream
   */
  void serve(ResponseChannel channel, long timeoutSeconds, Encoder encoder,
      Function<WatchSink, GenericRegistry.WatchHandle> start) {
    ResponseChannel.Stream stream = channel.stream("application/json");
    AtomicBoolean done = new AtomicBoolean(false);
    AtomicReference<GenericRegistry.WatchHandle> handle = new AtomicReference<>();
    Runnable finish = () -> {
      if (done.compareAndSet(false, true)) {
        GenericRegistry.WatchHandle running = handle.get();
        if (running != null) {
          running.close();
        }
        stream.close();
      }
    };
    stream.onClose(finish);
    WatchSink sink = new Sink(stream, encoder, done, finish);
    try {
      handle.set(start.apply(sink));
    } catch (ApiException e) {
      sink.error(e);
      return;
    }
    if (done.get()) {
      handle.get().close();
      return;
    }
    long timeout = timeoutSeconds > 0 ? timeoutSeconds : 1800 + ThreadLocalRandom.current().nextLong(1800);
    timer.schedule(finish, timeout, TimeUnit.SECONDS);
  }

  /** Writes a watch's events to the stream. */
  private final class Sink implements WatchSink {
    private final ResponseChannel.Stream stream;
    private final Encoder encoder;
    private final AtomicBoolean done;
    private final Runnable finish;
    private boolean first = true;
    private long lastBookmarkNanos = System.nanoTime();

    Sink(ResponseChannel.Stream stream, Encoder encoder, AtomicBoolean done, Runnable finish) {
      this.stream = stream;
      this.encoder = encoder;
      this.done = done;
      this.finish = finish;
    }

    @Override
    public synchronized void event(String type, ObjectNode object) {
      if (done.get()) {
        return;
      }
      JsonNode payload = encoder.object(object, first);
      first = false;
      send(type, payload);
    }

    @Override
    public synchronized void bookmark(long resourceVersion, boolean initialEventsEnd) {
      if (done.get()) {
        return;
      }
      // progress bookmarks about once a minute, as the apiserver sends them; the initial-events-end one always
      if (!initialEventsEnd && System.nanoTime() - lastBookmarkNanos < BOOKMARK_INTERVAL_NANOS) {
        return;
      }
      lastBookmarkNanos = System.nanoTime();
      ObjectNode object = encoder.bookmark();
      ObjectNode metadata = object.putObject("metadata");
      metadata.put("resourceVersion", Long.toString(resourceVersion));
      if (initialEventsEnd) {
        metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
      }
      send("BOOKMARK", object);
    }

    @Override
    public synchronized void error(ApiException error) {
      if (!done.get()) {
        send("ERROR", error.toStatus());
      }
      timer.execute(finish);
    }

    @Override
    public void closed() {
      timer.execute(finish);
    }

    private void send(String type, JsonNode object) {
      ObjectNode event = Json.object();
      event.put("type", type);
      event.set("object", object);
      // one JSON document a line, as the apiserver's watch encoder frames events
      if (!stream.write(Json.encoded(event))) {
        timer.execute(finish);
      }
    }
  }
}
