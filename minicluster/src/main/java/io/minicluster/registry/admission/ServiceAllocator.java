package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Allocates service cluster IPs from the service CIDR and node ports from 30000-32767, as the service REST storage
 * does (pkg/registry/core/service/storage: beginCreate, beginUpdate and their allocators).
 *
 * <p>The stored services are the record of what is taken: an address is free again as soon as no stored service
 * holds it, whatever removed or changed the service (a delete, the deletion of its namespace, an update of its type
 * or ports), and after a restart the allocator starts from the store. What a write was given and has not stored yet
 * is held for the write until it ends ({@link #writeFinished}), so concurrent writes never get the same address, and
 * a write that fails or is a dry run keeps nothing.
 */
public final class ServiceAllocator implements Admission {
  public static final int NODE_PORT_MIN = 30000;
  public static final int NODE_PORT_MAX = 32767;

  private final Supplier<List<ObjectNode>> services;
  private final long network;
  private final int prefix;
  /** What the writes in flight were given, by the object being written (one object per request). */
  private final Map<ObjectNode, Held> inFlight = new IdentityHashMap<>();

  /** Addresses given to one write. */
  private record Held(Set<String> ips, Set<Integer> ports) {
    Held {
      ips = Set.copyOf(ips);
      ports = Set.copyOf(ports);
    }
  }

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
      return (ipv4(ip) & mask()) == (network & mask());
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
    synchronized (this) {
      Allocation allocation = new Allocation(Meta.name(object));
      if (needsClusterIp(spec)) {
        allocation.clusterIp(spec);
      }
      if (needsNodePorts(spec)) {
        allocation.createNodePorts(spec);
      }
      if (needsHealthCheckNodePort(spec)) {
        allocation.healthCheckNodePort(spec);
      }
      hold(object, allocation, options);
    }
  }

  @Override
  public void admitUpdate(ResourceType type, ObjectNode object, ObjectNode old, WriteOptions options) {
    if (type != ResourceTypes.SERVICES) {
      return;
    }
    ObjectNode spec = Json.with(object, "spec");
    JsonNode oldSpec = old.path("spec");
    keepAllocatedValues(spec, oldSpec);
    synchronized (this) {
      Allocation allocation = new Allocation(Meta.name(object));
      // an ExternalName service turning into one with a cluster IP gets one; otherwise the IP never changes (the
      // strategy's validation says so) and one given up goes with the stored object
      if (!needsClusterIp(oldSpec) && needsClusterIp(spec)) {
        allocation.clusterIp(spec);
      }
      if (needsNodePorts(spec)) {
        allocation.updateNodePorts(spec, oldSpec);
      }
      if (needsHealthCheckNodePort(spec) && Json.number(spec, "healthCheckNodePort", 0)
          != Json.number(oldSpec, "healthCheckNodePort", 0)) {
        allocation.healthCheckNodePort(spec);
      }
      hold(object, allocation, options);
    }
  }

  @Override
  public void writeFinished(ResourceType type, ObjectNode object) {
    if (type != ResourceTypes.SERVICES) {
      return;
    }
    synchronized (this) {
      inFlight.remove(object);
    }
  }

  private void hold(ObjectNode object, Allocation allocation, WriteOptions options) {
    if (!options.dryRun() && (!allocation.givenIps.isEmpty() || !allocation.givenPorts.isEmpty())) {
      inFlight.put(object, new Held(allocation.givenIps, allocation.givenPorts));
    }
  }

  /**
   * Values a client left out of an update keep what was allocated for them (patchAllocatedValues): the cluster IP,
   * node ports by port name (unless another port of the service now uses the old one) and the health check port.
   */
  private static void keepAllocatedValues(ObjectNode spec, JsonNode oldSpec) {
    if (needsClusterIp(oldSpec) && needsClusterIp(spec)) {
      if (Json.text(spec, "clusterIP").isEmpty() && !Json.text(oldSpec, "clusterIP").isEmpty()) {
        spec.put("clusterIP", Json.text(oldSpec, "clusterIP"));
      }
      if (Json.elements(spec, "clusterIPs").isEmpty() && !Json.elements(oldSpec, "clusterIPs").isEmpty()) {
        spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
      }
    }
    if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
      Set<Integer> kept = nodePorts(oldSpec);
      kept.retainAll(nodePorts(spec));
      Map<String, Integer> byName = new HashMap<>();
      for (JsonNode port : Json.elements(oldSpec, "ports")) {
        byName.put(Json.text(port, "name"), (int) Json.number(port, "nodePort", 0));
      }
      for (ObjectNode port : Json.objects(spec, "ports")) {
        Integer previous = byName.get(Json.text(port, "name"));
        if (Json.number(port, "nodePort", 0) == 0 && previous != null && previous != 0 && !kept.contains(previous)) {
          port.put("nodePort", previous);
        }
      }
    }
    if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec)
        && Json.number(spec, "healthCheckNodePort", 0) == 0 && Json.has(oldSpec, "healthCheckNodePort")) {
      spec.set("healthCheckNodePort", oldSpec.get("healthCheckNodePort").deepCopy());
    }
  }

  static boolean needsClusterIp(JsonNode spec) {
    return !Json.text(spec, "type").equals("ExternalName");
  }

  static boolean needsNodePorts(JsonNode spec) {
    String type = Json.text(spec, "type");
    return type.equals("NodePort") || type.equals("LoadBalancer");
  }

  static boolean needsHealthCheckNodePort(JsonNode spec) {
    return Json.text(spec, "type").equals("LoadBalancer")
        && Json.text(spec, "externalTrafficPolicy").equals("Local");
  }

  /** Whether ports without a node port get one: LoadBalancers may opt out. */
  private static boolean allocatesNodePorts(JsonNode spec) {
    return Json.text(spec, "type").equals("NodePort") || !Json.has(spec, "allocateLoadBalancerNodePorts")
        || Json.bool(spec, "allocateLoadBalancerNodePorts");
  }

  private static Set<Integer> nodePorts(JsonNode spec) {
    Set<Integer> result = new HashSet<>();
    for (JsonNode port : Json.elements(spec, "ports")) {
      long nodePort = Json.number(port, "nodePort", 0);
      if (nodePort != 0) {
        result.add((int) nodePort);
      }
    }
    return result;
  }

  /**
   * One write's allocation: what is taken (the stored services and the writes in flight) and what this write was
   * given. Lives inside the allocator's lock.
   */
  private final class Allocation {
    private final String name;
    private final Set<String> usedIps = new HashSet<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    private final Set<String> givenIps = new HashSet<>();
    private final Set<Integer> givenPorts = new HashSet<>();

    Allocation(String name) {
      this.name = name;
      for (ObjectNode service : services.get()) {
        JsonNode spec = service.path("spec");
        usedIps.add(Json.text(spec, "clusterIP"));
        usedIps.addAll(Json.strings(spec, "clusterIPs"));
        usedPorts.addAll(nodePorts(spec));
        usedPorts.add((int) Json.number(spec, "healthCheckNodePort", 0));
      }
      for (Held held : inFlight.values()) {
        usedIps.addAll(held.ips());
        usedPorts.addAll(held.ports());
      }
    }

    /** The requested cluster IP (clusterIP, else clusterIPs[0]) or the next free one; none for headless ones. */
    void clusterIp(ObjectNode spec) {
      List<String> requested = Json.strings(spec, "clusterIPs");
      String ip = Json.text(spec, "clusterIP");
      if (ip.isEmpty() && !requested.isEmpty()) {
        ip = requested.get(0);
      }
      if (ip.equals("None")) {
        return;
      }
      if (ip.isEmpty()) {
        ip = nextIp();
      } else {
        String problem = !inRange(ip) ? "the provided IP (" + ip + ") is not in the valid range. The range of valid "
            + "IPs is " + format(network) + "/" + prefix
            : usedIps.contains(ip) ? "provided IP is already allocated" : null;
        if (problem != null) {
          throw ApiException.invalid(ResourceTypes.SERVICES, name, List.of(FieldError.invalid("spec.clusterIPs",
              GoValue.stringSlice(requested.isEmpty() ? List.of(ip) : requested),
              "failed to allocate IP " + ip + ": " + problem)));
        }
      }
      usedIps.add(ip);
      givenIps.add(ip);
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }

    /**
     * Node ports of a new service (initNodePorts): the requested ones, else the next free; ports with the same
     * number (TCP and UDP 53, say) share one.
     */
    void createNodePorts(ObjectNode spec) {
      List<ObjectNode> ports = Json.objects(spec, "ports");
      Map<Long, Integer> byServicePort = new HashMap<>();
      for (int i = 0; i < ports.size(); i++) {
        ObjectNode port = ports.get(i);
        int nodePort = (int) Json.number(port, "nodePort", 0);
        if (nodePort == 0 && !allocatesNodePorts(spec)) {
          continue;
        }
        long number = Json.number(port, "port", 0);
        Integer shared = byServicePort.get(number);
        if (shared == null) {
          int requested = nodePort;
          for (int j = i; j < ports.size() && requested == 0; j++) {
            if (Json.number(ports.get(j), "port", 0) == number) {
              requested = (int) Json.number(ports.get(j), "nodePort", 0);
            }
          }
          int given = requested != 0 ? take(requested, i) : nextPort();
          port.put("nodePort", given);
          byServicePort.put(number, given);
        } else if (nodePort == 0) {
          port.put("nodePort", shared);
        } else if (nodePort != shared) {
          take(nodePort, i);
        }
      }
    }

    /** Node ports of an updated service (updateNodePorts): new requested ones are checked, missing ones given. */
    void updateNodePorts(ObjectNode spec, JsonNode oldSpec) {
      Set<Integer> held = nodePorts(oldSpec);
      List<ObjectNode> ports = Json.objects(spec, "ports");
      for (int i = 0; i < ports.size(); i++) {
        ObjectNode port = ports.get(i);
        int nodePort = (int) Json.number(port, "nodePort", 0);
        if (nodePort == 0 && allocatesNodePorts(spec)) {
          port.put("nodePort", nextPort());
        } else if (nodePort != 0 && !held.contains(nodePort)) {
          held.add(take(nodePort, i));
        }
      }
    }

    /** The health check port of a LoadBalancer with externalTrafficPolicy Local: the requested one or the next. */
    void healthCheckNodePort(ObjectNode spec) {
      int requested = (int) Json.number(spec, "healthCheckNodePort", 0);
      if (requested == 0) {
        spec.put("healthCheckNodePort", nextPort());
        return;
      }
      String problem = portProblem(requested);
      if (problem != null) {
        throw ApiException.internal("failed to allocate requested HealthCheck NodePort " + requested + ": "
            + problem);
      }
      usedPorts.add(requested);
      givenPorts.add(requested);
    }

    private int take(int nodePort, int index) {
      String problem = portProblem(nodePort);
      if (problem != null) {
        throw ApiException.invalid(ResourceTypes.SERVICES, name, List.of(FieldError.invalid(
            "spec.ports[" + index + "].nodePort", nodePort, problem)));
      }
      usedPorts.add(nodePort);
      givenPorts.add(nodePort);
      return nodePort;
    }

    private String portProblem(int nodePort) {
      if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
        return "provided port is not in the valid range. The range of valid ports is " + NODE_PORT_MIN + "-"
            + NODE_PORT_MAX;
      }
      return usedPorts.contains(nodePort) ? "provided port is already allocated" : null;
    }

    /** A random free address of the range, past the kubernetes service's. */
    private String nextIp() {
      long candidates = (1L << (32 - prefix)) - 3;
      long offset = ThreadLocalRandom.current().nextLong(candidates);
      for (long i = 0; i < candidates; i++) {
        String ip = format(network + 2 + (offset + i) % candidates);
        if (!usedIps.contains(ip)) {
          return ip;
        }
      }
      throw ApiException.internal("failed to allocate a serviceIP: range is full");
    }

    private int nextPort() {
      int size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
      int offset = ThreadLocalRandom.current().nextInt(size);
      for (int i = 0; i < size; i++) {
        int candidate = NODE_PORT_MIN + (offset + i) % size;
        if (!usedPorts.contains(candidate)) {
          usedPorts.add(candidate);
          givenPorts.add(candidate);
          return candidate;
        }
      }
      throw ApiException.internal("failed to allocate a nodePort: range is full");
    }
  }

  /** Whether an address may be given: in the CIDR, neither its network nor its broadcast address. */
  private boolean inRange(String ip) {
    try {
      long value = ipv4(ip);
      long broadcast = network | (~mask() & 0xFFFFFFFFL);
      return (value & mask()) == (network & mask()) && value != network && value != broadcast;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private long mask() {
    return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
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
