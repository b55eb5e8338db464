package io.minicluster.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.NodeStatus;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.resource.Quantity;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.node.NodeFacts.MachineFacts;
import io.minicluster.node.NodeFacts.ResourceUsage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's node status manager plus the part of the node lifecycle controller that taints nodes by condition.
 *
 * <ul>
 *   <li>{@link #register()} creates the Node (labels, podCIDR, capacity, allocatable, addresses, nodeInfo,
 *       conditions) or reconciles an existing one;</li>
 *   <li>{@link #renewLease()} keeps {@code kube-node-lease/<node>} fresh (every 10 s once started);</li>
 *   <li>{@link #syncStatus()} rewrites the status when something changed, or at least every minute as a heartbeat
 *       (checked every 10 s once started), and keeps the {@code node.kubernetes.io/not-ready:NoSchedule} and pressure
 *       taints in line with the conditions.</li>
 * </ul>
 * When the container runtime stops answering the node turns NotReady (and tainted) at the next sync, and recovers by
 * itself when it answers again.
 */
public final class NodeStatusManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStatusManager.class);
  public static final String KUBELET_VERSION = "v1.35.0-minicluster";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  public static final int LEASE_DURATION_SECONDS = 40;
  public static final Duration LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
  public static final Duration STATUS_CHECK_INTERVAL = Duration.ofSeconds(10);
  public static final Duration STATUS_REPORT_INTERVAL = Duration.ofMinutes(1);
  public static final long MAX_PODS = 110;
  public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
  public static final String MEMORY_PRESSURE_TAINT = "node.kubernetes.io/memory-pressure";
  public static final String DISK_PRESSURE_TAINT = "node.kubernetes.io/disk-pressure";
  public static final String PID_PRESSURE_TAINT = "node.kubernetes.io/pid-pressure";
  public static final String RUNTIME_DOWN_MESSAGE = "container runtime is down: the Docker engine does not answer";

  private final Client client;
  private final NodeFacts facts;
  private final String nodeName;
  private final String nodeIp;
  private final String podCidr;
  private final int kubeletPort;
  private final long maxPods;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final List<Future<?>> scheduled = new CopyOnWriteArrayList<>();
  private volatile Instant lastReport;

  /**
   * @param client writes as field manager "kubelet" (pass {@code client.as("kubelet")})
   * @param kubeletPort the port published as {@code status.daemonEndpoints.kubeletEndpoint.Port}
   * @param timer runs the lease renewals and status checks (owned by the caller)
   */
  public NodeStatusManager(Client client, NodeFacts facts, String nodeName, String nodeIp, String podCidr,
      int kubeletPort, Clock clock, ScheduledExecutorService timer) {
    this(client, facts, nodeName, nodeIp, podCidr, kubeletPort, MAX_PODS, clock, timer);
  }

  /** A node that holds {@code maxPods} pods (its pods capacity; the kubelet's default is {@value #MAX_PODS}). */
  public NodeStatusManager(Client client, NodeFacts facts, String nodeName, String nodeIp, String podCidr,
      int kubeletPort, long maxPods, Clock clock, ScheduledExecutorService timer) {
    if (maxPods < 1) {
      throw new IllegalArgumentException("maxPods must be at least 1: " + maxPods);
    }
    this.maxPods = maxPods;
    this.client = requireNonNull(client, "client is null");
    this.facts = requireNonNull(facts, "facts is null");
    this.nodeName = requireNonNull(nodeName, "nodeName is null");
    this.nodeIp = requireNonNull(nodeIp, "nodeIp is null");
    this.podCidr = requireNonNull(podCidr, "podCidr is null");
    this.kubeletPort = kubeletPort;
    this.clock = requireNonNull(clock, "clock is null");
    this.timer = requireNonNull(timer, "timer is null");
  }

  /** Registers the node and its lease now, then keeps both fresh in the background. */
  public void start() {
    register();
    safely("lease", this::renewLease);
    scheduled.add(timer.scheduleWithFixedDelay(() -> safely("lease", this::renewLease),
        LEASE_RENEW_INTERVAL.toMillis(), LEASE_RENEW_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    scheduled.add(timer.scheduleWithFixedDelay(() -> safely("status", this::syncStatus),
        STATUS_CHECK_INTERVAL.toMillis(), STATUS_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
  }

  private static void safely(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("node {} update failed: {}", what, e.getMessage());
    }
  }

  @Override
  public void close() {
    scheduled.forEach(future -> future.cancel(true));
  }

  // ---------------------------------------------------------------- registration

  /** Creates the Node, or brings an existing one (from an earlier run) up to date. */
  public void register() {
    Observed observed = observe();
    if (client.find(ResourceTypes.NODES, null, nodeName).isEmpty()) {
      ObjectNode node = Json.object();
      ObjectNode metadata = node.putObject("metadata");
      metadata.put("name", nodeName);
      applyMetadata(metadata, observed.machine());
      applySpec(node, observed.conditions());
      node.set("status", desiredStatus(observed, null));
      try {
        client.create(ResourceTypes.NODES, null, node);
        lastReport = clock.instant();
        LOG.info("registered node {}", nodeName);
        return;
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw e;
        }
      }
    }
    client.modify(ResourceTypes.NODES, null, nodeName, node -> {
      applyMetadata(Meta.metadata(node), observed.machine());
      applySpec(node, observed.conditions());
      return node;
    });
    writeStatus(observed);
  }

  private void applyMetadata(ObjectNode metadata, MachineFacts machine) {
    ObjectNode labels = Json.with(metadata, "labels");
    String architecture = machine.architecture().isEmpty() ? "amd64" : machine.architecture();
    labels.put("beta.kubernetes.io/arch", architecture);
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", architecture);
    labels.put("kubernetes.io/hostname", nodeName);
    labels.put("kubernetes.io/os", "linux");
    labels.put("node-role.kubernetes.io/control-plane", "");
    ObjectNode annotations = Json.with(metadata, "annotations");
    annotations.put("node.alpha.kubernetes.io/ttl", "0");
    annotations.put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
  }

  /** podCIDR(s) when unset, and the condition taints. */
  private void applySpec(ObjectNode node, Map<String, Boolean> conditions) {
    ObjectNode spec = Json.with(node, "spec");
    if (Json.text(spec, "podCIDR").isEmpty() && !podCidr.isEmpty()) {
      spec.put("podCIDR", podCidr);
      spec.putArray("podCIDRs").add(podCidr);
    }
    applyTaints(spec, conditions);
  }

  // ---------------------------------------------------------------- lease

  /** Creates or renews the node's Lease. */
  public void renewLease() {
    String now = Meta.microTimestamp(clock.instant());
    try {
      client.modify(ResourceTypes.LEASES, LEASE_NAMESPACE, nodeName, lease -> {
        ObjectNode spec = Json.with(lease, "spec");
        spec.put("holderIdentity", nodeName);
        spec.put("leaseDurationSeconds", LEASE_DURATION_SECONDS);
        spec.put("renewTime", now);
        return lease;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
      ObjectNode lease = Json.object();
      ObjectNode metadata = lease.putObject("metadata");
      metadata.put("name", nodeName);
      metadata.put("namespace", LEASE_NAMESPACE);
      client.find(ResourceTypes.NODES, null, nodeName).map(Node::from).ifPresent(node -> {
        ObjectNode owner = metadata.putArray("ownerReferences").addObject();
        owner.put("apiVersion", "v1");
        owner.put("kind", "Node");
        owner.put("name", nodeName);
        owner.put("uid", node.metadata().uid());
      });
      ObjectNode spec = lease.putObject("spec");
      spec.put("holderIdentity", nodeName);
      spec.put("leaseDurationSeconds", LEASE_DURATION_SECONDS);
      spec.put("renewTime", now);
      try {
        client.create(ResourceTypes.LEASES, LEASE_NAMESPACE, lease);
      } catch (ApiException conflict) {
        if (conflict.code() != 409) {
          throw conflict;
        }
      }
    }
  }

  // ---------------------------------------------------------------- status

  /** What the node looks like now. */
  private record Observed(boolean runtimeUp, MachineFacts machine, ResourceUsage usage,
      Map<String, Boolean> conditions) {}

  private Observed observe() {
    boolean up = facts.runtimeReachable();
    MachineFacts machine = facts.machine();
    ResourceUsage usage = facts.usage();
    Map<String, Boolean> conditions = new LinkedHashMap<>();
    conditions.put("MemoryPressure", Thresholds.memoryPressure(usage));
    conditions.put("DiskPressure", Thresholds.diskPressure(machine, usage));
    conditions.put("PIDPressure", Thresholds.pidPressure(usage));
    conditions.put("Ready", up);
    return new Observed(up, machine, usage, conditions);
  }

  /**
   * Writes the status if it differs from the stored one (ignoring heartbeat times) or the last write is a minute
   * old, and aligns the condition taints.
   *
   * @return whether the status was written
   */
  public boolean syncStatus() {
    Observed observed = observe();
    ObjectNode stored = client.find(ResourceTypes.NODES, null, nodeName).orElse(null);
    if (stored == null) {
      register();
      return true;
    }
    Node current = Node.from(stored);
    // what the writes below would make of it: the same functions, on a copy
    ObjectNode updated = stored.deepCopy();
    updated.set("status", desiredStatus(observed, Json.get(stored, "status")));
    applyTaints(Json.with(updated, "spec"), observed.conditions());
    Node desired = Node.from(updated);
    boolean written = false;
    Instant last = lastReport;
    boolean heartbeatDue = last == null
        || Duration.between(last, clock.instant()).compareTo(STATUS_REPORT_INTERVAL) >= 0;
    if (heartbeatDue || statusChanged(current.status(), desired.status())) {
      writeStatus(observed);
      written = true;
    }
    if (!current.spec().taints().equals(desired.spec().taints())) {
      client.modify(ResourceTypes.NODES, null, nodeName, node -> {
        applyTaints(Json.with(node, "spec"), observed.conditions());
        return node;
      });
      LOG.info("node {} taints now {}", nodeName, Json.at(updated, "spec", "taints"));
    }
    return written;
  }

  /** What of a condition counts as a change (everything but the heartbeat time, as nodeConditionsHaveChanged). */
  private record ConditionState(String type, String status, String reason, String message, Instant lastProbeTime,
      Instant lastTransitionTime) {
    static List<ConditionState> of(List<Condition> conditions) {
      return conditions.stream().map(c -> new ConditionState(c.type(), c.status(), c.reason(), c.message(),
          c.lastProbeTime(), c.lastTransitionTime())).toList();
    }
  }

  /** Whether a status differs from the stored one in more than heartbeat times (the kubelet's nodeStatusHasChanged). */
  private static boolean statusChanged(NodeStatus stored, NodeStatus desired) {
    return !stored.capacity().equals(desired.capacity())
        || !stored.allocatable().equals(desired.allocatable())
        || !stored.phase().equals(desired.phase())
        || !stored.addresses().equals(desired.addresses())
        || !stored.daemonEndpoints().equals(desired.daemonEndpoints())
        || !stored.nodeInfo().equals(desired.nodeInfo())
        || !ConditionState.of(stored.conditions()).equals(ConditionState.of(desired.conditions()));
  }

  private void writeStatus(Observed observed) {
    client.modifyStatus(ResourceTypes.NODES, null, nodeName, node -> {
      node.set("status", desiredStatus(observed, Json.get(node, "status")));
      return node;
    });
    lastReport = clock.instant();
    if (!observed.runtimeUp()) {
      LOG.warn("node {} is NotReady: {}", nodeName, RUNTIME_DOWN_MESSAGE);
    }
  }

  /**
   * The status to write: facts now, and the conditions of {@code old} with the kubelet's updated where they stand
   * (their transition times kept while their status stays the same).
   */
  private ObjectNode desiredStatus(Observed observed, JsonNode old) {
    MachineFacts machine = observed.machine();
    ObjectNode status = Json.object();
    ObjectNode capacity = status.putObject("capacity");
    ObjectNode allocatable = status.putObject("allocatable");
    Quantity cpu = Quantity.ofMillis(machine.cpus() * 1000L);
    capacity.put("cpu", cpu.toString());
    allocatable.put("cpu", cpu.toString());
    long storage = machine.fileSystemCapacityBytes();
    capacity.put("ephemeral-storage", Quantity.ofBinary(storage).toString());
    allocatable.put("ephemeral-storage", Quantity.of(BigDecimal.valueOf(storage - Thresholds.reservedStorage(storage)),
        Quantity.Format.DECIMAL_SI).toString());
    long memory = machine.memoryBytes();
    capacity.put("memory", Quantity.ofBinary(memory).toString());
    allocatable.put("memory", Quantity.ofBinary(Math.max(0, memory - Thresholds.MEMORY_AVAILABLE_BYTES)).toString());
    capacity.put("pods", Long.toString(maxPods));
    allocatable.put("pods", Long.toString(maxPods));
    ArrayNode conditions = status.putArray("conditions");
    if (Json.get(old, "conditions") instanceof ArrayNode previous) {
      conditions.addAll(previous.deepCopy());
    }
    String now = Meta.timestamp(clock.instant());
    for (Map.Entry<String, Boolean> entry : observed.conditions().entrySet()) {
      Conditions.update(status, condition(entry.getKey(), entry.getValue(), now));
    }
    ArrayNode addresses = status.putArray("addresses");
    ObjectNode internal = addresses.addObject();
    internal.put("type", "InternalIP");
    internal.put("address", nodeIp);
    ObjectNode hostname = addresses.addObject();
    hostname.put("type", "Hostname");
    hostname.put("address", nodeName);
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
    ObjectNode info = status.putObject("nodeInfo");
    info.put("machineID", machine.machineId());
    info.put("systemUUID", machine.systemUuid());
    info.put("bootID", machine.bootId());
    info.put("kernelVersion", machine.kernelVersion());
    info.put("osImage", machine.osImage());
    info.put("containerRuntimeVersion", machine.runtimeVersion());
    info.put("kubeletVersion", KUBELET_VERSION);
    // deprecated and unset since 1.31, but not omitempty: the apiserver still sends "", and clients generated from
    // the OpenAPI (the Python client) reject a node without it
    info.put("kubeProxyVersion", "");
    info.put("operatingSystem", "linux");
    info.put("architecture", machine.architecture());
    return status;
  }

  /**
   * One condition as the kubelet's setters write it, {@code now} its heartbeat and (when its status changes) its
   * transition time; {@code value} true means "Ready" for Ready and "pressure" otherwise.
   */
  private static ObjectNode condition(String type, boolean value, String now) {
    String status = value ? "True" : "False";
    String reason;
    String message;
    switch (type) {
      case "Ready" -> {
        reason = value ? "KubeletReady" : "KubeletNotReady";
        message = value ? "kubelet is posting ready status" : RUNTIME_DOWN_MESSAGE;
      }
      case "MemoryPressure" -> {
        reason = value ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory";
        message = value ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available";
      }
      case "DiskPressure" -> {
        reason = value ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure";
        message = value ? "kubelet has disk pressure" : "kubelet has no disk pressure";
      }
      case "PIDPressure" -> {
        reason = value ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID";
        message = value ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available";
      }
      default -> throw new IllegalArgumentException("unknown condition " + type);
    }
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("lastHeartbeatTime", now);
    condition.put("lastTransitionTime", now);
    condition.put("reason", reason);
    condition.put("message", message);
    return condition;
  }

  /**
   * Adds or removes the NoSchedule taints the node lifecycle controller derives from conditions (not-ready,
   * memory/disk/pid pressure), leaving every other taint alone.
   */
  static void applyTaints(ObjectNode spec, Map<String, Boolean> conditions) {
    Map<String, Boolean> wanted = new LinkedHashMap<>();
    wanted.put(NOT_READY_TAINT, !conditions.getOrDefault("Ready", false));
    wanted.put(MEMORY_PRESSURE_TAINT, conditions.getOrDefault("MemoryPressure", false));
    wanted.put(DISK_PRESSURE_TAINT, conditions.getOrDefault("DiskPressure", false));
    wanted.put(PID_PRESSURE_TAINT, conditions.getOrDefault("PIDPressure", false));
    List<JsonNode> kept = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (JsonNode taint : Json.elements(spec, "taints")) {
      String key = Json.text(taint, "key");
      boolean managed = wanted.containsKey(key) && "NoSchedule".equals(Json.text(taint, "effect"));
      if (managed && !wanted.get(key)) {
        continue;
      }
      if (managed) {
        present.add(key);
      }
      kept.add(taint);
    }
    for (Map.Entry<String, Boolean> entry : wanted.entrySet()) {
      if (entry.getValue() && !present.contains(entry.getKey())) {
        ObjectNode taint = Json.object();
        taint.put("key", entry.getKey());
        taint.put("effect", "NoSchedule");
        kept.add(taint);
      }
    }
    if (kept.isEmpty()) {
      spec.remove("taints");
    } else {
      ArrayNode taints = spec.putArray("taints");
      kept.forEach(taints::add);
    }
  }
}
