package io.minicluster.config;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.Ipv4Cidr;
import io.minicluster.server.HostInfo;
import io.minicluster.server.ServerConfig;
import io.minicluster.socks.policy.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The effective configuration: every {@link ConfigKey} with its value and where the value came from. Values are
 * layered: defaults, then the configuration file, then command-line flags. {@link #load} validates each value and the
 * combination (pod and service networks apart, a SOCKS gateway beyond loopback protected) and fails with one
 * {@link ConfigException} before anything is created.
 */
public final class Settings {
  /** Source of a value that nobody set. */
  public static final String DEFAULT_SOURCE = "default";

  /** A value and where it came from: "default", "FILE:LINE" or the flag. */
  public record Value(Object value, String source) {
    public Value {
      requireNonNull(source, "source is null");
    }
  }

  private final Path configFile;
  private final Map<ConfigKey, Value> values;

  private Settings(Path configFile, Map<ConfigKey, Value> values) {
    this.configFile = configFile;
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
  }

  /**
   * The file a command reads: {@code explicit} when given, none when {@code ignore}, else {@link
   * ConfigFile#DEFAULT_PATH} when it exists.
   */
  public static Path chooseFile(Path explicit, boolean ignore) {
    if (explicit != null) {
      return explicit.toAbsolutePath();
    }
    if (ignore || !Files.exists(ConfigFile.DEFAULT_PATH)) {
      return null;
    }
    return ConfigFile.DEFAULT_PATH;
  }

  /**
   * Defaults, overlaid by {@code configFile} (null: none), overlaid by {@code flags}.
   *
   * @param flags raw flag values by key: a String, a {@code List<String>} for list keys, a Boolean for booleans;
   *     absent keys were not given
   */
  public static Settings load(Path configFile, Map<ConfigKey, ?> flags) throws ConfigException {
    requireNonNull(flags, "flags is null");
    Map<ConfigKey, Value> values = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      values.put(key, new Value(key.defaultValue(), DEFAULT_SOURCE));
    }
    if (configFile != null) {
      for (Map.Entry<ConfigKey, ConfigFile.Entry> entry : ConfigFile.read(configFile).entrySet()) {
        if (entry.getValue().value() != null) {
          values.put(entry.getKey(), new Value(entry.getValue().value(), configFile + ":" + entry.getValue().line()));
        }
      }
    }
    for (Map.Entry<ConfigKey, ?> flag : flags.entrySet()) {
      ConfigKey key = flag.getKey();
      if (flag.getValue() != null) {
        values.put(key, new Value(parseFlag(key, flag.getValue()), key.flag()));
      }
    }
    Settings settings = new Settings(configFile, values);
    settings.validateCombination();
    return settings;
  }

  /** Defaults only (no file, no flags). */
  public static Settings defaults() {
    try {
      return load(null, Map.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("the defaults do not validate: " + e.getMessage(), e);
    }
  }

  private static Object parseFlag(ConfigKey key, Object raw) throws ConfigException {
    try {
      if (raw instanceof Boolean bool) {
        if (key.type() != ValueType.BOOLEAN) {
          throw new IllegalArgumentException("a boolean is given, but the value is " + key.type().description());
        }
        return bool;
      }
      if (raw instanceof List<?> list) {
        List<Object> parsed = new ArrayList<>();
        for (Object item : list) {
          parsed.add(key.type().parseValue(String.valueOf(item)));
        }
        return key.list() ? Collections.unmodifiableList(parsed) : parsed.get(parsed.size() - 1);
      }
      String text = String.valueOf(raw);
      if (key.type() == ValueType.ABSOLUTE_PATH) {
        // a relative path on the command line is relative to the working directory
        text = Path.of(text).toAbsolutePath().toString();
      }
      Object value = key.type().parseValue(text);
      return key.list() ? List.of(value) : value;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.flag() + ": " + e.getMessage());
    }
  }

  private void validateCombination() throws ConfigException {
    Ipv4Cidr pods = Ipv4Cidr.parse(string(ConfigKey.POD_CIDR));
    Ipv4Cidr services = Ipv4Cidr.parse(string(ConfigKey.SERVICE_CIDR));
    if (overlap(pods, services)) {
      ConfigKey blamed = source(ConfigKey.SERVICE_CIDR).equals(DEFAULT_SOURCE) ? ConfigKey.POD_CIDR
          : ConfigKey.SERVICE_CIDR;
      throw new ConfigException(where(blamed) + "pod-cidr " + pods + " and service-cidr " + services
          + " overlap: choose networks that do not (defaults: 10.244.0.0/16 and 10.96.0.0/12)");
    }
    String clusterDns = clusterDns();
    if (clusterDns.contains(":") || !services.contains(clusterDns)
        || Ipv4Cidr.parseAddress(clusterDns) - services.address() < 2) {
      ConfigKey blamed = source(ConfigKey.CLUSTER_DNS).equals(DEFAULT_SOURCE) ? ConfigKey.SERVICE_CIDR
          : ConfigKey.CLUSTER_DNS;
      throw new ConfigException(where(blamed) + "cluster-dns " + clusterDns + " is not an address of service-cidr "
          + services + " other than its first two (the network and the kubernetes service): choose one inside it "
          + "(default: 10.96.0.10 in 10.96.0.0/12)");
    }
    if (socksPort() >= 0) {
      String address = string(ConfigKey.SOCKS_BIND_ADDRESS);
      if (!Cidr.parseAddressLiteral(address).isLoopbackAddress() && socksUser() == null
          && socksAllowedClients().isEmpty()) {
        throw new ConfigException(where(ConfigKey.SOCKS_BIND_ADDRESS) + "socks-bind-address " + address
            + " is not loopback, and neither socks-user nor socks-allow-client is set, so anyone who reaches it could"
            + " use the gateway: set socks-user or socks-allow-client, or keep 127.0.0.1 and use an SSH tunnel");
      }
    }
  }

  private String where(ConfigKey key) {
    String source = source(key);
    return source.equals(DEFAULT_SOURCE) ? "" : source + ": ";
  }

  private static boolean overlap(Ipv4Cidr a, Ipv4Cidr b) {
    int prefix = Math.min(a.prefixLength(), b.prefixLength());
    long mask = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (a.address() & mask) == (b.address() & mask);
  }

  /** The file the values were read from, or null. */
  public Path configFile() {
    return configFile;
  }

  /** The value of {@code key} (null: not set and no default). */
  public Object get(ConfigKey key) {
    return values.get(key).value();
  }

  /** Where the value of {@code key} came from: "default", "FILE:LINE" or the flag. */
  public String source(ConfigKey key) {
    return values.get(key).source();
  }

  /** How an operator changes {@code key}: in the file in use, or with the flag. */
  public String howToChange(ConfigKey key) {
    return configFile != null ? "set " + key.key() + " in " + configFile
        : "use " + key.flag() + " (or set " + key.key() + " in " + ConfigFile.DEFAULT_PATH + ")";
  }

  private String string(ConfigKey key) {
    return (String) get(key);
  }

  public Path dataDir() {
    return (Path) get(ConfigKey.DATA_DIR);
  }

  public int apiPort() {
    return (Integer) get(ConfigKey.API_PORT);
  }

  public String bindAddress() {
    return string(ConfigKey.BIND_ADDRESS);
  }

  /** The node name: the configured one, else this host's name. */
  public String nodeName() {
    String name = string(ConfigKey.NODE_NAME);
    return name != null ? name : HostInfo.hostName();
  }

  public int socksPort() {
    return (Integer) get(ConfigKey.SOCKS_PORT);
  }

  public String socksBindAddress() {
    return string(ConfigKey.SOCKS_BIND_ADDRESS);
  }

  public String socksUser() {
    return string(ConfigKey.SOCKS_USER);
  }

  @SuppressWarnings("unchecked")
  public List<String> socksAllowedClients() {
    return (List<String>) get(ConfigKey.SOCKS_ALLOW_CLIENT);
  }

  @SuppressWarnings("unchecked")
  public List<String> socksAllowedDestinations() {
    return (List<String>) get(ConfigKey.SOCKS_ALLOW);
  }

  public String podNetwork() {
    return string(ConfigKey.POD_NETWORK);
  }

  public boolean nodeAgent() {
    return (Boolean) get(ConfigKey.NODE_AGENT);
  }

  /** Whether the node is simulated (pods run without containers) instead of run on the Docker engine. */
  public boolean simulatedNode() {
    return (Boolean) get(ConfigKey.SIMULATED_NODE);
  }

  /** Whether the daemon programs the host's iptables as a service proxy. */
  public boolean serviceProxy() {
    return (Boolean) get(ConfigKey.SERVICE_PROXY);
  }

  /** How long a relayed connection of the SOCKS gateway may be idle; zero for no limit. */
  public Duration socksIdleTimeout() {
    return (Duration) get(ConfigKey.SOCKS_IDLE_TIMEOUT);
  }

  /** The cluster IP of the kube-dns service: the configured one, else the 10th address of service-cidr (kubeadm's). */
  public String clusterDns() {
    String configured = string(ConfigKey.CLUSTER_DNS);
    if (configured != null) {
      return configured;
    }
    return Ipv4Cidr.format(Ipv4Cidr.parse(string(ConfigKey.SERVICE_CIDR)).address() + 10);
  }

  /** The cluster DNS's upstream resolvers; empty: the host's. */
  @SuppressWarnings("unchecked")
  public List<String> clusterDnsUpstreams() {
    return (List<String>) get(ConfigKey.CLUSTER_DNS_UPSTREAM);
  }

  /** How long a node may go unheard before the node lifecycle controller marks it Unknown. */
  public Duration nodeMonitorGracePeriod() {
    return (Duration) get(ConfigKey.NODE_MONITOR_GRACE_PERIOD);
  }

  /** How long events live after their last write; zero for ever. */
  public Duration eventTtl() {
    return (Duration) get(ConfigKey.EVENT_TTL);
  }

  /** The daemon's settings. */
  public ServerConfig toServerConfig() {
    return new ServerConfig(dataDir(), bindAddress(), apiPort(), nodeName(), string(ConfigKey.POD_CIDR),
        string(ConfigKey.SERVICE_CIDR), socksPort(), socksBindAddress(), socksUser(), socksAllowedClients(),
        socksAllowedDestinations(), nodeAgent(), true, string(ConfigKey.SANDBOX_IMAGE),
        (Boolean) get(ConfigKey.OFFLINE), string(ConfigKey.CLUSTER_DOMAIN), podNetwork(), serviceProxy(),
        socksIdleTimeout(), clusterDns(), clusterDnsUpstreams(), nodeMonitorGracePeriod(), eventTtl(),
        simulatedNode());
  }

  /**
   * The effective configuration as YAML: every key with its value, each line commented with the value's source. The
   * SOCKS password is replaced by asterisks. Fed back as a configuration file it gives the same settings (apart from
   * that password).
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# minicluster: effective configuration (defaults, then ")
        .append(configFile == null ? "no configuration file" : configFile)
        .append(", then command-line flags)\n");
    for (ConfigKey key : ConfigKey.values()) {
      Object value = get(key);
      String comment = source(key);
      if (key == ConfigKey.NODE_NAME && value == null) {
        value = nodeName();
        comment = "default: the host name";
      }
      if (key == ConfigKey.CLUSTER_DNS && value == null) {
        value = clusterDns();
        comment = "default: the 10th address of service-cidr";
      }
      if (key == ConfigKey.SOCKS_USER && value != null) {
        String credentials = (String) value;
        value = credentials.substring(0, credentials.indexOf(':') + 1) + "********";
        comment = comment + "; password hidden";
      }
      String line = key.key() + ":" + (value == null ? "" : " " + scalar(value));
      out.append(line);
      out.append(" ".repeat(Math.max(1, 44 - line.length()))).append("# ").append(comment).append('\n');
    }
    return out.toString();
  }

  private static String scalar(Object value) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
    options.setWidth(Integer.MAX_VALUE);
    Object plain = value instanceof Path path ? path.toString()
        : value instanceof Duration duration ? ValueType.durationText(duration) : value;
    return new Yaml(options).dump(plain).trim();
  }
}
