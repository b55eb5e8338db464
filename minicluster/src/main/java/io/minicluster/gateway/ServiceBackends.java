package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.EndpointAddress;
import io.minicluster.api.core.EndpointPort;
import io.minicluster.api.core.EndpointSubset;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a service's virtual address (clusterIP:port) to all of its ready endpoints (podIP:targetPort), among which
 * the gateway picks one per connection as kube-proxy does, so it never sends packets to a virtual IP itself. Services
 * are indexed by clusterIP from the shared service informer's events (the first service seen with an address keeps
 * it); endpoints are read from the shared endpoints informer at each lookup, so a rolling update's new pods are used
 * and its old ones dropped as soon as the endpoints say so. The {@code kubernetes} service of {@code default} maps to
 * the address the API server listens on (its endpoints name the host's primary address, which the API server may
 * not listen on).
 */
public final class ServiceBackends {
  private static final String KUBERNETES_SERVICE = "default/kubernetes";

  private final Informer<Service> services;
  private final Informer<Endpoints> endpoints;
  private final InetSocketAddress apiServer;
  /** clusterIP to the key of its service. */
  private final Map<String, String> byClusterIp = new ConcurrentHashMap<>();
  /** Service key to the clusterIP it holds in the index; touched on the informer's dispatch thread only. */
  private final Map<String, String> indexed = new HashMap<>();

  /** @param apiServer where the API server listens, as the gateway reaches it (loopback for a wildcard address) */
  public ServiceBackends(Informer<Service> services, Informer<Endpoints> endpoints, InetSocketAddress apiServer) {
    this.services = requireNonNull(services, "services is null");
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    this.apiServer = requireNonNull(apiServer, "apiServer is null");
    services.addHandler(Handlers.<Service>indexing(this::index, service -> unindex(service.metadata().key())));
  }

  /** The result of a lookup: the service exists or not, and its ready backends for the port (none if none is). */
  public record Lookup(boolean serviceFound, List<InetSocketAddress> backends) {
    public Lookup {
      backends = List.copyOf(backends);
    }
  }

  public Lookup backends(String clusterIp, int port) {
    String key = byClusterIp.get(clusterIp);
    Service service = key == null ? null : services.get(Keys.namespace(key), Keys.name(key)).orElse(null);
    if (service == null) {
      return new Lookup(false, List.of());
    }
    for (ServicePort servicePort : service.spec().ports()) {
      if (servicePort.port() != port || !isTcp(servicePort.protocol())) {
        continue;
      }
      if (key.equals(KUBERNETES_SERVICE)) {
        return new Lookup(true, List.of(apiServer));
      }
      List<InetSocketAddress> candidates = new ArrayList<>();
      Optional<Endpoints> endpoint = endpoints.get(service.metadata().namespace(), service.metadata().name());
      for (EndpointSubset subset : endpoint.map(Endpoints::subsets).orElse(List.of())) {
        int targetPort = -1;
        for (EndpointPort endpointPort : subset.ports()) {
          if (endpointPort.name().equals(servicePort.name()) && isTcp(endpointPort.protocol())) {
            targetPort = endpointPort.port();
          }
        }
        if (targetPort <= 0) {
          continue;
        }
        for (EndpointAddress address : subset.addresses()) {
          if (!address.ip().isEmpty()) {
            candidates.add(new InetSocketAddress(address.ip(), targetPort));
          }
        }
      }
      return new Lookup(true, candidates);
    }
    return new Lookup(true, List.of());
  }

  /** TCP, the protocol of a port that names none (defaulting sets it, the read model gives "" when absent). */
  static boolean isTcp(String protocol) {
    return protocol.isEmpty() || protocol.equals("TCP");
  }

  private void index(Service service) {
    String key = service.metadata().key();
    String ip = service.spec().clusterIP();
    if (ip.isEmpty() || service.spec().isHeadless()) {
      unindex(key);
      return;
    }
    if (ip.equals(indexed.get(key))) {
      return;
    }
    unindex(key);
    if (byClusterIp.putIfAbsent(ip, key) == null) {
      indexed.put(key, ip);
    }
  }

  private void unindex(String key) {
    String ip = indexed.remove(key);
    if (ip != null) {
      byClusterIp.remove(ip, key);
    }
  }

  /** Namespace and name of a key "namespace/name". */
  private static final class Keys {
    static String namespace(String key) {
      return key.substring(0, key.indexOf('/'));
    }

    static String name(String key) {
      return key.substring(key.indexOf('/') + 1);
    }
  }
}
