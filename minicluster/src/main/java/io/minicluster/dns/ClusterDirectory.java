package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the cluster DNS needs to know about the cluster, in its own terms: the narrow read model the wiring implements
 * over the informers' caches (as CoreDNS's kubernetes plugin reads through its {@code dnsController}). Every method is
 * called for each query on the DNS server's event loops, from several threads at once: implementations answer from
 * memory (the informers' caches), are thread-safe and never block.
 * Names are Kubernetes names (lower-case DNS labels); the DNS compares them case-insensitively itself.
 */
public interface ClusterDirectory {

  /** False until the caches have synchronised once: until then a missing name is SERVFAIL, not NXDOMAIN. */
  boolean synced();

  /** When services or endpoints last changed: the zone's SOA serial (seconds since the epoch). */
  Instant lastModified();

  /** Whether the namespace exists (names in a namespace that does not exist are NXDOMAIN). */
  boolean namespaceExists(String namespace);

  /** The service {@code namespace/name}, if any. */
  Optional<Service> service(String namespace, String name);

  /**
   * The endpoints of the service {@code namespace/name}: one {@link EndpointSet} per EndpointSlice (or per subset of
   * the Endpoints object), ready and not-ready addresses alike (the DNS filters on readiness).
   */
  List<EndpointSet> endpoints(String namespace, String service);

  /** The services one of whose cluster IPs is {@code ip} (for PTR). */
  List<Service> servicesByClusterIp(InetAddress ip);

  /** The endpoint addresses equal to {@code ip}, with the service each belongs to (for PTR). */
  List<ServiceEndpoint> endpointsByIp(InetAddress ip);

  /** The pods whose IP is {@code ip} (for PTR and, in verified pod mode, pod A records). */
  List<Pod> podsByIp(InetAddress ip);

  /** How a service answers in DNS. */
  enum ServiceKind {
    /** A service with cluster IPs (ClusterIP, NodePort and LoadBalancer types): A/AAAA are the cluster IPs. */
    CLUSTER_IP,
    /** {@code clusterIP: None}: A/AAAA are the ready endpoints' addresses. */
    HEADLESS,
    /** {@code type: ExternalName}: a CNAME to {@link Service#externalName()}. */
    EXTERNAL_NAME
  }

  /**
   * A service: its kind, its cluster IPs (IPv4 and/or IPv6, empty unless {@link ServiceKind#CLUSTER_IP}), its ports,
   * its ExternalName target (empty string unless {@link ServiceKind#EXTERNAL_NAME}) and
   * {@code spec.publishNotReadyAddresses}.
   */
  record Service(String namespace, String name, ServiceKind kind, List<InetAddress> clusterIps, List<Port> ports,
      String externalName, boolean publishNotReadyAddresses) {
    public Service {
      requireNonNull(namespace, "namespace is null");
      requireNonNull(name, "name is null");
      requireNonNull(kind, "kind is null");
      clusterIps = List.copyOf(clusterIps);
      ports = List.copyOf(ports);
      requireNonNull(externalName, "externalName is null");
    }
  }

  /** A port of a service or of an endpoint set; {@code name} is empty for an unnamed port; protocol TCP, UDP, SCTP. */
  record Port(String name, int port, String protocol) {
    public Port {
      requireNonNull(name, "name is null");
      requireNonNull(protocol, "protocol is null");
    }
  }

  /** The ports and addresses of one EndpointSlice (or one subset of an Endpoints object). */
  record EndpointSet(List<Port> ports, List<EndpointAddress> addresses) {
    public EndpointSet {
      ports = List.copyOf(ports);
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * One endpoint address: its IP, its {@code hostname} (empty if none), the name of the pod it targets (empty if
   * none) and whether it is ready ({@code conditions.ready}; an unknown condition counts as ready).
   */
  record EndpointAddress(InetAddress ip, String hostname, String podName, boolean ready) {
    public EndpointAddress {
      requireNonNull(ip, "ip is null");
      requireNonNull(hostname, "hostname is null");
      requireNonNull(podName, "podName is null");
    }
  }

  /** An endpoint address with the service it belongs to. */
  record ServiceEndpoint(String namespace, String service, EndpointAddress address) {
    public ServiceEndpoint {
      requireNonNull(namespace, "namespace is null");
      requireNonNull(service, "service is null");
      requireNonNull(address, "address is null");
    }
  }

  /** A pod with an IP. */
  record Pod(String namespace, String name, InetAddress ip) {
    public Pod {
      requireNonNull(namespace, "namespace is null");
      requireNonNull(name, "name is null");
      requireNonNull(ip, "ip is null");
    }
  }
}
