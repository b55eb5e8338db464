package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pod's sandbox (the "pause" container holding the network and IPC namespaces) needs. Build with
 * {@link #builder(String, String, String)}.
 *
 * @param podUid pod {@code metadata.uid}
 * @param podName pod name
 * @param podNamespace pod namespace
 * @param attempt how many sandboxes this pod had before (0 for the first); part of the container name
 * @param hostname hostname inside the pod; empty means the pod name (ignored with host network)
 * @param hostNetwork use the host's network namespace ({@code hostNetwork: true})
 * @param hostIpc use the host's IPC namespace
 * @param ipAddress fixed pod IP on the pod network, empty to let the engine assign one
 * @param dnsServers nameservers written to the pod's resolv.conf, empty for the engine default
 * @param dnsSearches search domains
 * @param dnsOptions resolver options ("ndots:5")
 * @param extraHosts additional /etc/hosts entries as "hostname:ip"
 * @param portMappings host ports
 * @param shmSizeBytes size of /dev/shm, 0 for the engine default (64 MiB)
 * @param configHash hash of the pod fields the sandbox was created from, stored as a label
 */
public record SandboxSpec(
    String podUid,
    String podName,
    String podNamespace,
    int attempt,
    String hostname,
    boolean hostNetwork,
    boolean hostIpc,
    String ipAddress,
    List<String> dnsServers,
    List<String> dnsSearches,
    List<String> dnsOptions,
    List<String> extraHosts,
    List<PortMapping> portMappings,
    long shmSizeBytes,
    String configHash) {

  public SandboxSpec {
    requireNonNull(podUid, "podUid is null");
    requireNonNull(podName, "podName is null");
    requireNonNull(podNamespace, "podNamespace is null");
    requireNonNull(hostname, "hostname is null");
    requireNonNull(ipAddress, "ipAddress is null");
    dnsServers = List.copyOf(requireNonNull(dnsServers, "dnsServers is null"));
    dnsSearches = List.copyOf(requireNonNull(dnsSearches, "dnsSearches is null"));
    dnsOptions = List.copyOf(requireNonNull(dnsOptions, "dnsOptions is null"));
    extraHosts = List.copyOf(requireNonNull(extraHosts, "extraHosts is null"));
    portMappings = List.copyOf(requireNonNull(portMappings, "portMappings is null"));
    requireNonNull(configHash, "configHash is null");
    if (podUid.isEmpty() || podName.isEmpty() || podNamespace.isEmpty()) {
      throw new IllegalArgumentException("podUid, podName and podNamespace must not be empty");
    }
    if (attempt < 0 || shmSizeBytes < 0) {
      throw new IllegalArgumentException("attempt and shmSizeBytes must not be negative");
    }
  }

  /** The hostname the sandbox gets: {@link #hostname()} or else the pod name. */
  public String effectiveHostname() {
    return hostname.isEmpty() ? podName : hostname;
  }

  public static Builder builder(String podUid, String podName, String podNamespace) {
    return new Builder(podUid, podName, podNamespace);
  }

  /** Builder for {@link SandboxSpec}; every field not set has its "not set" default. */
  public static final class Builder {
    private final String podUid;
    private final String podName;
    private final String podNamespace;
    private int attempt;
    private String hostname = "";
    private boolean hostNetwork;
    private boolean hostIpc;
    private String ipAddress = "";
    private List<String> dnsServers = new ArrayList<>();
    private List<String> dnsSearches = new ArrayList<>();
    private List<String> dnsOptions = new ArrayList<>();
    private List<String> extraHosts = new ArrayList<>();
    private List<PortMapping> portMappings = new ArrayList<>();
    private long shmSizeBytes;
    private String configHash = "";

    private Builder(String podUid, String podName, String podNamespace) {
      this.podUid = podUid;
      this.podName = podName;
      this.podNamespace = podNamespace;
    }

    public Builder attempt(int value) {
      this.attempt = value;
      return this;
    }

    public Builder hostname(String value) {
      this.hostname = value;
      return this;
    }

    public Builder hostNetwork(boolean value) {
      this.hostNetwork = value;
      return this;
    }

    public Builder hostIpc(boolean value) {
      this.hostIpc = value;
      return this;
    }

    public Builder ipAddress(String value) {
      this.ipAddress = value;
      return this;
    }

    public Builder dnsServers(List<String> value) {
      this.dnsServers = value;
      return this;
    }

    public Builder dnsSearches(List<String> value) {
      this.dnsSearches = value;
      return this;
    }

    public Builder dnsOptions(List<String> value) {
      this.dnsOptions = value;
      return this;
    }

    public Builder extraHosts(List<String> value) {
      this.extraHosts = value;
      return this;
    }

    public Builder portMappings(List<PortMapping> value) {
      this.portMappings = value;
      return this;
    }

    public Builder shmSizeBytes(long value) {
      this.shmSizeBytes = value;
      return this;
    }

    public Builder configHash(String value) {
      this.configHash = value;
      return this;
    }

    public SandboxSpec build() {
      return new SandboxSpec(podUid, podName, podNamespace, attempt, hostname, hostNetwork, hostIpc, ipAddress,
          dnsServers, dnsSearches, dnsOptions, extraHosts, portMappings, shmSizeBytes, configHash);
    }
  }
}
