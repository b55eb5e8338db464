package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the cluster DNS serves.
 *
 * @param listenAddress the address to serve on (the kube-dns service address once the service proxy routes it, or
 *     the node address its endpoints name); UDP and TCP on {@code port} (0: an ephemeral port, the same for both)
 * @param clusterDomain the zone, {@code cluster.local} by default
 * @param ttl the TTL of the zone's records and its SOA minimum (negative caching), 5 s like CoreDNS
 * @param podMode how {@code a-b-c-d.<ns>.pod.<zone>} answers
 * @param nameservers the DNS's own service addresses, for {@code ns.dns.<zone>} and the zone's NS record
 * @param upstreams where other names are forwarded (see {@link ResolvConf#upstreams}); the server's own address is
 *     removed from this list when it starts
 * @param upstreamTimeout how long each upstream is waited for before the next one is asked
 * @param cacheEntries how many upstream answers are cached (0: no cache)
 * @param cacheMaxTtl the longest an upstream answer is cached, whatever its TTL (CoreDNS's {@code cache 30})
 * @param maxUdpSize the largest UDP response sent, whatever size a client advertises
 */
public record DnsServerConfig(InetAddress listenAddress, int port, String clusterDomain, Duration ttl,
    PodMode podMode, List<InetAddress> nameservers, List<InetSocketAddress> upstreams, Duration upstreamTimeout,
    int cacheEntries, Duration cacheMaxTtl, int maxUdpSize) {
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  public DnsServerConfig {
    requireNonNull(listenAddress, "listenAddress is null");
    requireNonNull(clusterDomain, "clusterDomain is null");
    requireNonNull(ttl, "ttl is null");
    requireNonNull(podMode, "podMode is null");
    nameservers = List.copyOf(nameservers);
    upstreams = List.copyOf(upstreams);
    requireNonNull(upstreamTimeout, "upstreamTimeout is null");
    requireNonNull(cacheMaxTtl, "cacheMaxTtl is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxUdpSize < 512 || maxUdpSize > 65535) {
      throw new IllegalArgumentException("maxUdpSize out of range: " + maxUdpSize);
    }
  }

  /** The defaults: cluster.local, TTL 5 s, pods insecure (as kubeadm's Corefile), 2 s per upstream, 30 s cache. */
  public static DnsServerConfig defaults(InetAddress listenAddress, int port, List<InetAddress> nameservers,
      List<InetSocketAddress> upstreams) {
    return new DnsServerConfig(listenAddress, port, DEFAULT_CLUSTER_DOMAIN, Duration.ofSeconds(5), PodMode.INSECURE,
        nameservers, upstreams, Duration.ofSeconds(2), 10_000, Duration.ofSeconds(30), 4096);
  }

  public DnsServerConfig withClusterDomain(String domain) {
    return new DnsServerConfig(listenAddress, port, domain, ttl, podMode, nameservers, upstreams, upstreamTimeout,
        cacheEntries, cacheMaxTtl, maxUdpSize);
  }

  public DnsServerConfig withPodMode(PodMode mode) {
    return new DnsServerConfig(listenAddress, port, clusterDomain, ttl, mode, nameservers, upstreams,
        upstreamTimeout, cacheEntries, cacheMaxTtl, maxUdpSize);
  }

  public DnsServerConfig withUpstreamTimeout(Duration timeout) {
    return new DnsServerConfig(listenAddress, port, clusterDomain, ttl, podMode, nameservers, upstreams, timeout,
        cacheEntries, cacheMaxTtl, maxUdpSize);
  }

  public DnsServerConfig withCache(int entries, Duration maxTtl) {
    return new DnsServerConfig(listenAddress, port, clusterDomain, ttl, podMode, nameservers, upstreams,
        upstreamTimeout, entries, maxTtl, maxUdpSize);
  }
}
