package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import io.minicluster.dns.ResolvConf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@link NodeAgent}.
 *
 * @param nodeName the node this agent runs pods for ({@code spec.nodeName})
 * @param dataDir the agent's directory; pod volumes live in {@code dataDir/pods/<uid>/volumes/...}. A pod directory
 *     there also marks the pod's engine containers as this agent's own (orphans without one are left alone)
 * @param podCidr the pod network ({@link io.minicluster.agent.runtime.ContainerRuntime#ensureNetwork})
 * @param nodeIp the node's IP: {@code status.hostIP}, and the pod IP of host-network pods
 * @param clusterDns nameservers written into pods' resolv.conf (dnsPolicy ClusterFirst), empty for the engine's
 * @param searchDomains cluster search domain suffix (e.g. "cluster.local"), empty when there is no cluster DNS
 * @param hostResolvConf the host's resolv.conf, read for every new sandbox: the resolver of dnsPolicy Default pods
 *     and the search path ClusterFirst pods inherit (kubelet's --resolv-conf); systemd-resolved's stub is looked
 *     through
 * @param relistPeriod how often every pod is re-synchronised and the engine re-listed (safety net for lost events)
 * @param offline never pull images: images present on the machine are used whatever the pull policy says
 */
public record AgentConfig(String nodeName, Path dataDir, String podCidr, String nodeIp, List<String> clusterDns,
    String searchDomains, Path hostResolvConf, Duration relistPeriod, boolean offline) {

  public AgentConfig {
    requireNonNull(nodeName, "nodeName is null");
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(podCidr, "podCidr is null");
    requireNonNull(nodeIp, "nodeIp is null");
    clusterDns = List.copyOf(requireNonNull(clusterDns, "clusterDns is null"));
    requireNonNull(searchDomains, "searchDomains is null");
    requireNonNull(hostResolvConf, "hostResolvConf is null");
    requireNonNull(relistPeriod, "relistPeriod is null");
  }

  /** A configuration without cluster DNS, re-listing every 5 seconds. */
  public static AgentConfig of(String nodeName, Path dataDir, String podCidr, String nodeIp) {
    return new AgentConfig(nodeName, dataDir, podCidr, nodeIp, List.of(), "", ResolvConf.DEFAULT_PATH,
        Duration.ofSeconds(5), false);
  }

  public AgentConfig withClusterDns(List<String> servers, String domain) {
    return new AgentConfig(nodeName, dataDir, podCidr, nodeIp, servers, domain, hostResolvConf, relistPeriod,
        offline);
  }

  public AgentConfig withHostResolvConf(Path value) {
    return new AgentConfig(nodeName, dataDir, podCidr, nodeIp, clusterDns, searchDomains, value, relistPeriod,
        offline);
  }

  public AgentConfig withRelistPeriod(Duration value) {
    return new AgentConfig(nodeName, dataDir, podCidr, nodeIp, clusterDns, searchDomains, hostResolvConf, value,
        offline);
  }

  public AgentConfig withOffline(boolean value) {
    return new AgentConfig(nodeName, dataDir, podCidr, nodeIp, clusterDns, searchDomains, hostResolvConf,
        relistPeriod, value);
  }

  /** The directory of one pod. */
  public Path podDirectory(String podUid) {
    return dataDir.resolve("pods").resolve(podUid);
  }
}
