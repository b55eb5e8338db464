package io.minicluster.controller.informers;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.client.Client;
import io.minicluster.client.Informer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * client-go's SharedInformerFactory: one cluster-wide {@link Informer} per resource type, shared by every controller
 * that asks for it, so each type is listed and watched once. Controllers start the informers they use (starting is
 * idempotent); {@link #close()} stops them all.
 */
public final class SharedInformers implements AutoCloseable {
  private final Client client;
  private final Map<ResourceType, Informer> informers = new ConcurrentHashMap<>();

  public SharedInformers(Client client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** The shared informer of a type, created (not started) on first use. */
  public Informer informer(ResourceType type) {
    requireNonNull(type, "type is null");
    return informers.computeIfAbsent(type, t -> new Informer(client, t));
  }

  /** Starts every informer created so far. */
  public void start() {
    informers.values().forEach(Informer::start);
  }

  @Override
  public void close() {
    List<Informer> all = new ArrayList<>(informers.values());
    all.forEach(Informer::close);
  }
}
