package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Allocates service cluster IPs from the service CIDR and node ports from 30000-32767, as the service REST storage
 * does. Allocations are derived from the stored services (so they survive restarts without extra state); a short-lived
 * reservation covers the time between allocation and the store write.
 */
public final class ServiceAllocator implements Admission {
  public static final int NODE_PORT_MIN = 30000;
  public static final int NODE_PORT_MAX = 32767;
  private static final long RESERVATION_MILLIS = 60_000;

  private final Supplier<List<ObjectNode>> services;
  private final long network;
  private final int prefix;
  private final Map<String, Long> reservedIps = new HashMap<>();
  private final Map<Integer, Long> reservedPorts = new HashMap<>();

  /**
   * @param serviceCidr IPv4 CIDR, e.g. 10.96.0.0/12; its first usable address (.1) is the kubernetes service
   * @param services all stored services
   */
  public ServiceAllocator(String serviceCidr, Supplier<List<ObjectNode>> services) {
    this.services = requireNonNull(services, "services is null");
    String[] parts = serviceCidr.split("/");
    this.network = ipv4(parts[0]);
    this.prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("service CIDR prefix must be between /8 and /30: " + serviceCidr);
    }
  }

  /** The first address of the range, reserved for the kubernetes service. */
  public String kubernetesServiceIp() {
    return format(network + 1);
  }

  public boolean contains(String ip) {
    try {
      long value = ipv4(ip);
      long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
      return (value & mask) == (network & mask);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
    if (type != ResourceTypes.SERVICES) {
      return;
    }
    ObjectNode spec = Json.with(object, "spec");
    String serviceType = spec.path("type").asText("ClusterIP");
    String name = Meta.name(object);
    synchronized (this) {
      expireReservations();
      Set<String> usedIps = new HashSet<>(reservedIps.keySet());
      Set<Integer> usedPorts = new HashSet<>(reservedPorts.keySet());
      for (ObjectNode service : services.get()) {
        String ip = Json.text(service, "spec", "clusterIP");
        if (ip != null) {
          usedIps.add(ip);
        }
        for (JsonNode port : service.path("spec").path("ports")) {
          if (port.hasNonNull("nodePort")) {
            usedPorts.add(port.get("nodePort").asInt());
          }
        }
      }
      if (!serviceType.equals("ExternalName")) {
        String requested = spec.hasNonNull("clusterIP") ? spec.get("clusterIP").asText() : "";
        if (requested.isEmpty()) {
          JsonNode ips = spec.get("clusterIPs");
          if (ips != null && ips.isArray() && !ips.isEmpty()) {
            requested = ips.get(0).asText();
          }
        }
        String ip;
        if (requested.equals("None")) {
          ip = "None";
        } else if (requested.isEmpty()) {
          ip = allocateIp(usedIps, name);
        } else {
          if (!contains(requested)) {
            throw ApiException.invalid(type, name, List.of(FieldError.invalid("spec.clusterIPs", "[]string{\""
                + requested + "\"}", "failed to allocate IP " + requested
                + ": the provided IP (" + requested + ") is not in the valid range. The range of valid IPs is "
                + format(network) + "/" + prefix)));
          }
          if (usedIps.contains(requested)) {
            throw ApiException.invalid(type, name, List.of(FieldError.invalid("spec.clusterIPs", "[]string{\""
                + requested + "\"}", "failed to allocate IP " + requested + ": provided IP is already allocated")));
          }
          ip = requested;
        }
        if (!ip.equals("None") && !options.dryRun()) {
          reservedIps.put(ip, System.currentTimeMillis());
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
      }
      if (serviceType.equals("NodePort") || serviceType.equals("LoadBalancer")) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode ports = spec.get("ports");
        if (ports instanceof ArrayNode array) {
          for (int i = 0; i < array.size(); i++) {
            JsonNode port = array.get(i);
            if (!(port instanceof ObjectNode portObject)) {
              continue;
            }
            if (portObject.hasNonNull("nodePort") && portObject.get("nodePort").asInt() != 0) {
              int nodePort = portObject.get("nodePort").asInt();
              if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                errors.add(FieldError.invalid("spec.ports[" + i + "].nodePort", nodePort,
                    "provided port is not in the valid range. The range of valid ports is " + NODE_PORT_MIN + "-"
                        + NODE_PORT_MAX));
              } else if (usedPorts.contains(nodePort)) {
                errors.add(FieldError.invalid("spec.ports[" + i + "].nodePort", nodePort,
                    "provided port is already allocated"));
              } else {
                usedPorts.add(nodePort);
                if (!options.dryRun()) {
                  reservedPorts.put(nodePort, System.currentTimeMillis());
                }
              }
            } else {
              int nodePort = allocatePort(usedPorts);
              usedPorts.add(nodePort);
              if (!options.dryRun()) {
                reservedPorts.put(nodePort, System.currentTimeMillis());
              }
              portObject.put("nodePort", nodePort);
            }
          }
        }
        if (!errors.isEmpty()) {
          throw ApiException.invalid(type, name, errors);
        }
      }
    }
  }

  @Override
  public void admitUpdate(ResourceType type, ObjectNode object, ObjectNode old, WriteOptions options) {
    if (type != ResourceTypes.SERVICES) {
      return;
    }
    ObjectNode spec = Json.with(object, "spec");
    String oldIp = Json.text(old, "spec", "clusterIP");
    String newIp = Json.text(object, "spec", "clusterIP");
    String serviceType = spec.path("type").asText("ClusterIP");
    if ((newIp == null || newIp.isEmpty()) && oldIp != null && !serviceType.equals("ExternalName")) {
      spec.put("clusterIP", oldIp);
      spec.putArray("clusterIPs").add(oldIp);
    } else if (newIp != null && oldIp != null && !newIp.equals(oldIp)) {
      throw ApiException.invalid(type, Meta.name(object), List.of(FieldError.invalid("spec.clusterIPs[0]",
          "[]string{\"" + newIp + "\"}", "may not change once set")));
    }
    // keep node ports the client left out, allocate new ones for new ports
    if (serviceType.equals("NodePort") || serviceType.equals("LoadBalancer")) {
      Map<String, Integer> oldPorts = new HashMap<>();
      for (JsonNode port : old.path("spec").path("ports")) {
        if (port.hasNonNull("nodePort")) {
          oldPorts.put(port.path("port").asText() + "/" + port.path("protocol").asText("TCP"),
              port.get("nodePort").asInt());
        }
      }
      synchronized (this) {
        Set<Integer> used = new HashSet<>(reservedPorts.keySet());
        for (ObjectNode service : services.get()) {
          for (JsonNode port : service.path("spec").path("ports")) {
            if (port.hasNonNull("nodePort")) {
              used.add(port.get("nodePort").asInt());
            }
          }
        }
        for (JsonNode port : spec.path("ports")) {
          if (port instanceof ObjectNode portObject && (!portObject.hasNonNull("nodePort")
              || portObject.get("nodePort").asInt() == 0)) {
            Integer previous = oldPorts.get(port.path("port").asText() + "/" + port.path("protocol").asText("TCP"));
            int nodePort = previous != null ? previous : allocatePort(used);
            used.add(nodePort);
            portObject.put("nodePort", nodePort);
          }
        }
      }
    } else {
      for (JsonNode port : spec.path("ports")) {
        if (port instanceof ObjectNode portObject) {
          portObject.remove("nodePort");
        }
      }
    }
  }

  private void expireReservations() {
    long now = System.currentTimeMillis();
    reservedIps.values().removeIf(t -> now - t > RESERVATION_MILLIS);
    reservedPorts.values().removeIf(t -> now - t > RESERVATION_MILLIS);
  }

  private String allocateIp(Set<String> used, String name) {
    long size = 1L << (32 - prefix);
    long offset = 2 + ThreadLocalRandom.current().nextLong(size - 3);
    for (long i = 0; i < size - 3; i++) {
      long candidate = network + 2 + ((offset - 2 + i) % (size - 3));
      String ip = format(candidate);
      if (!used.contains(ip)) {
        return ip;
      }
    }
    throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full",
        name, "", "services", null);
  }

  private static int allocatePort(Set<Integer> used) {
    int size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    int offset = ThreadLocalRandom.current().nextInt(size);
    for (int i = 0; i < size; i++) {
      int candidate = NODE_PORT_MIN + (offset + i) % size;
      if (!used.contains(candidate)) {
        return candidate;
      }
    }
    throw ApiException.internal("failed to allocate a nodePort: range is full");
  }

  static long ipv4(String text) {
    String[] octets = text.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    long value = 0;
    for (String octet : octets) {
      int part = Integer.parseInt(octet);
      if (part < 0 || part > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = (value << 8) | part;
    }
    return value;
  }

  static String format(long value) {
    return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + (value & 0xFF);
  }
}
