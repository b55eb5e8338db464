package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.Kind;
import io.minicluster.api.ResourceType;
import io.minicluster.health.Heartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * client-go's SharedInformerFactory: exactly one list+watch per resource type in the process, shared by every
 * consumer (controllers, scheduler, node agent, gateway). {@link #informer(Kind)} returns the typed view of a kind,
 * the same view for the same kind, so each object version is decoded once per kind whatever the number of consumers.
 * Consumers start the informers they use (starting is idempotent); {@link #close()} stops them all.
 */
public final class SharedInformers implements AutoCloseable {
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private final ListWatch source;
  private final Duration retryDelay;
  private final Map<ResourceType, ResourceInformer> shared = new ConcurrentHashMap<>();
  private final Map<Kind<?>, Informer<?>> views = new ConcurrentHashMap<>();
  private final Heartbeat heartbeat = new Heartbeat("informers");

  /** Informers listing and watching through a client. */
  public SharedInformers(Client client) {
    this(ListWatch.of(client), RETRY_DELAY);
  }

  /** Informers over any list+watch source, retrying a failed list or watch after {@code retryDelay}. */
  public SharedInformers(ListWatch source, Duration retryDelay) {
    this.source = requireNonNull(source, "source is null");
    this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
  }

  /** The typed view of a kind over the one informer of its type, both created (not started) on first use. */
  @SuppressWarnings("unchecked")
  public <T> Informer<T> informer(Kind<T> kind) {
    requireNonNull(kind, "kind is null");
    return (Informer<T>) views.computeIfAbsent(kind, k -> new Informer<>(
        shared.computeIfAbsent(k.type(), type -> new ResourceInformer(source, type, retryDelay, heartbeat)), k));
  }

  /**
   * Stops the informer of a type and forgets it and its views (a custom resource whose definition went away); a later
   * {@link #informer} of the type creates a new one.
   */
  public void stop(ResourceType type) {
    requireNonNull(type, "type is null");
    ResourceInformer informer = shared.remove(type);
    views.keySet().removeIf(kind -> kind.type().equals(type));
    if (informer != null) {
      informer.close();
    }
  }

  /** The progress of the informers' dispatch threads (one event or re-list in flight), for liveness checks. */
  public Heartbeat heartbeat() {
    return heartbeat;
  }

  /** Starts every informer created so far. */
  public void start() {
    shared.values().forEach(ResourceInformer::start);
  }

  @Override
  public void close() {
    List<ResourceInformer> all = new ArrayList<>(shared.values());
    all.forEach(ResourceInformer::close);
  }
}
