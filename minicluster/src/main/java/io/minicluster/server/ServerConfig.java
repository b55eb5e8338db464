package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the daemon.
 *
 * @param dataDir state directory (database, PKI, kubeconfig)
 * @param bindAddress address the API listens on
 * @param apiPort API port (0 = any free port)
 * @param nodeName name of this node
 * @param podCidr pod network
 * @param serviceCidr service network
 * @param socksPort SOCKS gateway port (-1 = disabled)
 * @param socksBindAddress SOCKS gateway address
 * @param socksCredentials "user:password" required by the SOCKS gateway, or null
 * @param socksAllowedClients client CIDRs allowed to use the SOCKS gateway (empty = any client that may connect)
 * @param socksExtraDestinations CIDRs the gateway may reach besides the cluster networks
 * @param runNodeAgent whether to run pods on the local Docker engine
 * @param runControllers whether to run the scheduler and controllers (off for API-only benchmarks)
 * @param sandboxImage the pod sandbox ("pause") image; built locally when it cannot be pulled
 * @param offline never pull images (use what is on the machine)
 * @param clusterDomain the cluster's DNS domain ({@value #CLUSTER_DOMAIN} by default)
 * @param podNetwork the Docker bridge network of the pods
 * @param serviceProxy whether to program the host's iptables as kube-proxy does (setting service-proxy, on by
 *     default)
 * @param socksIdleTimeout how long a relayed gateway connection may be idle (zero: no limit, the default)
 * @param clusterDns the cluster IP of the kube-dns service ({@value #CLUSTER_DNS} by default)
 * @param clusterDnsUpstreams where the cluster DNS forwards other names ("IP" or "IP:port"); empty: the host's resolvers
 * @param nodeMonitorGracePeriod how long a node may go without a heartbeat before the node lifecycle controller marks
 *     it Unknown (setting node-monitor-grace-period, 50 s as kube-controller-manager's default)
 * @param eventTtl how long an event lives after its last write (setting event-ttl, one hour as the apiserver's
 *     --event-ttl; zero: for ever)
 * @param simulatedNode whether the node is simulated (pods go Running without containers, no Docker engine needed)
 *     instead of run on the Docker engine; it takes the place of the node agent whatever {@code runNodeAgent} says
 */
public record ServerConfig(Path dataDir, String bindAddress, int apiPort, String nodeName, String podCidr,
    String serviceCidr, int socksPort, String socksBindAddress, String socksCredentials,
    List<String> socksAllowedClients, List<String> socksExtraDestinations, boolean runNodeAgent,
    boolean runControllers, String sandboxImage, boolean offline, String clusterDomain, String podNetwork,
    boolean serviceProxy, Duration socksIdleTimeout, String clusterDns, List<String> clusterDnsUpstreams,
    Duration nodeMonitorGracePeriod, Duration eventTtl, boolean simulatedNode) {

  public static final String DEFAULT_POD_CIDR = "10.244.0.0/16";
  public static final String CLUSTER_DNS = "10.96.0.10";
  public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
  public static final String CLUSTER_DOMAIN = "cluster.local";
  public static final Duration DEFAULT_NODE_MONITOR_GRACE_PERIOD = Duration.ofSeconds(50);
  public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);

  public ServerConfig {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(bindAddress, "bindAddress is null");
    requireNonNull(nodeName, "nodeName is null");
    requireNonNull(podCidr, "podCidr is null");
    requireNonNull(serviceCidr, "serviceCidr is null");
    requireNonNull(socksBindAddress, "socksBindAddress is null");
    requireNonNull(sandboxImage, "sandboxImage is null");
    requireNonNull(clusterDomain, "clusterDomain is null");
    requireNonNull(podNetwork, "podNetwork is null");
    requireNonNull(socksIdleTimeout, "socksIdleTimeout is null");
    requireNonNull(clusterDns, "clusterDns is null");
    requireNonNull(nodeMonitorGracePeriod, "nodeMonitorGracePeriod is null");
    requireNonNull(eventTtl, "eventTtl is null");
    if (nodeMonitorGracePeriod.isZero() || nodeMonitorGracePeriod.isNegative()) {
      throw new IllegalArgumentException("node-monitor-grace-period must be positive: " + nodeMonitorGracePeriod);
    }
    if (eventTtl.isNegative()) {
      throw new IllegalArgumentException("event-ttl must not be negative: " + eventTtl);
    }
    clusterDnsUpstreams = List.copyOf(clusterDnsUpstreams);
    socksAllowedClients = List.copyOf(socksAllowedClients);
    socksExtraDestinations = List.copyOf(socksExtraDestinations);
  }

  /** Settings with the default node monitor grace period and event TTL, on the Docker engine. */
  public ServerConfig(Path dataDir, String bindAddress, int apiPort, String nodeName, String podCidr,
      String serviceCidr, int socksPort, String socksBindAddress, String socksCredentials,
      List<String> socksAllowedClients, List<String> socksExtraDestinations, boolean runNodeAgent,
      boolean runControllers, String sandboxImage, boolean offline, String clusterDomain, String podNetwork,
      boolean serviceProxy, Duration socksIdleTimeout, String clusterDns, List<String> clusterDnsUpstreams) {
    this(dataDir, bindAddress, apiPort, nodeName, podCidr, serviceCidr, socksPort, socksBindAddress,
        socksCredentials, socksAllowedClients, socksExtraDestinations, runNodeAgent, runControllers, sandboxImage,
        offline, clusterDomain, podNetwork, serviceProxy, socksIdleTimeout, clusterDns, clusterDnsUpstreams,
        DEFAULT_NODE_MONITOR_GRACE_PERIOD, DEFAULT_EVENT_TTL, false);
  }

  /** Settings without the service proxy and the gateway's idle timeout, with the default cluster DNS. */
  public ServerConfig(Path dataDir, String bindAddress, int apiPort, String nodeName, String podCidr,
      String serviceCidr, int socksPort, String socksBindAddress, String socksCredentials,
      List<String> socksAllowedClients, List<String> socksExtraDestinations, boolean runNodeAgent,
      boolean runControllers, String sandboxImage, boolean offline, String clusterDomain, String podNetwork) {
    this(dataDir, bindAddress, apiPort, nodeName, podCidr, serviceCidr, socksPort, socksBindAddress,
        socksCredentials, socksAllowedClients, socksExtraDestinations, runNodeAgent, runControllers, sandboxImage,
        offline, clusterDomain, podNetwork, false, Duration.ZERO, CLUSTER_DNS, List.of());
  }

  /** The same settings with the node simulated or not. */
  public ServerConfig withSimulatedNode(boolean simulated) {
    return new ServerConfig(dataDir, bindAddress, apiPort, nodeName, podCidr, serviceCidr, socksPort,
        socksBindAddress, socksCredentials, socksAllowedClients, socksExtraDestinations, runNodeAgent, runControllers,
        sandboxImage, offline, clusterDomain, podNetwork, serviceProxy, socksIdleTimeout, clusterDns,
        clusterDnsUpstreams, nodeMonitorGracePeriod, eventTtl, simulated);
  }
}
