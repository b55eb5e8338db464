package io.minicluster.config;

import io.minicluster.agent.runtime.DockerRuntimeConfig;
import java.util.List;

/**
 * Every setting of the daemon. Each key of the configuration file is the name of the {@code minicluster server} flag
 * without its dashes ({@code api-port: 6443} is {@code --api-port 6443}); flags override the file. Keys in this order
 * are the order of {@code --print-config} and of the sample file.
 */
public enum ConfigKey {
  DATA_DIR("data-dir", ValueType.ABSOLUTE_PATH, false, "/var/lib/minicluster",
      "State directory: database, certificates (pki/), admin kubeconfig (kubeconfig.yaml), pod volumes."),
  API_PORT("api-port", ValueType.PORT, false, "6443", "Port of the Kubernetes API server (HTTPS)."),
  BIND_ADDRESS("bind-address", ValueType.IP_ADDRESS, false, "0.0.0.0",
      "Address the API server listens on (0.0.0.0: every IPv4 address)."),
  NODE_NAME("node-name", ValueType.DNS_NAME, false, null, "Name of this node (default: the host name)."),
  POD_CIDR("pod-cidr", ValueType.IPV4_CIDR, false, "10.244.0.0/16", "Pod network (the Docker bridge's subnet)."),
  SERVICE_CIDR("service-cidr", ValueType.IPV4_CIDR, false, "10.96.0.0/12", "Service (cluster IP) network."),
  CLUSTER_DOMAIN("cluster-domain", ValueType.DNS_NAME, false, "cluster.local",
      "DNS domain of the cluster: <service>.<namespace>.svc.<cluster-domain>."),
  CLUSTER_DNS("cluster-dns", ValueType.IP_ADDRESS, false, null,
      "Cluster IP of the kube-system/kube-dns service, in service-cidr (default: its 10th address, 10.96.0.10): the "
          + "nameserver pods get while the service proxy runs (without it, the pod network's gateway, where the "
          + "cluster DNS also answers)."),
  CLUSTER_DNS_UPSTREAM("cluster-dns-upstream", ValueType.DNS_UPSTREAM, true, null,
      "Resolvers the cluster DNS forwards other names to, as IP or IP:port (default: the host's, from "
          + "/etc/resolv.conf, or what systemd-resolved forwards to)."),
  POD_NETWORK("pod-network", ValueType.NETWORK_NAME, false, DockerRuntimeConfig.DEFAULT_NETWORK,
      "Name of the Docker bridge network pods are attached to."),
  SOCKS_PORT("socks-port", ValueType.PORT_OR_OFF, false, "1080",
      "Port of the SOCKS5/HTTP gateway into the cluster network (-1: no gateway)."),
  SOCKS_BIND_ADDRESS("socks-bind-address", ValueType.IP_ADDRESS, false, "127.0.0.1",
      "Address of the SOCKS gateway; beyond loopback it needs socks-user or socks-allow-client."),
  SOCKS_USER("socks-user", ValueType.CREDENTIALS, false, null,
      "user:password the SOCKS gateway requires (default: none)."),
  SOCKS_ALLOW_CLIENT("socks-allow-client", ValueType.CIDR, true, null,
      "Client networks allowed to use the SOCKS gateway (default: any client that can connect)."),
  SOCKS_ALLOW("socks-allow", ValueType.CIDR, true, null,
      "Extra destination networks the SOCKS gateway may reach besides the pod and service networks."),
  SOCKS_IDLE_TIMEOUT("socks-idle-timeout", ValueType.DURATION, false, "0",
      "Close relayed connections idle this long, e.g. 30m (0: never; TCP keepalive finds dead peers)."),
  SANDBOX_IMAGE("sandbox-image", ValueType.IMAGE, false, DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE,
      "Pod sandbox (pause) image; built locally when it cannot be pulled."),
  OFFLINE("offline", ValueType.BOOLEAN, false, "false",
      "Never pull images: run the images present on this machine."),
  NODE_AGENT("node-agent", ValueType.BOOLEAN, false, "true",
      "Run pods on the local Docker engine (false: API server, scheduler and controllers only)."),
  SIMULATED_NODE("simulated-node", ValueType.BOOLEAN, false, "false",
      "Run a simulated node instead of the Docker one, as kwok does: pods bound to it go Running without containers "
          + "(addresses from pod-cidr, as many pods as it has addresses) and Docker is not needed; for measuring the "
          + "control plane with many pods."),
  SERVICE_PROXY("service-proxy", ValueType.BOOLEAN, false, "true",
      "Program the host's iptables (as root) so that cluster IPs, node ports and load balancers answer."),
  NODE_MONITOR_GRACE_PERIOD("node-monitor-grace-period", ValueType.DURATION, false, "50s",
      "How long a node may go without renewing its lease before it is marked NotReady (Unknown) and tainted."),
  EVENT_TTL("event-ttl", ValueType.DURATION, false, "1h",
      "How long events are kept after their last update (0: forever).");

  private final String key;
  private final ValueType type;
  private final boolean list;
  private final String defaultText;
  private final String description;

  ConfigKey(String key, ValueType type, boolean list, String defaultText, String description) {
    this.key = key;
    this.type = type;
    this.list = list;
    this.defaultText = defaultText;
    this.description = description;
  }

  /** The key in the file, e.g. {@code api-port}. */
  public String key() {
    return key;
  }

  /** The command-line flag, e.g. {@code --api-port}. */
  public String flag() {
    return "--" + key;
  }

  public ValueType type() {
    return type;
  }

  /** Whether the value is a list of {@link #type()} values (the flag is repeatable). */
  public boolean list() {
    return list;
  }

  public String description() {
    return description;
  }

  /** The default as text, or null when there is none (node-name: the host name; socks-user: none). */
  public String defaultText() {
    return defaultText;
  }

  /** The default value: parsed {@link #defaultText()}, an empty list for lists, null when there is none. */
  Object defaultValue() {
    if (list) {
      return List.of();
    }
    return defaultText == null ? null : type.parseValue(defaultText);
  }

  /** The key named {@code key}, or null. */
  public static ConfigKey byKey(String key) {
    for (ConfigKey candidate : values()) {
      if (candidate.key.equals(key)) {
        return candidate;
      }
    }
    return null;
  }
}
