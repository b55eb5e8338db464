package io.minicluster.controller.daemonset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.ControllerRevision;
import io.minicluster.api.apps.DaemonSet;
import io.minicluster.api.apps.DaemonSetUpdateStrategy;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.client.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.expectations.Expectations;
import io.minicluster.controller.history.ControllerHistory;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.controller.podstate.Pods;
import io.minicluster.controller.workload.Workloads;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per node that should run it (node name, node selector,
 * required node affinity, taints the pod does not tolerate; see {@link DaemonPods}), named {@code <ds>-xxxxx},
 * labelled with the {@code controller-revision-hash} of its template's {@link ControllerHistory revision} and pinned
 * to its node by node affinity on {@code metadata.name}, which the scheduler honours (as upstream since 1.12; not by
 * setting nodeName). Pods on nodes that should not run them are deleted, failed pods replaced. Template changes roll
 * out with RollingUpdate (maxUnavailable, or maxSurge: new pod first) or wait for pods to be deleted (OnDelete);
 * {@code revisionHistoryLimit} old revisions are kept. Status carries the counts {@code kubectl rollout status}
 * reads.
 */
public final class DaemonSetController implements ControllerLoop {
  /** The oldest daemon pod first (podByCreationTimestampAndPhase, by creation). */
  private static final Comparator<Pod> OLDEST_FIRST = Comparator
      .comparing((Pod pod) -> pod.metadata().creationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(pod -> pod.metadata().name());

  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<DaemonSet> daemonSets;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final WorkQueue queue;
  private final Expectations expectations;
  private final ControllerRefManager<Pod> claims;
  private final ControllerHistory history;

  public DaemonSetController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.daemonSets = informers.informer(Kinds.DAEMON_SETS);
    this.pods = informers.informer(Kinds.PODS);
    this.nodes = informers.informer(Kinds.NODES);
    this.expectations = new Expectations(clock);
    this.claims = new ControllerRefManager<>(client, ResourceTypes.DAEMON_SETS, Kinds.PODS, Pod::metadata);
    this.history = new ControllerHistory(client, informers, ResourceTypes.DAEMON_SETS);
    daemonSets.addHandler(Handlers.enqueueing(daemonSet -> queue.add(Keys.of(daemonSet.metadata()))));
    pods.addHandler(Handlers.enqueueing(pod -> enqueueOwners(pod.metadata())));
    history.informer().addHandler(Handlers.enqueueing(revision -> enqueueOwners(revision.metadata())));
    nodes.addHandler(Handlers.enqueueing(node -> daemonSets.list()
        .forEach(daemonSet -> queue.add(Keys.of(daemonSet.metadata())))));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(daemonSets, pods, nodes, history.informer());
  }

  private void enqueueOwners(ObjectMeta child) {
    Workloads.enqueueOwners(queue, ResourceTypes.DAEMON_SETS, child, daemonSets::list, DaemonSet::metadata,
        daemonSet -> daemonSet.spec().selector());
  }

  /** syncDaemonSet; returns when to look again (ms, 0 for not). */
  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    DaemonSet cached = daemonSets.get(namespace, Keys.name(key)).orElse(null);
    if (cached == null) {
      expectations.forget(key);
      return 0;
    }
    // the template is needed whole (revision data, pods); the live object is as new as the record or newer
    ObjectNode object = client.find(ResourceTypes.DAEMON_SETS, namespace, Keys.name(key)).orElse(null);
    if (object == null || !cached.metadata().uid().equals(Meta.uid(object))) {
      return 0;
    }
    DaemonSet daemonSet = DaemonSet.from(object);
    ObjectMeta meta = daemonSet.metadata();
    Selector selector = Workloads.selector(daemonSet.spec().selector());
    if (Workloads.selectsAll(daemonSet.spec().selector())) {
      events.warning(reference(meta), "SelectingAll", "This daemon set is selecting all pods. A non-empty selector "
          + "is required.");
      return 0;
    }
    JsonNode template = Json.at(object, "spec", "template");
    List<ControllerRevision> revisions = history.claim(meta, selector);
    ControllerHistory.Snapshot snapshot = meta.isDeleting() ? null : history.snapshot(meta,
        daemonSet.spec().template().metadata().labels(), ControllerHistory.patch(template), revisions,
        daemonSet.status().collisionCount());
    String hash = snapshot == null ? null : ControllerHistory.hashOf(snapshot.revision());
    List<Pod> namespacePods = pods.list(namespace);
    boolean needsSync = expectations.satisfied(key, name -> pods.get(namespace, name).isPresent(),
        namespacePods.stream().map(Pod::metadata).toList());
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Pod pod : claims.claim(meta, selector, namespacePods)) {
      byNode.computeIfAbsent(DaemonPods.targetNode(pod), node -> new ArrayList<>()).add(pod);
    }
    byNode.values().forEach(list -> list.sort(OLDEST_FIRST));
    List<Node> allNodes = nodes.list();
    if (needsSync && snapshot != null) {
      Sync sync = new Sync(key, daemonSet, template, hash);
      manage(sync, allNodes, byNode);
      if (!sync.changed() && DaemonSetUpdateStrategy.ROLLING_UPDATE.equals(strategy(daemonSet))) {
        rollingUpdate(sync, allNodes, byNode);
      }
      sync.finish();
      Set<String> live = new HashSet<>();
      live.add(hash);
      byNode.values().forEach(list -> list.forEach(pod -> {
        String podHash = pod.metadata().labels().get(ControllerHistory.HASH_LABEL);
        if (podHash != null) {
          live.add(podHash);
        }
      }));
      List<ControllerRevision> current = history.claim(meta, selector);
      history.truncate(current, revision -> live.contains(ControllerHistory.hashOf(revision)),
          daemonSet.spec().revisionHistoryLimit() == null ? 10 : daemonSet.spec().revisionHistoryLimit());
    }
    return updateStatus(daemonSet, allNodes, byNode, hash, snapshot);
  }

  private static String strategy(DaemonSet daemonSet) {
    DaemonSetUpdateStrategy strategy = daemonSet.spec().updateStrategy();
    return strategy == null || strategy.type().isEmpty() ? DaemonSetUpdateStrategy.ROLLING_UPDATE : strategy.type();
  }

  /** The creates and deletes of one sync (syncNodes), recorded as expectations at the end. */
  private final class Sync {
    final String key;
    final DaemonSet daemonSet;
    final JsonNode template;
    final String hash;
    final List<String> created = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    ApiException failure;

    Sync(String key, DaemonSet daemonSet, JsonNode template, String hash) {
      this.key = key;
      this.daemonSet = daemonSet;
      this.template = template;
      this.hash = hash;
    }

    boolean changed() {
      return !created.isEmpty() || !deleted.isEmpty();
    }

    void create(String nodeName) {
      ObjectMeta meta = daemonSet.metadata();
      ObjectNode pod = Json.object();
      ObjectNode metadata = pod.putObject("metadata");
      metadata.put("generateName", meta.name() + "-");
      metadata.put("namespace", meta.namespace());
      Workloads.copyTemplateMetadata(template, metadata);
      Json.with(metadata, "labels").put(ControllerHistory.HASH_LABEL, hash);
      metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(ResourceTypes.DAEMON_SETS, meta));
      pod.set("spec", DaemonPods.spec(Json.at(template, "spec"), daemonSet.spec().template().spec(), nodeName));
      try {
        ObjectNode written = client.create(ResourceTypes.PODS, meta.namespace(), pod);
        created.add(Meta.name(written));
        events.normal(reference(meta), "SuccessfulCreate", "Created pod: " + Meta.name(written));
      } catch (ApiException e) {
        failure = e;
        events.warning(reference(meta), "FailedCreate", "Error creating: " + e.getMessage());
      }
    }

    void delete(Pod pod) {
      ObjectMeta meta = daemonSet.metadata();
      try {
        client.delete(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(),
            DeleteOptions.DEFAULT.withPreconditionUid(pod.metadata().uid()));
        deleted.add(pod.metadata().uid());
        events.normal(reference(meta), "SuccessfulDelete", "Deleted pod: " + pod.metadata().name());
      } catch (ApiException e) {
        if (e.code() != 404) {
          failure = e;
          events.warning(reference(meta), "FailedDelete", "Error deleting: " + e.getMessage());
        }
      }
    }

    void finish() {
      expectations.expect(key, created, deleted);
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** manage / podsShouldBeOnNode: a pod on each node that should run one, none elsewhere, failed ones replaced. */
  private void manage(Sync sync, List<Node> allNodes, Map<String, List<Pod>> byNode) {
    boolean surge = surge(sync.daemonSet, 1) > 0;
    for (Node node : allNodes) {
      DaemonPods.Placement placement = DaemonPods.placement(sync.daemonSet.spec().template().spec(), node);
      List<Pod> onNode = byNode.getOrDefault(node.metadata().name(), List.of());
      List<Pod> running = new ArrayList<>();
      for (Pod pod : onNode) {
        if (pod.metadata().isDeleting()) {
          continue;
        }
        if (Pod.FAILED.equals(pod.status().phase()) && placement.shouldRun()) {
          sync.delete(pod);
        } else {
          running.add(pod);
        }
      }
      if (!placement.shouldContinueRunning()) {
        running.forEach(sync::delete);
      } else if (placement.shouldRun() && onNode.isEmpty()) {
        sync.create(node.metadata().name());
      } else if (placement.shouldRun() && running.size() > 1) {
        excess(sync, running, surge).forEach(sync::delete);
      }
    }
  }

  /**
   * The pods beyond one on a node: all but the oldest; with surge, an updated pod and the oldest old pod both stay
   * while the updated one is not ready yet and the old one is.
   */
  private List<Pod> excess(Sync sync, List<Pod> running, boolean surge) {
    if (!surge) {
      return running.subList(1, running.size());
    }
    Pod oldestUpdated = running.stream().filter(pod -> updated(pod, sync.hash)).findFirst().orElse(null);
    Pod oldestOld = running.stream().filter(pod -> !updated(pod, sync.hash)).findFirst().orElse(null);
    List<Pod> keep = new ArrayList<>();
    if (oldestUpdated == null) {
      keep.add(oldestOld);
    } else {
      keep.add(oldestUpdated);
      if (oldestOld != null && !oldestUpdated.isReady() && oldestOld.isReady()) {
        keep.add(oldestOld);
      }
    }
    return running.stream().filter(pod -> !keep.contains(pod)).toList();
  }

  private static boolean updated(Pod pod, String hash) {
    return hash.equals(pod.metadata().labels().get(ControllerHistory.HASH_LABEL));
  }

  private static int surge(DaemonSet daemonSet, int desired) {
    DaemonSetUpdateStrategy strategy = daemonSet.spec().updateStrategy();
    IntOrString value = strategy == null ? null : strategy.maxSurge();
    return value == null ? 0 : value.scaledValue(desired, true);
  }

  /** The new and old pod on a node, or null when there are more than one of either (the manage loop cleans up). */
  private record OnNode(Pod updated, Pod old) {}

  private static OnNode onNode(List<Pod> pods, String hash) {
    Pod updated = null;
    Pod old = null;
    for (Pod pod : pods) {
      if (pod.metadata().isDeleting()) {
        continue;
      }
      if (updated(pod, hash)) {
        if (updated != null) {
          return null;
        }
        updated = pod;
      } else {
        if (old != null) {
          return null;
        }
        old = pod;
      }
    }
    return new OnNode(updated, old);
  }

  /** rollingUpdate: old pods replaced within maxUnavailable, or new pods surged within maxSurge. */
  private void rollingUpdate(Sync sync, List<Node> allNodes, Map<String, List<Pod>> byNode) {
    DaemonSet daemonSet = sync.daemonSet;
    Instant now = clock.instant();
    int minReady = daemonSet.spec().minReadySeconds();
    int desired = 0;
    for (Node node : allNodes) {
      if (DaemonPods.placement(daemonSet.spec().template().spec(), node).shouldRun()) {
        desired++;
      }
    }
    int maxSurge = surge(daemonSet, desired);
    DaemonSetUpdateStrategy strategy = daemonSet.spec().updateStrategy();
    IntOrString unavailableValue = strategy == null ? null : strategy.maxUnavailable();
    int maxUnavailable = unavailableValue == null ? (maxSurge == 0 ? 1 : 0)
        : unavailableValue.scaledValue(desired, true);
    if (maxSurge == 0 && maxUnavailable == 0) {
      maxUnavailable = 1;
    }
    List<String> nodeNames = new ArrayList<>(byNode.keySet());
    nodeNames.sort(Comparator.naturalOrder());
    if (maxSurge == 0) {
      int unavailable = 0;
      List<Pod> replace = new ArrayList<>();
      List<Pod> candidates = new ArrayList<>();
      for (String nodeName : nodeNames) {
        OnNode pods = onNode(byNode.get(nodeName), sync.hash);
        if (pods == null || (pods.updated() == null) == (pods.old() == null)) {
          unavailable++;
        } else if (pods.updated() != null) {
          if (!Pods.available(pods.updated(), minReady, now)) {
            unavailable++;
          }
        } else if (!Pods.available(pods.old(), minReady, now)) {
          replace.add(pods.old());
        } else if (unavailable < maxUnavailable) {
          candidates.add(pods.old());
        }
      }
      int remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.size());
      replace.addAll(candidates.subList(0, remaining));
      replace.forEach(sync::delete);
      return;
    }
    int surging = 0;
    List<String> allowed = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (String nodeName : nodeNames) {
      OnNode pods = onNode(byNode.get(nodeName), sync.hash);
      if (pods == null) {
        surging++;
      } else if (pods.old() == null) {
        continue;
      } else if (pods.updated() == null) {
        if (!Pods.available(pods.old(), minReady, now)) {
          allowed.add(nodeName);
        } else if (surging < maxSurge) {
          candidates.add(nodeName);
        }
      } else if (!Pods.available(pods.updated(), minReady, now)) {
        surging++;
      } else {
        sync.delete(pods.old());
      }
    }
    int remaining = Math.min(Math.max(0, maxSurge - surging), candidates.size());
    allowed.addAll(candidates.subList(0, remaining));
    allowed.forEach(sync::create);
  }

  /** updateDaemonSetStatus: the counts per node, observedGeneration; requeues while pods wait to be available. */
  private long updateStatus(DaemonSet daemonSet, List<Node> allNodes, Map<String, List<Pod>> byNode, String hash,
      ControllerHistory.Snapshot snapshot) {
    Instant now = clock.instant();
    int minReady = daemonSet.spec().minReadySeconds();
    int desired = 0;
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (Node node : allNodes) {
      DaemonPods.Placement placement = DaemonPods.placement(daemonSet.spec().template().spec(), node);
      List<Pod> onNode = byNode.getOrDefault(node.metadata().name(), List.of());
      if (placement.shouldRun()) {
        desired++;
      }
      if (onNode.isEmpty()) {
        continue;
      }
      if (!placement.shouldRun()) {
        misscheduled++;
        continue;
      }
      current++;
      Pod pod = onNode.get(0);
      if (pod.isReady()) {
        ready++;
        if (Pods.available(pod, minReady, now)) {
          available++;
        }
      }
      if (hash != null && updated(pod, hash)) {
        updated++;
      }
    }
    ObjectMeta meta = daemonSet.metadata();
    long generation = meta.generation();
    int[] counts = {desired, current, misscheduled, ready, available, updated};
    Integer collisionCount = snapshot == null ? daemonSet.status().collisionCount() : snapshot.collisionCount();
    Workloads.writeStatus(client, ResourceTypes.DAEMON_SETS, meta, status -> {
      status.put("desiredNumberScheduled", counts[0]);
      status.put("currentNumberScheduled", counts[1]);
      status.put("numberMisscheduled", counts[2]);
      status.put("numberReady", counts[3]);
      Workloads.putOrRemove(status, "numberAvailable", counts[4]);
      Workloads.putOrRemove(status, "updatedNumberScheduled", counts[5]);
      Workloads.putOrRemove(status, "numberUnavailable", counts[0] - counts[4]);
      status.put("observedGeneration", generation);
      if (collisionCount != null) {
        status.put("collisionCount", collisionCount);
      }
    });
    return minReady > 0 && ready > available ? minReady * 1000L : 0;
  }

  private static ObjectReference reference(ObjectMeta owner) {
    return ObjectReference.to(ResourceTypes.DAEMON_SETS.apiVersion(), ResourceTypes.DAEMON_SETS.kind(), owner);
  }
}
