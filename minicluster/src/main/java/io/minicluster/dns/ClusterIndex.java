package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Namespace;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.api.discovery.Endpoint;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What {@link InformerDirectory} answers from: the shared informers of services, endpoint slices, pods and namespaces
 * (as CoreDNS's kubernetes plugin reads its informers' caches). Each informer's handler keeps the indexes a query
 * needs (slices by service, services by cluster IP, slices by endpoint address, pods by IP) so that every query is a
 * few map lookups; records are converted at query time from the cached read models, which are never modified.
 *
 * <p>An endpoint's hostname is the slice's; without one, the hostname of the pod it targets when that pod's
 * {@code spec.subdomain} names the service (what the endpoint slice controller would have set), so
 * {@code <hostname>.<subdomain>.<ns>.svc.<zone>} answers as in Kubernetes.
 */
final class ClusterIndex {
  /** The label naming the service of an endpoint slice. */
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final Informer<Service> services;
  private final Informer<EndpointSlice> slices;
  private final Informer<Pod> pods;
  private final Informer<Namespace> namespaces;
  private final Clock clock;
  /** "namespace/service" to the keys ("namespace/slice") of its slices. */
  private final Map<String, Set<String>> slicesByService = new ConcurrentHashMap<>();
  private final Map<InetAddress, Set<String>> servicesByIp = new ConcurrentHashMap<>();
  private final Map<InetAddress, Set<String>> slicesByIp = new ConcurrentHashMap<>();
  private final Map<InetAddress, Set<String>> podsByIp = new ConcurrentHashMap<>();
  private volatile Instant lastModified;

  ClusterIndex(SharedInformers informers, Clock clock) {
    requireNonNull(informers, "informers is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.lastModified = clock.instant();
    this.services = informers.informer(Kinds.SERVICES);
    this.slices = informers.informer(Kinds.ENDPOINT_SLICES);
    this.pods = informers.informer(Kinds.PODS);
    this.namespaces = informers.informer(Kinds.NAMESPACES);
    services.addHandler(new Indexer<>(s -> s.metadata().key(), ClusterIndex::clusterIps, servicesByIp, null));
    slices.addHandler(new Indexer<>(s -> s.metadata().key(), ClusterIndex::endpointIps, slicesByIp,
        ClusterIndex::serviceKeyOf));
    pods.addHandler(new Indexer<>(p -> p.metadata().key(), ClusterIndex::podIps, podsByIp, null));
  }

  /** Starts the four informers (idempotent: they are shared). */
  void start() {
    List.of(services, slices, pods, namespaces).forEach(Informer::start);
  }

  boolean synced() {
    return services.hasSynced() && slices.hasSynced() && pods.hasSynced() && namespaces.hasSynced();
  }

  Instant lastModified() {
    return lastModified;
  }

  boolean namespaceExists(String namespace) {
    return namespaces.get(null, namespace).isPresent();
  }

  Optional<ClusterDirectory.Service> service(String namespace, String name) {
    return services.get(namespace, name).map(ClusterIndex::service);
  }

  List<ClusterDirectory.EndpointSet> endpoints(String namespace, String service) {
    List<ClusterDirectory.EndpointSet> sets = new ArrayList<>();
    for (EndpointSlice slice : slicesOf(namespace, service)) {
      List<ClusterDirectory.Port> ports = slice.ports().stream()
          .map(p -> new ClusterDirectory.Port(p.name() == null ? "" : p.name(), p.port() == null ? -1 : p.port(),
              p.protocol() == null ? "TCP" : p.protocol()))
          .toList();
      List<ClusterDirectory.EndpointAddress> addresses = new ArrayList<>();
      for (Endpoint endpoint : slice.endpoints()) {
        addresses.addAll(addresses(namespace, service, endpoint));
      }
      sets.add(new ClusterDirectory.EndpointSet(ports, addresses));
    }
    return sets;
  }

  List<ClusterDirectory.Service> servicesByClusterIp(InetAddress ip) {
    List<ClusterDirectory.Service> result = new ArrayList<>();
    for (String key : servicesByIp.getOrDefault(ip, Set.of())) {
      services.get(namespace(key), name(key)).map(ClusterIndex::service).ifPresent(result::add);
    }
    return result;
  }

  List<ClusterDirectory.ServiceEndpoint> endpointsByIp(InetAddress ip) {
    List<ClusterDirectory.ServiceEndpoint> result = new ArrayList<>();
    for (String key : slicesByIp.getOrDefault(ip, Set.of())) {
      EndpointSlice slice = slices.get(namespace(key), name(key)).orElse(null);
      String service = slice == null ? null : serviceKeyOf(slice);
      if (service == null) {
        continue;
      }
      for (Endpoint endpoint : slice.endpoints()) {
        for (ClusterDirectory.EndpointAddress address : addresses(namespace(key), name(service), endpoint)) {
          if (address.ip().equals(ip)) {
            result.add(new ClusterDirectory.ServiceEndpoint(namespace(key), name(service), address));
          }
        }
      }
    }
    return result;
  }

  List<ClusterDirectory.Pod> podsByIp(InetAddress ip) {
    List<ClusterDirectory.Pod> result = new ArrayList<>();
    for (String key : podsByIp.getOrDefault(ip, Set.of())) {
      pods.get(namespace(key), name(key)).filter(pod -> podIps(pod).contains(ip))
          .ifPresent(pod -> result.add(new ClusterDirectory.Pod(pod.metadata().namespace(), pod.metadata().name(), ip)));
    }
    return result;
  }

  private List<EndpointSlice> slicesOf(String namespace, String service) {
    List<EndpointSlice> result = new ArrayList<>();
    for (String key : slicesByService.getOrDefault(namespace + "/" + service, Set.of())) {
      slices.get(namespace(key), name(key)).filter(slice -> isAddressSlice(slice)
          && service.equals(slice.metadata().labels().get(SERVICE_NAME_LABEL))).ifPresent(result::add);
    }
    return result;
  }

  private List<ClusterDirectory.EndpointAddress> addresses(String namespace, String service, Endpoint endpoint) {
    boolean ready = endpoint.conditions() == null || endpoint.conditions().ready() == null
        || endpoint.conditions().ready();
    String podName = endpoint.targetRef() != null && "Pod".equals(endpoint.targetRef().kind())
        && endpoint.targetRef().name() != null ? endpoint.targetRef().name() : "";
    String hostname = endpoint.hostname() == null ? "" : endpoint.hostname();
    if (hostname.isEmpty() && !podName.isEmpty()) {
      hostname = pods.get(namespace, podName)
          .filter(pod -> service.equals(pod.spec().subdomain()) && pod.spec().hostname() != null)
          .map(pod -> pod.spec().hostname()).orElse("");
    }
    List<ClusterDirectory.EndpointAddress> result = new ArrayList<>();
    for (String address : endpoint.addresses()) {
      if (IpAddresses.isLiteral(address)) {
        result.add(new ClusterDirectory.EndpointAddress(IpAddresses.parse(address), hostname, podName, ready));
      }
    }
    return result;
  }

  /** The DNS's view of a service. */
  static ClusterDirectory.Service service(Service service) {
    List<ClusterDirectory.Port> ports = new ArrayList<>();
    for (ServicePort port : service.spec().ports()) {
      ports.add(new ClusterDirectory.Port(port.name() == null ? "" : port.name(), port.port(),
          port.protocol() == null || port.protocol().isEmpty() ? "TCP" : port.protocol()));
    }
    ClusterDirectory.ServiceKind kind;
    if ("ExternalName".equals(service.spec().type())) {
      kind = ClusterDirectory.ServiceKind.EXTERNAL_NAME;
    } else if (service.spec().isHeadless()) {
      kind = ClusterDirectory.ServiceKind.HEADLESS;
    } else {
      kind = ClusterDirectory.ServiceKind.CLUSTER_IP;
    }
    String externalName = kind == ClusterDirectory.ServiceKind.EXTERNAL_NAME && service.spec().externalName() != null
        ? service.spec().externalName() : "";
    return new ClusterDirectory.Service(service.metadata().namespace(), service.metadata().name(), kind,
        kind == ClusterDirectory.ServiceKind.CLUSTER_IP ? clusterIps(service) : List.of(), ports, externalName,
        service.spec().publishNotReadyAddresses());
  }

  private static List<InetAddress> clusterIps(Service service) {
    List<String> literals = service.spec().clusterIPs().isEmpty() && service.spec().clusterIP() != null
        ? List.of(service.spec().clusterIP()) : service.spec().clusterIPs();
    if ("ExternalName".equals(service.spec().type())) {
      return List.of();
    }
    return literals.stream().filter(IpAddresses::isLiteral).map(IpAddresses::parse).distinct().toList();
  }

  private static List<InetAddress> endpointIps(EndpointSlice slice) {
    if (!isAddressSlice(slice)) {
      return List.of();
    }
    return slice.endpoints().stream().flatMap(endpoint -> endpoint.addresses().stream())
        .filter(IpAddresses::isLiteral).map(IpAddresses::parse).distinct().toList();
  }

  /** A pod's IPs, for a pod on the pod network that has not finished (a host-network pod has the node's IP). */
  private static List<InetAddress> podIps(Pod pod) {
    if (pod.spec().hostNetwork() || pod.isTerminal()) {
      return List.of();
    }
    List<String> literals = new ArrayList<>();
    pod.status().podIPs().forEach(podIp -> literals.add(podIp.ip()));
    if (literals.isEmpty() && pod.status().podIP() != null) {
      literals.add(pod.status().podIP());
    }
    return literals.stream().filter(IpAddresses::isLiteral).map(IpAddresses::parse).distinct().toList();
  }

  private static boolean isAddressSlice(EndpointSlice slice) {
    return "IPv4".equals(slice.addressType()) || "IPv6".equals(slice.addressType());
  }

  private static String serviceKeyOf(EndpointSlice slice) {
    String service = slice.metadata().labels().get(SERVICE_NAME_LABEL);
    return service == null || service.isEmpty() ? null : slice.metadata().namespace() + "/" + service;
  }

  private static String namespace(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private static String name(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  private static <K> void add(Map<K, Set<String>> index, K at, String key) {
    index.computeIfAbsent(at, k -> ConcurrentHashMap.newKeySet()).add(key);
  }

  private static <K> void remove(Map<K, Set<String>> index, K at, String key) {
    index.computeIfPresent(at, (k, keys) -> {
      keys.remove(key);
      return keys.isEmpty() ? null : keys;
    });
  }

  /**
   * Keeps an index from IP to object keys (and, for slices, from service to slice keys) in step with one informer,
   * and marks the zone modified when services or slices change.
   */
  private final class Indexer<T> implements Informer.Handler<T> {
    private final Function<T, String> key;
    private final Function<T, List<InetAddress>> ips;
    private final Map<InetAddress, Set<String>> byIp;
    private final Function<T, String> service;

    Indexer(Function<T, String> key, Function<T, List<InetAddress>> ips, Map<InetAddress, Set<String>> byIp,
        Function<T, String> service) {
      this.key = key;
      this.ips = ips;
      this.byIp = byIp;
      this.service = service;
    }

    @Override
    public void onAdd(T object) {
      String k = key.apply(object);
      for (InetAddress ip : ips.apply(object)) {
        add(byIp, ip, k);
      }
      if (service != null && service.apply(object) != null) {
        add(slicesByService, service.apply(object), k);
      }
      modified();
    }

    @Override
    public void onUpdate(T old, T object) {
      if (old == object) {
        return;
      }
      String k = key.apply(object);
      List<InetAddress> now = ips.apply(object);
      for (InetAddress ip : ips.apply(old)) {
        if (!now.contains(ip)) {
          remove(byIp, ip, k);
        }
      }
      for (InetAddress ip : now) {
        add(byIp, ip, k);
      }
      if (service != null) {
        String before = service.apply(old);
        String after = service.apply(object);
        if (before != null && !before.equals(after)) {
          remove(slicesByService, before, k);
        }
        if (after != null) {
          add(slicesByService, after, k);
        }
      }
      modified();
    }

    @Override
    public void onDelete(T object) {
      String k = key.apply(object);
      for (InetAddress ip : ips.apply(object)) {
        remove(byIp, ip, k);
      }
      if (service != null && service.apply(object) != null) {
        remove(slicesByService, service.apply(object), k);
      }
      modified();
    }

    private void modified() {
      if (byIp != podsByIp) {
        lastModified = clock.instant();
      }
    }
  }
}
