package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the service proxy.
 *
 * @param nodeName the node whose addresses take node ports and load-balancer traffic
 * @param podCidr the pod network: traffic from elsewhere to a cluster IP is masqueraded (kube-proxy's cluster-CIDR
 *     local traffic detector)
 * @param minSyncPeriod kube-proxy's --iptables-min-sync-period: changes within it are applied in one sync
 * @param syncPeriod kube-proxy's --iptables-sync-period: a full resync at least this often
 * @param chains the chains of this proxy (of this installation)
 * @param apiPort the API server's port on the host, which pods reach (through the kubernetes service) past a host
 *     firewall dropping INPUT, as the cluster DNS on port 53; 0: none
 * @param serviceCidr the service network: a new connection to an address in it that no service rule translated is
 *     refused on the node, never routed off it (kube-proxy leaves it to the default route); "": none
 */
public record ProxyConfig(String nodeName, String podCidr, Duration minSyncPeriod, Duration syncPeriod,
    Chains chains, int apiPort, String serviceCidr) {
  /**
   * Half kube-proxy's default of 1 s. kube-proxy's value is sized for syncs that cost up to seconds on large nodes
   * (kubernetes#92836); here a partial sync (only the changed chains) of 1,000 services costs about 75 ms, so two a
   * second under continuous churn stay below a sixth of one core, while a service created amid other changes waits at
   * most 0.5 s for its rules instead of 1 s (with 1 s, created -> reachable had a p99 of 1.08 s). The burst of two
   * syncs after a quiet spell stays as kube-proxy's.
   */
  public static final Duration DEFAULT_MIN_SYNC_PERIOD = Duration.ofMillis(500);
  /** kube-proxy's default: 30 s. */
  public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(30);

  public ProxyConfig {
    requireNonNull(nodeName, "nodeName is null");
    requireNonNull(podCidr, "podCidr is null");
    requireNonNull(minSyncPeriod, "minSyncPeriod is null");
    requireNonNull(syncPeriod, "syncPeriod is null");
    requireNonNull(chains, "chains is null");
    requireNonNull(serviceCidr, "serviceCidr is null");
    if (apiPort < 0 || apiPort > 65535) {
      throw new IllegalArgumentException("apiPort out of range: " + apiPort);
    }
  }

  /** The default periods, no API port. */
  public static ProxyConfig of(String nodeName, String podCidr, Chains chains) {
    return new ProxyConfig(nodeName, podCidr, DEFAULT_MIN_SYNC_PERIOD, DEFAULT_SYNC_PERIOD, chains, 0, "");
  }

  /** This configuration with the API server's port. */
  public ProxyConfig withApiPort(int port) {
    return new ProxyConfig(nodeName, podCidr, minSyncPeriod, syncPeriod, chains, port, serviceCidr);
  }

  /** This configuration with the service network, whose unused addresses are refused. */
  public ProxyConfig withServiceCidr(String cidr) {
    return new ProxyConfig(nodeName, podCidr, minSyncPeriod, syncPeriod, chains, apiPort, cidr);
  }
}
