package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.ConfigMap;
import io.minicluster.api.core.ConfigMapKeySelector;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.EnvFromSource;
import io.minicluster.api.core.EnvVar;
import io.minicluster.api.core.EnvVarSource;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodIP;
import io.minicluster.api.core.ResourceFieldSelector;
import io.minicluster.api.core.ResourceRequirements;
import io.minicluster.api.core.Secret;
import io.minicluster.api.core.SecretKeySelector;
import io.minicluster.api.core.Service;
import io.minicluster.api.core.ServicePort;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.api.meta.ListOptions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds a container's environment as the kubelet does: service links, then {@code envFrom} sources, then {@code env}
 * entries in order, each value expanded against the variables defined before it.
 */
public final class EnvironmentResolver {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final Client client;
  private final NodeResources node;

  /** What {@code resourceFieldRef} reports for a limit the container does not set: the node's allocatable. */
  public record NodeResources(long cpuMillis, long memoryBytes) {}

  public EnvironmentResolver(Client client, NodeResources node) {
    this.client = requireNonNull(client, "client is null");
    this.node = requireNonNull(node, "node is null");
  }

  /** The environment of {@code container} in {@code pod} (whose status carries podIP/hostIP). */
  public Map<String, String> resolve(Pod pod, Container container) throws ConfigException {
    String namespace = pod.metadata().namespace();
    Map<String, String> env = new LinkedHashMap<>(serviceEnvironment(pod));
    for (EnvFromSource source : container.envFrom()) {
      String prefix = source.prefix();
      if (source.configMapRef() != null) {
        String name = source.configMapRef().name();
        Optional<ConfigMap> configMap = configMap(namespace, name);
        if (configMap.isEmpty()) {
          if (Boolean.TRUE.equals(source.configMapRef().optional())) {
            continue;
          }
          throw new ConfigException("configmap \"" + name + "\" not found");
        }
        configMapData(configMap.get()).forEach((key, value) -> putValid(env, prefix + key, value));
      } else if (source.secretRef() != null) {
        String name = source.secretRef().name();
        Optional<Secret> secret = secret(namespace, name);
        if (secret.isEmpty()) {
          if (Boolean.TRUE.equals(source.secretRef().optional())) {
            continue;
          }
          throw new ConfigException("secret \"" + name + "\" not found");
        }
        secretData(secret.get()).forEach((key, value) -> putValid(env, prefix + key,
            new String(value, StandardCharsets.UTF_8)));
      }
    }
    for (EnvVar entry : container.env()) {
      String value;
      if (entry.valueFrom() == null) {
        value = Expansion.expand(entry.value(), env);
      } else {
        Optional<String> resolved = valueFrom(pod, container, entry.valueFrom());
        if (resolved.isEmpty()) {
          continue;
        }
        value = resolved.get();
      }
      env.remove(entry.name());
      env.put(entry.name(), value);
    }
    return env;
  }

  /** The ConfigMap {@code namespace/name}, read from the API now (a container starts with current data). */
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return client.find(ResourceTypes.CONFIG_MAPS, namespace, name).map(ConfigMap::from);
  }

  /** The Secret {@code namespace/name}, read from the API now. */
  public Optional<Secret> secret(String namespace, String name) {
    return client.find(ResourceTypes.SECRETS, namespace, name).map(Secret::from);
  }

  private static void putValid(Map<String, String> env, String name, String value) {
    if (ENV_NAME.matcher(name).matches()) {
      env.remove(name);
      env.put(name, value);
    }
  }

  private Optional<String> valueFrom(Pod pod, Container container, EnvVarSource valueFrom)
      throws ConfigException {
    String namespace = pod.metadata().namespace();
    if (valueFrom.fieldRef() != null) {
      return Optional.of(fieldValue(pod, valueFrom.fieldRef().fieldPath()));
    }
    if (valueFrom.resourceFieldRef() != null) {
      ResourceFieldSelector reference = valueFrom.resourceFieldRef();
      Container target = container;
      String containerName = reference.containerName();
      if (!containerName.isEmpty()) {
        target = PodSpecs.container(pod, containerName).orElseThrow(
            () -> new ConfigException("container \"" + containerName + "\" not found in pod"));
      }
      return Optional.of(resourceValue(target, reference.resource(), reference.divisor()));
    }
    if (valueFrom.configMapKeyRef() != null) {
      ConfigMapKeySelector reference = valueFrom.configMapKeyRef();
      String name = reference.name();
      String key = reference.key();
      boolean optional = Boolean.TRUE.equals(reference.optional());
      Optional<ConfigMap> configMap = configMap(namespace, name);
      if (configMap.isEmpty()) {
        if (optional) {
          return Optional.empty();
        }
        throw new ConfigException("configmap \"" + name + "\" not found");
      }
      String value = configMapData(configMap.get()).get(key);
      if (value == null) {
        if (optional) {
          return Optional.empty();
        }
        throw new ConfigException("couldn't find key " + key + " in ConfigMap " + namespace + "/" + name);
      }
      return Optional.of(value);
    }
    if (valueFrom.secretKeyRef() != null) {
      SecretKeySelector reference = valueFrom.secretKeyRef();
      String name = reference.name();
      String key = reference.key();
      boolean optional = Boolean.TRUE.equals(reference.optional());
      Optional<Secret> secret = secret(namespace, name);
      if (secret.isEmpty()) {
        if (optional) {
          return Optional.empty();
        }
        throw new ConfigException("secret \"" + name + "\" not found");
      }
      byte[] value = secretData(secret.get()).get(key);
      if (value == null) {
        if (optional) {
          return Optional.empty();
        }
        throw new ConfigException("couldn't find key " + key + " in Secret " + namespace + "/" + name);
      }
      return Optional.of(new String(value, StandardCharsets.UTF_8));
    }
    return Optional.of("");
  }

  /** The value of a downward API field path ({@code metadata.name}, {@code metadata.labels['app']}, ...). */
  public static String fieldValue(Pod pod, String path) throws ConfigException {
    ObjectMeta meta = pod.metadata();
    if (path.startsWith("metadata.labels[") || path.startsWith("metadata.annotations[")) {
      boolean labels = path.startsWith("metadata.labels[");
      String key = path.substring(path.indexOf('[') + 1, path.length() - 1);
      if (key.length() >= 2 && (key.startsWith("'") || key.startsWith("\""))) {
        key = key.substring(1, key.length() - 1);
      }
      Map<String, String> map = labels ? meta.labels() : meta.annotations();
      return map.getOrDefault(key, "");
    }
    switch (path) {
      case "metadata.name":
        return nullToEmpty(meta.name());
      case "metadata.namespace":
        return nullToEmpty(meta.namespace());
      case "metadata.uid":
        return nullToEmpty(meta.uid());
      case "metadata.labels":
        return formatMap(meta.labels());
      case "metadata.annotations":
        return formatMap(meta.annotations());
      case "spec.nodeName":
        return nullToEmpty(pod.spec().nodeName());
      case "spec.serviceAccountName": {
        String account = pod.spec().serviceAccountName();
        return account == null || account.isEmpty() ? nullToEmpty(pod.spec().serviceAccount()) : account;
      }
      case "status.podIP":
        return nullToEmpty(pod.status().podIP());
      case "status.hostIP":
        return nullToEmpty(pod.status().hostIP());
      case "status.podIPs":
        return joinIps(pod.status().podIPs());
      case "status.hostIPs":
        return joinIps(pod.status().hostIPs());
      default:
        throw new ConfigException("unsupported fieldPath: " + path);
    }
  }

  private static String joinIps(List<PodIP> ips) {
    List<String> joined = new ArrayList<>(ips.size());
    ips.forEach(ip -> joined.add(ip.ip()));
    return String.join(",", joined);
  }

  /** {@code key="value"} lines, sorted by key, as the downward API writes label and annotation files. */
  public static String formatMap(Map<String, String> map) {
    StringBuilder out = new StringBuilder();
    map.keySet().stream().sorted().forEach(key -> {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(key).append("=\"").append(map.get(key).replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    });
    return out.toString();
  }

  /**
   * A {@code resourceFieldRef} value: the amount divided by the divisor, rounded up.
   *
   * @param divisor null for 1
   */
  public String resourceValue(Container container, String resource, Quantity divisor) throws ConfigException {
    String[] parts = resource.split("\\.", 2);
    if (parts.length != 2) {
      throw new ConfigException("unsupported container resource: " + resource);
    }
    String kind = parts[0];
    String name = parts[1];
    ResourceRequirements resources = container.resources();
    Quantity amount = null;
    if (kind.equals("limits")) {
      amount = resources.limits().get(name);
    } else if (kind.equals("requests")) {
      amount = resources.requests().get(name);
      if (amount == null) {
        amount = resources.limits().get(name);
      }
    }
    BigDecimal value;
    if (amount != null) {
      value = amount.decimalValue();
    } else if (name.equals("cpu")) {
      value = kind.equals("limits") ? BigDecimal.valueOf(node.cpuMillis()).movePointLeft(3) : BigDecimal.ZERO;
    } else if (name.equals("memory") || name.equals("ephemeral-storage")) {
      value = kind.equals("limits") ? BigDecimal.valueOf(node.memoryBytes()) : BigDecimal.ZERO;
    } else {
      value = BigDecimal.ZERO;
    }
    BigDecimal by = divisor == null ? BigDecimal.ONE : divisor.decimalValue();
    if (by.signum() == 0) {
      by = BigDecimal.ONE;
    }
    BigDecimal result = value.divide(by, 0, RoundingMode.CEILING);
    if (name.equals("cpu") && kind.equals("requests") && result.signum() == 0) {
      return "0";
    }
    if (name.equals("cpu") && result.signum() == 0 && value.signum() > 0) {
      return "1";
    }
    return result.toPlainString();
  }

  /** data plus binaryData (as UTF-8 text) of a ConfigMap, sorted by key: the order envFrom defines variables in. */
  public static Map<String, String> configMapData(ConfigMap configMap) {
    Map<String, String> data = new TreeMap<>(configMap.data());
    configMap.binaryData().forEach((key, value) -> data.put(key,
        new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    return data;
  }

  /** Decoded data (plus stringData, which the API normally merges) of a Secret, sorted by key. */
  public static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new TreeMap<>();
    secret.data().forEach((key, value) -> {
      try {
        data.put(key, Base64.getDecoder().decode(value));
      } catch (IllegalArgumentException malformed) {
        data.put(key, value.getBytes(StandardCharsets.UTF_8));
      }
    });
    secret.stringData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
    return data;
  }

  /** Docker-link style variables of the namespace's services (and the default namespace's kubernetes service). */
  private Map<String, String> serviceEnvironment(Pod pod) {
    Map<String, String> env = new LinkedHashMap<>();
    Boolean links = pod.spec().enableServiceLinks();
    boolean serviceLinks = links == null || links;
    String namespace = pod.metadata().namespace();
    try {
      List<Service> services = new ArrayList<>();
      if (serviceLinks) {
        client.list(ResourceTypes.SERVICES, namespace, ListOptions.ALL).items()
            .forEach(service -> services.add(Service.from(service)));
      }
      if (!serviceLinks || !"default".equals(namespace)) {
        client.find(ResourceTypes.SERVICES, "default", "kubernetes").map(Service::from).ifPresent(services::add);
      }
      for (Service service : services) {
        String clusterIp = service.spec().clusterIP();
        if (clusterIp == null || clusterIp.isEmpty() || clusterIp.equals("None")) {
          continue;
        }
        String prefix = service.metadata().name().toUpperCase(Locale.ROOT).replace('-', '_');
        List<ServicePort> ports = service.spec().ports();
        env.put(prefix + "_SERVICE_HOST", clusterIp);
        if (ports.isEmpty()) {
          continue;
        }
        env.put(prefix + "_SERVICE_PORT", String.valueOf(ports.get(0).port()));
        for (ServicePort port : ports) {
          if (port.name() != null && !port.name().isEmpty()) {
            env.put(prefix + "_SERVICE_PORT_" + port.name().toUpperCase(Locale.ROOT).replace('-', '_'),
                String.valueOf(port.port()));
          }
        }
        env.put(prefix + "_PORT", protocol(ports.get(0)).toLowerCase(Locale.ROOT) + "://" + clusterIp + ":"
            + ports.get(0).port());
        for (ServicePort port : ports) {
          String protocol = protocol(port);
          String base = prefix + "_PORT_" + port.port() + "_" + protocol.toUpperCase(Locale.ROOT);
          env.put(base, protocol.toLowerCase(Locale.ROOT) + "://" + clusterIp + ":" + port.port());
          env.put(base + "_PROTO", protocol.toLowerCase(Locale.ROOT));
          env.put(base + "_PORT", String.valueOf(port.port()));
          env.put(base + "_ADDR", clusterIp);
        }
      }
    } catch (RuntimeException e) {
      // services are a convenience: never block a container on them
    }
    return env;
  }

  private static String protocol(ServicePort port) {
    return port.protocol() == null || port.protocol().isEmpty() ? "TCP" : port.protocol();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
