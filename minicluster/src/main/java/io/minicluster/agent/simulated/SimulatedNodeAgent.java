package io.minicluster.agent.simulated;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ImageReference;
import io.minicluster.agent.runtime.Ipv4Cidr;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.helper.QosClass;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node agent whose pods run without containers, as kwok's nodes do: what the control plane sees of a pod bound to the
 * node is what a kubelet would write once its containers run (phase Running, startTime, hostIP, a podIP of the pod
 * CIDR, every container running, ready and started, the PodReadyToStartContainers, Initialized, ContainersReady and
 * Ready conditions), and a pod being deleted is deleted at once with grace 0, as the kubelet does once its containers
 * are gone. It needs no container engine: it exists to measure the API server, the store, the controllers and the
 * scheduler with many pods.
 *
 * <p>It reads the shared pod informer (no view of its own) and keeps per pod only the address it gave it; the wiring
 * runs it on a {@link Controller} runner over the work queue it hands it (keys "namespace/name").
 */
public final class SimulatedNodeAgent implements Controller.Loop {
  /** The kubelet's container runtime version this node reports. */
  public static final String RUNTIME_VERSION = "simulated://1.0";
  private static final List<String> KUBELET_CONDITIONS = List.of("PodReadyToStartContainers", "Initialized", "Ready",
      "ContainersReady");

  /** The address a pod holds, and which pod (by UID) holds it. */
  private record Held(String uid, String address) {}

  private final Client client;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final String nodeName;
  private final String nodeIp;
  private final Clock clock;
  private final PodAddressPool addresses;
  /** The pod addresses given, by pod key; host-network pods have none. */
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /**
   * @param client writes as the kubelet (pass {@code client.as("kubelet")})
   * @param queue the queue of the runner the wiring builds for this agent
   * @param nodeIp the node's address: the pods' hostIP, and the podIP of host-network pods
   * @param podCidr where the pods' addresses come from
   */
  public SimulatedNodeAgent(Client client, SharedInformers informers, WorkQueue queue, String nodeName, String nodeIp,
      String podCidr, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.nodeName = requireNonNull(nodeName, "nodeName is null");
    this.nodeIp = requireNonNull(nodeIp, "nodeIp is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.addresses = new PodAddressPool(Ipv4Cidr.parse(requireNonNull(podCidr, "podCidr is null")));
    this.pods = informers.informer(Kinds.PODS);
    pods.addHandler(new PodHandler());
  }

  /** How many pods the node can hold: as many as its pod CIDR has addresses (the Node's pods capacity). */
  public static long capacity(String podCidr) {
    return new PodAddressPool(Ipv4Cidr.parse(podCidr)).capacity();
  }

  /** How many pod addresses are held now. */
  public int addressesInUse() {
    return addresses.inUse();
  }

  /** Feeds the keys of this node's pods to the queue; takes back the addresses of pods the node already runs. */
  private final class PodHandler implements Informer.Handler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (mine(pod)) {
        adopt(pod);
        queue.add(pod.key());
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      if (mine(pod) || mine(old)) {
        queue.add(pod.key());
      }
    }

    @Override
    public void onDelete(Pod pod) {
      if (mine(pod) || held.containsKey(pod.key())) {
        queue.add(pod.key());
      }
    }
  }

  private boolean mine(Pod pod) {
    return nodeName.equals(pod.spec().nodeName());
  }

  /** Keeps the address a running pod already reports (after a restart), unless another pod holds it. */
  private void adopt(Pod pod) {
    String address = pod.status().podIP();
    if (!pod.spec().hostNetwork() && !pod.isTerminal() && !held.containsKey(pod.key()) && addresses.reserve(address)) {
      held.put(pod.key(), new Held(pod.metadata().uid(), address));
    }
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(pods);
  }

  @Override
  public long reconcile(String key) {
    int slash = key.indexOf('/');
    Optional<Pod> found = pods.get(key.substring(0, slash), key.substring(slash + 1));
    if (found.isEmpty() || !mine(found.get())) {
      release(key);
      return 0;
    }
    Pod pod = found.get();
    Held current = held.get(key);
    if (current != null && !current.uid().equals(pod.metadata().uid())) {
      release(key);
    }
    if (pod.metadata().isDeleting()) {
      finalizeDeletion(pod);
      release(key);
      return 0;
    }
    if (pod.isTerminal()) {
      release(key);
      return 0;
    }
    String address = pod.spec().hostNetwork() ? nodeIp : address(pod);
    if (!running(pod, address)) {
      writeRunning(pod, address);
    }
    return 0;
  }

  /** The pod's address: the one it holds, else a new one. */
  private String address(Pod pod) {
    Held current = held.get(pod.key());
    if (current != null) {
      return current.address();
    }
    String address = addresses.allocate();
    if (address.isEmpty()) {
      throw new IllegalStateException("no pod address left in the pod CIDR for pod " + pod.key());
    }
    held.put(pod.key(), new Held(pod.metadata().uid(), address));
    return address;
  }

  private void release(String key) {
    Held gone = held.remove(key);
    if (gone != null) {
      addresses.release(gone.address());
    }
  }

  /** The kubelet's last step of a graceful deletion, its containers being gone: the delete with grace 0. */
  private void finalizeDeletion(Pod pod) {
    try {
      client.delete(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(),
          new DeleteOptions(0L, null, pod.metadata().uid(), null, false));
    } catch (ApiException e) {
      // 404: gone already; 409: another pod of the same name by now (its own sync handles it)
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
  }

  /** Whether the stored status already says what this agent writes. */
  private boolean running(Pod pod, String address) {
    return Pod.RUNNING.equals(pod.status().phase()) && address.equals(pod.status().podIP())
        && nodeIp.equals(pod.status().hostIP()) && pod.isReady()
        && pod.status().containerStatuses().size() == pod.spec().containers().size();
  }

  private void writeRunning(Pod pod, String address) {
    String now = Meta.timestamp(clock.instant());
    String uid = pod.metadata().uid();
    client.modifyStatus(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(), stored -> {
      if (!uid.equals(Meta.uid(stored))) {
        throw ApiException.conflict(ResourceTypes.PODS, pod.metadata().name(), "the pod was replaced");
      }
      ObjectNode status = Json.with(stored, "status");
      status.put("phase", Pod.RUNNING);
      conditions(status, now);
      status.put("hostIP", nodeIp);
      status.set("hostIPs", Json.array().add(Json.object().put("ip", nodeIp)));
      status.put("podIP", address);
      status.set("podIPs", Json.array().add(Json.object().put("ip", address)));
      if (!status.hasNonNull("startTime")) {
        status.put("startTime", now);
      }
      if (!pod.spec().initContainers().isEmpty()) {
        ArrayNode inits = status.putArray("initContainerStatuses");
        pod.spec().initContainers().forEach(init -> inits.add(containerStatus(init, !sidecar(init), now)));
      }
      ArrayNode containers = status.putArray("containerStatuses");
      pod.spec().containers().forEach(container -> containers.add(containerStatus(container, false, now)));
      if (Json.text(status, "qosClass").isEmpty()) {
        status.put("qosClass", QosClass.of(pod.spec()));
      }
      return stored;
    });
  }

  /** The kubelet's conditions, all true, in the kubelet's order, before the others (PodScheduled). */
  private static void conditions(ObjectNode status, String now) {
    ArrayNode conditions = Json.array();
    JsonNode old = status.get("conditions");
    for (String type : KUBELET_CONDITIONS) {
      JsonNode previous = Conditions.find(old, type);
      ObjectNode condition = conditions.addObject();
      condition.put("type", type);
      condition.put("status", Condition.TRUE);
      condition.putNull("lastProbeTime");
      condition.put("lastTransitionTime", previous != null && Condition.TRUE.equals(Json.text(previous, "status"))
          && !Json.text(previous, "lastTransitionTime").isEmpty() ? Json.text(previous, "lastTransitionTime") : now);
    }
    if (old != null) {
      for (JsonNode condition : old) {
        if (!KUBELET_CONDITIONS.contains(Json.text(condition, "type"))) {
          conditions.add(condition);
        }
      }
    }
    status.set("conditions", conditions);
  }

  private static boolean sidecar(Container init) {
    return "Always".equals(init.restartPolicy());
  }

  /** A container running, ready and started since {@code now}; or, for a completed init container, terminated. */
  private static ObjectNode containerStatus(Container container, boolean completed, String now) {
    ObjectNode status = Json.object();
    status.put("name", container.name());
    ObjectNode state = status.putObject("state");
    if (completed) {
      ObjectNode terminated = state.putObject("terminated");
      terminated.put("exitCode", 0);
      terminated.put("reason", "Completed");
      terminated.put("startedAt", now);
      terminated.put("finishedAt", now);
    } else {
      state.putObject("running").put("startedAt", now);
    }
    status.putObject("lastState");
    status.put("ready", true);
    status.put("restartCount", 0);
    status.put("image", familiar(container.image()));
    status.put("imageID", "");
    status.put("started", !completed);
    return status;
  }

  private static String familiar(String image) {
    try {
      return ImageReference.parse(image).familiar();
    } catch (IllegalArgumentException invalid) {
      return image;
    }
  }
}
