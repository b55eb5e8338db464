package io.minicluster.dns;

import io.minicluster.dns.ClusterDirectory.EndpointAddress;
import io.minicluster.dns.ClusterDirectory.EndpointSet;
import io.minicluster.dns.ClusterDirectory.Pod;
import io.minicluster.dns.ClusterDirectory.Port;
import io.minicluster.dns.ClusterDirectory.Service;
import io.minicluster.dns.ClusterDirectory.ServiceEndpoint;
import io.minicluster.dns.ClusterDirectory.ServiceKind;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/** A {@link ClusterDirectory} held in maps, for tests: what the wiring will build over the informers' caches. */
final class InMemoryDirectory implements ClusterDirectory {
  private final Set<String> namespaces = new CopyOnWriteArraySet<>(List.of("default", "kube-system"));
  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, List<EndpointSet>> endpoints = new ConcurrentHashMap<>();
  private final Map<InetAddress, List<Pod>> pods = new ConcurrentHashMap<>();
  private volatile boolean synced = true;
  private volatile Instant modified = Instant.ofEpochSecond(1_700_000_000L);

  InMemoryDirectory namespace(String name) {
    namespaces.add(name);
    return this;
  }

  InMemoryDirectory synced(boolean value) {
    synced = value;
    return this;
  }

  InMemoryDirectory clusterIp(String namespace, String name, List<String> ips, Port... ports) {
    return put(new Service(namespace, name, ServiceKind.CLUSTER_IP, ips.stream().map(IpAddresses::parse).toList(),
        Arrays.asList(ports), "", false));
  }

  InMemoryDirectory headless(String namespace, String name, boolean publishNotReady, Port... ports) {
    return put(new Service(namespace, name, ServiceKind.HEADLESS, List.of(), Arrays.asList(ports), "",
        publishNotReady));
  }

  InMemoryDirectory externalName(String namespace, String name, String target) {
    return put(new Service(namespace, name, ServiceKind.EXTERNAL_NAME, List.of(), List.of(), target, false));
  }

  InMemoryDirectory put(Service service) {
    services.put(key(service.namespace(), service.name()), service);
    modified = modified.plusSeconds(1);
    return this;
  }

  InMemoryDirectory endpoints(String namespace, String service, List<Port> ports, EndpointAddress... addresses) {
    endpoints.computeIfAbsent(key(namespace, service), k -> new ArrayList<>())
        .add(new EndpointSet(ports, Arrays.asList(addresses)));
    modified = modified.plusSeconds(1);
    return this;
  }

  InMemoryDirectory pod(String namespace, String name, String ip) {
    InetAddress address = IpAddresses.parse(ip);
    pods.computeIfAbsent(address, k -> new ArrayList<>()).add(new Pod(namespace, name, address));
    return this;
  }

  static Port port(String name, int port, String protocol) {
    return new Port(name, port, protocol);
  }

  static EndpointAddress ready(String ip, String hostname) {
    return new EndpointAddress(IpAddresses.parse(ip), hostname, "", true);
  }

  static EndpointAddress notReady(String ip, String hostname) {
    return new EndpointAddress(IpAddresses.parse(ip), hostname, "", false);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public boolean synced() {
    return synced;
  }

  @Override
  public Instant lastModified() {
    return modified;
  }

  @Override
  public boolean namespaceExists(String namespace) {
    return namespaces.contains(namespace);
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(key(namespace, name)));
  }

  @Override
  public List<EndpointSet> endpoints(String namespace, String service) {
    return endpoints.getOrDefault(key(namespace, service), List.of());
  }

  @Override
  public List<Service> servicesByClusterIp(InetAddress ip) {
    return services.values().stream().filter(s -> s.clusterIps().contains(ip)).toList();
  }

  @Override
  public List<ServiceEndpoint> endpointsByIp(InetAddress ip) {
    List<ServiceEndpoint> result = new ArrayList<>();
    endpoints.forEach((key, sets) -> {
      String[] parts = key.split("/");
      for (EndpointSet set : sets) {
        for (EndpointAddress address : set.addresses()) {
          if (address.ip().equals(ip)) {
            result.add(new ServiceEndpoint(parts[0], parts[1], address));
          }
        }
      }
    });
    return result;
  }

  @Override
  public List<Pod> podsByIp(InetAddress ip) {
    return pods.getOrDefault(ip, List.of());
  }
}
