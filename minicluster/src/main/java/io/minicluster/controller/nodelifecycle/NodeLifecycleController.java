package io.minicluster.controller.nodelifecycle;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.coordination.Lease;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Taint;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle) with the taint eviction it drives
 * (pkg/controller/tainteviction). Work keys are node names.
 *
 * <ul>
 *   <li><b>Health</b> (tryUpdateNodeHealth): a node is heard from when its Lease in {@code kube-node-lease} is renewed
 *       or its Ready condition's heartbeat moves; the controller notes when <i>it</i> saw that (its own clock, as
 *       upstream, so clock skew does not matter). A node not heard from for the monitor grace period (the startup
 *       grace period, from its creation, while it never posted Ready) gets Ready, MemoryPressure, DiskPressure and
 *       PIDPressure set to Unknown, reason {@value #STATUS_UNKNOWN_REASON} (conditions it never had are added with
 *       {@value #NEVER_UPDATED_REASON}).
 *   <li><b>Pods</b> (MarkPodsNotReady): when the controller turns a Ready node Unknown, the pods bound to it get
 *       Ready=False; the node gets a NodeNotReady event.
 *   <li><b>Taints</b>: the NoSchedule taints by condition (not-ready, unreachable, pressure, network-unavailable, and
 *       unschedulable for {@code spec.unschedulable}) and the NoExecute not-ready/unreachable taints, removed again
 *       when the node is Ready.
 *   <li><b>Eviction</b>: pods on a node with NoExecute taints are deleted as {@link TaintEviction} says (the
 *       DefaultTolerationSeconds admission gives every pod 300 s for not-ready and unreachable).
 * </ul>
 */
public final class NodeLifecycleController implements ControllerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  static final String STATUS_UNKNOWN_REASON = "NodeStatusUnknown";
  static final String STATUS_UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
  static final String NEVER_UPDATED_REASON = "NodeStatusNeverUpdated";
  static final String NEVER_UPDATED_MESSAGE = "Kubelet never posted node status.";
  /** The conditions marked Unknown: Ready and the kubelet's remaining ones (remainingNodeConditionTypes). */
  private static final List<String> MONITORED_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure",
      "PIDPressure");

  /** What the controller last heard from a node, and when (its own clock) it last heard something new. */
  private record Health(Instant probeTime, Instant readyHeartbeat, Instant leaseRenewTime) {}

  private final Client client;
  private final Informer<Node> nodes;
  private final Informer<Lease> leases;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final EventRecorder events;
  private final Clock clock;
  private final NodeLifecycleConfig config;
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  /** Nodes the controller turned Unknown whose pods are still to be marked not ready (retried until done). */
  private final Set<String> podsToMarkNotReady = ConcurrentHashMap.newKeySet();

  public NodeLifecycleController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock, NodeLifecycleConfig config) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.config = requireNonNull(config, "config is null");
    this.nodes = informers.informer(Kinds.NODES);
    this.leases = informers.informer(Kinds.LEASES);
    this.pods = informers.informer(Kinds.PODS);
    nodes.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(Node node) {
        queue.add(node.metadata().name());
      }

      @Override
      public void onUpdate(Node old, Node node) {
        queue.add(node.metadata().name());
      }

      @Override
      public void onDelete(Node node) {
        queue.add(node.metadata().name());
      }
    });
    leases.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(Lease lease) {
        enqueueLease(lease);
      }

      @Override
      public void onUpdate(Lease old, Lease lease) {
        enqueueLease(lease);
      }
    });
    pods.addHandler(new Informer.Handler<>() {
      @Override
      public void onAdd(Pod pod) {
        enqueuePodNode(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        enqueuePodNode(pod);
      }
    });
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(nodes, leases, pods);
  }

  private void enqueueLease(Lease lease) {
    if (LEASE_NAMESPACE.equals(lease.metadata().namespace())) {
      queue.add(lease.metadata().name());
    }
  }

  /** A pod on a node with NoExecute taints may have to go (the taint eviction watches pods as well as nodes). */
  private void enqueuePodNode(Pod pod) {
    String nodeName = pod.spec().nodeName();
    if (nodeName.isEmpty()) {
      return;
    }
    nodes.get(null, nodeName).ifPresent(node -> {
      if (node.spec().taints().stream().anyMatch(t -> "NoExecute".equals(t.effect()))) {
        queue.add(nodeName);
      }
    });
  }

  @Override
  public long reconcile(String name) {
    Optional<Node> cached = nodes.get(null, name);
    if (cached.isEmpty()) {
      health.remove(name);
      podsToMarkNotReady.remove(name);
      return 0;
    }
    Node node = cached.get();
    Instant now = clock.instant();
    Optional<Condition> ready = node.status().condition("Ready");
    Health heard = observe(node, now);
    Instant deadline = heard.probeTime()
        .plus(ready.isPresent() ? config.monitorGracePeriod() : config.startupGracePeriod());
    if (now.isAfter(deadline) && !allUnknown(node)) {
      node = markUnknown(name, now);
      if (ready.map(Condition::isTrue).orElse(false)) {
        LOG.info("node {} stopped posting status (last heard at {}): marked Unknown", name, heard.probeTime());
        events.normal(ObjectReference.to("v1", "Node", node.metadata()), "NodeNotReady",
            "Node " + name + " status is now: NodeNotReady");
        podsToMarkNotReady.add(name);
      }
    }
    if (podsToMarkNotReady.contains(name)) {
      markPodsNotReady(name, now);
      podsToMarkNotReady.remove(name);
    }
    node = syncTaints(node, now);
    long next = now.isAfter(deadline) ? 0 : Duration.between(now, deadline).toMillis() + 1;
    return earliest(next, evictPods(node, now));
  }

  private static long earliest(long a, long b) {
    if (a <= 0) {
      return b;
    }
    return b <= 0 ? a : Math.min(a, b);
  }

  /** Notes a new lease renewal or status heartbeat, and returns what the controller has heard from the node. */
  private Health observe(Node node, Instant now) {
    String name = node.metadata().name();
    Instant heartbeat = node.status().condition("Ready").map(Condition::lastHeartbeatTime).orElse(null);
    Instant renewed = leases.get(LEASE_NAMESPACE, name).map(Lease::renewTime).orElse(null);
    Health previous = health.get(name);
    Instant probe;
    if (previous == null) {
      // a node first seen: now if it has posted status, else from its creation (under the startup grace period)
      Instant created = node.metadata().creationTimestamp();
      probe = heartbeat != null || created == null ? now : created;
    } else {
      probe = previous.probeTime();
      if (heartbeat != null && !heartbeat.equals(previous.readyHeartbeat())) {
        probe = now;
      }
    }
    if (renewed != null && (previous == null || previous.leaseRenewTime() == null
        || renewed.isAfter(previous.leaseRenewTime()))) {
      probe = now;
    }
    Health current = new Health(probe, heartbeat,
        renewed != null || previous == null ? renewed : previous.leaseRenewTime());
    health.put(name, current);
    return current;
  }

  private static boolean allUnknown(Node node) {
    for (String type : MONITORED_CONDITIONS) {
      if (!node.status().condition(type).map(c -> Condition.UNKNOWN.equals(c.status())).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /** Sets the monitored conditions Unknown (adding those never posted) and returns the node as written. */
  private Node markUnknown(String name, Instant now) {
    String time = Meta.timestamp(now);
    ObjectNode updated = client.modifyStatus(ResourceTypes.NODES, null, name, object -> {
      ObjectNode status = Json.with(object, "status");
      String created = Json.textOrNull(Meta.metadata(object), "creationTimestamp");
      for (String type : MONITORED_CONDITIONS) {
        JsonNode existing = Conditions.get(status, type);
        ObjectNode condition;
        if (existing == null) {
          condition = Json.object();
          condition.put("type", type);
          condition.put("status", Condition.UNKNOWN);
          if (created != null) {
            condition.put("lastHeartbeatTime", created);
          }
          condition.put("reason", NEVER_UPDATED_REASON);
          condition.put("message", NEVER_UPDATED_MESSAGE);
        } else if (Condition.UNKNOWN.equals(Json.textOrNull(existing, "status"))) {
          continue;
        } else {
          condition = existing.deepCopy();
          condition.put("status", Condition.UNKNOWN);
          condition.put("reason", STATUS_UNKNOWN_REASON);
          condition.put("message", STATUS_UNKNOWN_MESSAGE);
        }
        condition.put("lastTransitionTime", time);
        Conditions.replace(status, condition);
      }
      return object;
    });
    return Node.from(updated);
  }

  /** MarkPodsNotReady: the Ready condition of the node's pods turns False. */
  private void markPodsNotReady(String nodeName, Instant now) {
    String time = Meta.timestamp(now);
    for (Pod pod : pods.list(p -> nodeName.equals(p.spec().nodeName()))) {
      if (!pod.isReady() || pod.metadata().isDeleting()) {
        continue;
      }
      try {
        client.modifyStatus(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(), object -> {
          JsonNode existing = Conditions.get(Json.with(object, "status"), "Ready");
          if (existing != null && Condition.TRUE.equals(Json.textOrNull(existing, "status"))) {
            ObjectNode condition = existing.deepCopy();
            condition.put("status", Condition.FALSE);
            condition.put("lastTransitionTime", time);
            Conditions.replace(Json.with(object, "status"), condition);
          }
          return object;
        });
        events.warning(ObjectReference.to("v1", "Pod", pod.metadata()), "NodeNotReady", "Node is not ready");
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
  }

  /** Makes the node carry exactly the managed taints its conditions call for; returns the node as it now is. */
  private Node syncTaints(Node node, Instant now) {
    Set<NodeTaints.Managed> desired = NodeTaints.desired(node);
    if (desired.equals(NodeTaints.present(node))) {
      return node;
    }
    String name = node.metadata().name();
    ObjectNode updated = client.modify(ResourceTypes.NODES, null, name, object -> {
      NodeTaints.apply(Json.with(object, "spec"), NodeTaints.desired(Node.from(object)), now);
      return object;
    });
    Node written = Node.from(updated);
    LOG.info("node {} taints now {}", name, NodeTaints.present(written));
    return written;
  }

  /** Deletes the pods whose time on the tainted node is up; returns the delay to the next one due (0: none). */
  private long evictPods(Node node, Instant now) {
    List<Taint> taints = node.spec().taints();
    if (taints.stream().noneMatch(t -> "NoExecute".equals(t.effect()))) {
      return 0;
    }
    String nodeName = node.metadata().name();
    long next = 0;
    for (Pod pod : pods.list(p -> nodeName.equals(p.spec().nodeName()))) {
      if (pod.metadata().isDeleting()) {
        continue;
      }
      Optional<Instant> due = TaintEviction.due(pod, taints, now);
      if (due.isEmpty()) {
        continue;
      }
      if (due.get().isAfter(now)) {
        next = earliest(next, Duration.between(now, due.get()).toMillis() + 1);
        continue;
      }
      LOG.info("deleting pod {} from node {}: NoExecute taints {}", pod.key(), nodeName, taints);
      events.normal(ObjectReference.to("v1", "Pod", pod.metadata()), "TaintManagerEviction",
          "Marking for deletion Pod " + pod.key());
      client.deleteIfExists(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(),
          DeleteOptions.DEFAULT);
    }
    return next;
  }
}
