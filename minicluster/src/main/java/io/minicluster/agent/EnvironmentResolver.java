package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.registry.ListOptions;
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
  public Map<String, String> resolve(ObjectNode pod, ObjectNode container) throws ConfigException {
    String namespace = Meta.namespace(pod);
    Map<String, String> env = new LinkedHashMap<>(serviceEnvironment(pod));
    for (JsonNode source : PodSpecs.objects(container.get("envFrom"))) {
      String prefix = source.path("prefix").asText("");
      if (source.has("configMapRef")) {
        String name = source.path("configMapRef").path("name").asText();
        boolean optional = source.path("configMapRef").path("optional").asBoolean(false);
        Optional<ObjectNode> configMap = client.find(ResourceTypes.CONFIG_MAPS, namespace, name);
        if (configMap.isEmpty()) {
          if (optional) {
            continue;
          }
          throw new ConfigException("configmap \"" + name + "\" not found");
        }
        configMapData(configMap.get()).forEach((key, value) -> putValid(env, prefix + key, value));
      } else if (source.has("secretRef")) {
        String name = source.path("secretRef").path("name").asText();
        boolean optional = source.path("secretRef").path("optional").asBoolean(false);
        Optional<ObjectNode> secret = client.find(ResourceTypes.SECRETS, namespace, name);
        if (secret.isEmpty()) {
          if (optional) {
            continue;
          }
          throw new ConfigException("secret \"" + name + "\" not found");
        }
        secretData(secret.get()).forEach((key, value) -> putValid(env, prefix + key,
            new String(value, StandardCharsets.UTF_8)));
      }
    }
    for (JsonNode entry : PodSpecs.objects(container.get("env"))) {
      String name = entry.path("name").asText();
      JsonNode valueFrom = entry.get("valueFrom");
      String value;
      if (valueFrom == null || valueFrom.isNull()) {
        value = Expansion.expand(entry.path("value").asText(""), env);
      } else {
        Optional<String> resolved = valueFrom(pod, container, valueFrom);
        if (resolved.isEmpty()) {
          continue;
        }
        value = resolved.get();
      }
      env.remove(name);
      env.put(name, value);
    }
    return env;
  }

  private static void putValid(Map<String, String> env, String name, String value) {
    if (ENV_NAME.matcher(name).matches()) {
      env.remove(name);
      env.put(name, value);
    }
  }

  private Optional<String> valueFrom(ObjectNode pod, ObjectNode container, JsonNode valueFrom)
      throws ConfigException {
    String namespace = Meta.namespace(pod);
    if (valueFrom.has("fieldRef")) {
      return Optional.of(fieldValue(pod, valueFrom.path("fieldRef").path("fieldPath").asText()));
    }
    if (valueFrom.has("resourceFieldRef")) {
      JsonNode reference = valueFrom.get("resourceFieldRef");
      ObjectNode target = container;
      String containerName = reference.path("containerName").asText("");
      if (!containerName.isEmpty()) {
        target = PodSpecs.container(pod, containerName).orElseThrow(
            () -> new ConfigException("container \"" + containerName + "\" not found in pod"));
      }
      return Optional.of(resourceValue(target, reference.path("resource").asText(),
          reference.path("divisor").asText("")));
    }
    if (valueFrom.has("configMapKeyRef")) {
      JsonNode reference = valueFrom.get("configMapKeyRef");
      String name = reference.path("name").asText();
      String key = reference.path("key").asText();
      boolean optional = reference.path("optional").asBoolean(false);
      Optional<ObjectNode> configMap = client.find(ResourceTypes.CONFIG_MAPS, namespace, name);
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
    if (valueFrom.has("secretKeyRef")) {
      JsonNode reference = valueFrom.get("secretKeyRef");
      String name = reference.path("name").asText();
      String key = reference.path("key").asText();
      boolean optional = reference.path("optional").asBoolean(false);
      Optional<ObjectNode> secret = client.find(ResourceTypes.SECRETS, namespace, name);
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
  public static String fieldValue(JsonNode pod, String path) throws ConfigException {
    if (path.startsWith("metadata.labels[") || path.startsWith("metadata.annotations[")) {
      boolean labels = path.startsWith("metadata.labels[");
      String key = path.substring(path.indexOf('[') + 1, path.length() - 1);
      if (key.length() >= 2 && (key.startsWith("'") || key.startsWith("\""))) {
        key = key.substring(1, key.length() - 1);
      }
      Map<String, String> map = labels ? Meta.labels(pod) : Meta.annotations(pod);
      return map.getOrDefault(key, "");
    }
    switch (path) {
      case "metadata.name":
        return nullToEmpty(Meta.name(pod));
      case "metadata.namespace":
        return nullToEmpty(Meta.namespace(pod));
      case "metadata.uid":
        return nullToEmpty(Meta.uid(pod));
      case "metadata.labels":
        return formatMap(Meta.labels(pod));
      case "metadata.annotations":
        return formatMap(Meta.annotations(pod));
      case "spec.nodeName":
        return nullToEmpty(Json.textOrNull(pod, "spec", "nodeName"));
      case "spec.serviceAccountName": {
        String account = Json.textOrNull(pod, "spec", "serviceAccountName");
        return account == null ? nullToEmpty(Json.textOrNull(pod, "spec", "serviceAccount")) : account;
      }
      case "status.podIP":
        return nullToEmpty(Json.textOrNull(pod, "status", "podIP"));
      case "status.hostIP":
        return nullToEmpty(Json.textOrNull(pod, "status", "hostIP"));
      case "status.podIPs":
      case "status.hostIPs": {
        JsonNode ips = Json.at(pod, "status", path.substring("status.".length()));
        StringBuilder joined = new StringBuilder();
        if (ips != null) {
          for (JsonNode ip : ips) {
            if (joined.length() > 0) {
              joined.append(',');
            }
            joined.append(ip.path("ip").asText());
          }
        }
        return joined.toString();
      }
      default:
        throw new ConfigException("unsupported fieldPath: " + path);
    }
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

  /** A {@code resourceFieldRef} value: the amount divided by the divisor, rounded up. */
  public String resourceValue(JsonNode container, String resource, String divisorText) throws ConfigException {
    String[] parts = resource.split("\\.", 2);
    if (parts.length != 2) {
      throw new ConfigException("unsupported container resource: " + resource);
    }
    String kind = parts[0];
    String name = parts[1];
    JsonNode amount = Json.at(container, "resources", kind, name);
    BigDecimal value;
    if (amount == null || amount.isNull()) {
      if (kind.equals("requests")) {
        JsonNode limit = Json.at(container, "resources", "limits", name);
        amount = limit;
      }
    }
    if (amount != null && !amount.isNull()) {
      value = Quantity.parse(amount.asText()).decimalValue();
    } else if (name.equals("cpu")) {
      value = kind.equals("limits") ? BigDecimal.valueOf(node.cpuMillis()).movePointLeft(3) : BigDecimal.ZERO;
    } else if (name.equals("memory") || name.equals("ephemeral-storage")) {
      value = kind.equals("limits") ? BigDecimal.valueOf(node.memoryBytes()) : BigDecimal.ZERO;
    } else {
      value = BigDecimal.ZERO;
    }
    BigDecimal divisor = divisorText.isEmpty() ? BigDecimal.ONE : Quantity.parse(divisorText).decimalValue();
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    BigDecimal result = value.divide(divisor, 0, RoundingMode.CEILING);
    if (name.equals("cpu") && kind.equals("requests") && result.signum() == 0) {
      return "0";
    }
    if (name.equals("cpu") && result.signum() == 0 && value.signum() > 0) {
      return "1";
    }
    return result.toPlainString();
  }

  /** data plus binaryData of a ConfigMap. */
  public static Map<String, String> configMapData(JsonNode configMap) {
    Map<String, String> data = new LinkedHashMap<>(Meta.stringMap(configMap.get("data")));
    Meta.stringMap(configMap.get("binaryData")).forEach((key, value) -> data.put(key,
        new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    return data;
  }

  /** Decoded data (plus stringData, which the API normally merges) of a Secret. */
  public static Map<String, byte[]> secretData(JsonNode secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    Meta.stringMap(secret.get("data")).forEach((key, value) -> {
      try {
        data.put(key, Base64.getDecoder().decode(value));
      } catch (IllegalArgumentException malformed) {
        data.put(key, value.getBytes(StandardCharsets.UTF_8));
      }
    });
    Meta.stringMap(secret.get("stringData")).forEach((key, value) -> data.put(key,
        value.getBytes(StandardCharsets.UTF_8)));
    return data;
  }

  /** Docker-link style variables of the namespace's services (and the default namespace's kubernetes service). */
  private Map<String, String> serviceEnvironment(ObjectNode pod) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode links = Json.at(pod, "spec", "enableServiceLinks");
    boolean serviceLinks = links == null || links.isNull() || links.asBoolean(true);
    try {
      List<ObjectNode> services = new ArrayList<>();
      if (serviceLinks) {
        services.addAll(client.list(ResourceTypes.SERVICES, Meta.namespace(pod), ListOptions.ALL).items());
      }
      if (!serviceLinks || !"default".equals(Meta.namespace(pod))) {
        client.find(ResourceTypes.SERVICES, "default", "kubernetes").ifPresent(services::add);
      }
      for (ObjectNode service : services) {
        String clusterIp = Json.textOrNull(service, "spec", "clusterIP");
        if (clusterIp == null || clusterIp.isEmpty() || clusterIp.equals("None")) {
          continue;
        }
        String prefix = Meta.name(service).toUpperCase(Locale.ROOT).replace('-', '_');
        List<ObjectNode> ports = PodSpecs.objects(Json.at(service, "spec", "ports"));
        env.put(prefix + "_SERVICE_HOST", clusterIp);
        if (ports.isEmpty()) {
          continue;
        }
        env.put(prefix + "_SERVICE_PORT", ports.get(0).path("port").asText());
        for (ObjectNode port : ports) {
          if (port.hasNonNull("name") && !port.path("name").asText().isEmpty()) {
            env.put(prefix + "_SERVICE_PORT_" + port.path("name").asText().toUpperCase(Locale.ROOT).replace('-', '_'),
                port.path("port").asText());
          }
        }
        ObjectNode first = ports.get(0);
        String firstProtocol = first.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
        env.put(prefix + "_PORT", firstProtocol + "://" + clusterIp + ":" + first.path("port").asText());
        for (ObjectNode port : ports) {
          String protocol = port.path("protocol").asText("TCP");
          String base = prefix + "_PORT_" + port.path("port").asText() + "_" + protocol.toUpperCase(Locale.ROOT);
          env.put(base, protocol.toLowerCase(Locale.ROOT) + "://" + clusterIp + ":" + port.path("port").asText());
          env.put(base + "_PROTO", protocol.toLowerCase(Locale.ROOT));
          env.put(base + "_PORT", port.path("port").asText());
          env.put(base + "_ADDR", clusterIp);
        }
      }
    } catch (RuntimeException e) {
      // services are a convenience: never block a container on them
    }
    return env;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
