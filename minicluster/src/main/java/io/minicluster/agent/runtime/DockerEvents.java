package io.minicluster.agent.runtime;

import static io.minicluster.agent.runtime.EngineClient.closeQuietly;
import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.minicluster.agent.oom.OomKill;
import io.minicluster.agent.oom.OomWatcher;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container events of {@link DockerRuntime}: the engine's event stream plus the kernel's OOM kills. */
final class DockerEvents {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEvents.class);
  private static final Duration EVENT_RECONNECT_DELAY = Duration.ofSeconds(1);
  private static final List<String> EVENT_ACTIONS = List.of("create", "start", "die", "oom", "destroy");
  private static final List<String> NON_LABEL_ATTRIBUTES = List.of("image", "name", "exitCode", "signal");

  private final DockerClient client;
  private final ScheduledExecutorService scheduler;
  private final OomWatcher oomWatcher;

  DockerEvents(EngineClient engine, OomWatcher oomWatcher) {
    this.client = engine.client();
    this.scheduler = engine.scheduler();
    this.oomWatcher = requireNonNull(oomWatcher, "oomWatcher is null");
  }

  /** See {@link ContainerRuntime#events}. */
  Closeable events(Consumer<RuntimeEvent> consumer) {
    requireNonNull(consumer, "consumer is null");
    EventSubscription subscription = new EventSubscription(consumer);
    subscription.connect(null);
    return subscription;
  }

  /**
   * Engine event stream for minicluster's containers, reconnecting with {@code since} after it ends, plus an OOM event
   * for each OOM kill the kernel reports in one of them (the engine may report none).
   */
  private final class EventSubscription implements Closeable {
    private final Consumer<RuntimeEvent> consumer;
    private final AtomicLong lastEventNanos = new AtomicLong();
    private final Closeable kernelKills;
    private volatile boolean closed;
    private volatile ResultCallback.Adapter<Event> current;

    EventSubscription(Consumer<RuntimeEvent> consumer) {
      this.consumer = consumer;
      this.kernelKills = oomWatcher.subscribe(this::kernelKill);
    }

    private void kernelKill(OomKill kill) {
      if (closed || kill.container().isEmpty()) {
        return;
      }
      Map<String, String> labels;
      try {
        InspectContainerResponse response = client.inspectContainerCmd(kill.containerId()).exec();
        labels = response.getConfig() == null || response.getConfig().getLabels() == null ? Map.of()
            : response.getConfig().getLabels();
      } catch (RuntimeException goneOrUnreachable) {
        LOG.debug("OOM-killed container {}: {}", kill.containerId(), goneOrUnreachable.toString());
        return;
      }
      if (labels.containsKey(RuntimeLabels.TYPE)) {
        deliver(new RuntimeEvent(RuntimeEvent.Type.OOM, kill.containerId(), labels, kill.time(), -1));
      }
    }

    private void deliver(RuntimeEvent event) {
      try {
        consumer.accept(event);
      } catch (RuntimeException consumerFailure) {
        LOG.warn("runtime event consumer failed", consumerFailure);
      }
    }

    void connect(String since) {
      if (closed) {
        return;
      }
      ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
        @Override
        public void onNext(Event event) {
          handle(event);
        }

        @Override
        public void onError(Throwable throwable) {
          if (!closed) {
            LOG.debug("engine event stream failed: {}", throwable.toString());
          }
          reconnectLater(this);
        }

        @Override
        public void onComplete() {
          reconnectLater(this);
        }
      };
      current = callback;
      try {
        EventsCmd command = client.eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withLabelFilter(RuntimeLabels.TYPE)
            .withEventFilter(EVENT_ACTIONS.toArray(new String[0]));
        if (since != null) {
          command.withSince(since);
        }
        command.exec(callback);
      } catch (RuntimeException exception) {
        LOG.debug("subscribing to engine events failed: {}", exception.toString());
        reconnectLater(callback);
      }
    }

    private void reconnectLater(ResultCallback.Adapter<Event> ended) {
      if (closed || ended != current) {
        return;
      }
      long last = lastEventNanos.get();
      String since = last == 0 ? Long.toString(Instant.now().minusSeconds(1).getEpochSecond())
          : (last / 1_000_000_000L) + "." + String.format("%09d", last % 1_000_000_000L);
      try {
        scheduler.schedule(() -> connect(since), EVENT_RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shutDown) {
        LOG.debug("runtime closed; not reconnecting events");
      }
    }

    private void handle(Event event) {
      String action = event.getAction() != null ? event.getAction() : event.getStatus();
      if (action == null || event.getId() == null) {
        return;
      }
      RuntimeEvent.Type type;
      try {
        type = RuntimeEvent.Type.valueOf(action.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException other) {
        return;
      }
      Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
          ? Map.of() : event.getActor().getAttributes();
      Map<String, String> labels = new HashMap<>(attributes);
      NON_LABEL_ATTRIBUTES.forEach(labels::remove);
      int exitCode = -1;
      if (type == RuntimeEvent.Type.DIE && attributes.containsKey("exitCode")) {
        try {
          exitCode = Integer.parseInt(attributes.get("exitCode"));
        } catch (NumberFormatException malformed) {
          exitCode = -1;
        }
      }
      long nanos = event.getTimeNano() != null ? event.getTimeNano()
          : (event.getTime() == null ? 0 : event.getTime() * 1_000_000_000L);
      lastEventNanos.accumulateAndGet(nanos, Math::max);
      Instant time = nanos == 0 ? Instant.now() : Instant.ofEpochSecond(0, nanos);
      if (type == RuntimeEvent.Type.DIE) {
        // before anyone inspects the exited container: its cgroup counter may still be readable
        oomWatcher.sampleExited(event.getId());
      }
      deliver(new RuntimeEvent(type, event.getId(), labels, time, exitCode));
    }

    @Override
    public void close() {
      closed = true;
      closeQuietly(kernelKills);
      ResultCallback.Adapter<Event> callback = current;
      if (callback != null) {
        closeQuietly(callback);
      }
    }
  }
}
