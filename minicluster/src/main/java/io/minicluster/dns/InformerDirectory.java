package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import io.minicluster.client.SharedInformers;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link ClusterDirectory} of the daemon: the shared informers of services, endpoint slices, pods and namespaces,
 * indexed for the queries (see {@link ClusterIndex}). Built by the wiring before the informers start.
 */
public final class InformerDirectory implements ClusterDirectory {
  private final ClusterIndex index;

  public InformerDirectory(SharedInformers informers, Clock clock) {
    this.index = new ClusterIndex(requireNonNull(informers, "informers is null"), clock);
  }

  /** Starts the informers it reads (they are shared: starting is idempotent). */
  public void start() {
    index.start();
  }

  @Override
  public boolean synced() {
    return index.synced();
  }

  @Override
  public Instant lastModified() {
    return index.lastModified();
  }

  @Override
  public boolean namespaceExists(String namespace) {
    return index.namespaceExists(namespace);
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return index.service(namespace, name);
  }

  @Override
  public List<EndpointSet> endpoints(String namespace, String service) {
    return index.endpoints(namespace, service);
  }

  @Override
  public List<Service> servicesByClusterIp(InetAddress ip) {
    return index.servicesByClusterIp(ip);
  }

  @Override
  public List<ServiceEndpoint> endpointsByIp(InetAddress ip) {
    return index.endpointsByIp(ip);
  }

  @Override
  public List<Pod> podsByIp(InetAddress ip) {
    return index.podsByIp(ip);
  }
}
