package io.minicluster.controller.statefulset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.ControllerRevision;
import io.minicluster.api.apps.StatefulSet;
import io.minicluster.api.apps.StatefulSetSpec;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.DeleteOptions;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The StatefulSet controller (pkg/controller/statefulset): pods {@code <set>-<ordinal>} with stable identity
 * ({@link StatefulPods}), their claims from volumeClaimTemplates created first and kept when pods go (owned by the
 * set for whenDeleted=Delete, by the pod being scaled away for whenScaled=Delete, so the garbage collector deletes
 * them). OrderedReady creates one pod at a time in ordinal order, each waiting for its predecessor to be running and
 * available, and deletes in reverse; Parallel does all at once. The template is snapshotted as
 * {@link ControllerHistory revisions}; pods below the partition keep the current revision, the others are updated
 * one at a time from the highest ordinal (RollingUpdate), or only when deleted (OnDelete). Status carries the counts
 * and revisions {@code kubectl rollout status} reads.
 */
public final class StatefulSetController implements ControllerLoop {
  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<StatefulSet> sets;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final ControllerRefManager<Pod> claims;
  private final ControllerHistory history;

  public StatefulSetController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.sets = informers.informer(Kinds.STATEFUL_SETS);
    this.pods = informers.informer(Kinds.PODS);
    this.claims = new ControllerRefManager<>(client, ResourceTypes.STATEFUL_SETS, Kinds.PODS, Pod::metadata);
    this.history = new ControllerHistory(client, informers, ResourceTypes.STATEFUL_SETS);
    sets.addHandler(Handlers.enqueueing(set -> queue.add(Keys.of(set.metadata()))));
    pods.addHandler(Handlers.enqueueing(pod -> enqueueOwners(pod.metadata())));
    history.informer().addHandler(Handlers.enqueueing(revision -> enqueueOwners(revision.metadata())));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(sets, pods, history.informer());
  }

  private void enqueueOwners(ObjectMeta child) {
    Workloads.enqueueOwners(queue, ResourceTypes.STATEFUL_SETS, child, sets::list, StatefulSet::metadata,
        set -> set.spec().selector());
  }

  /** The revisions of one sync: the current one (status.currentRevision) and the one of the template now. */
  private record Revisions(ControllerRevision current, JsonNode currentTemplate, ControllerRevision update,
      JsonNode updateTemplate, Integer collisionCount) {}

  /** syncStatefulSet; returns when to look again (ms, 0 for not). */
  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    StatefulSet cached = sets.get(namespace, Keys.name(key)).orElse(null);
    if (cached == null) {
      return 0;
    }
    ObjectNode object = client.find(ResourceTypes.STATEFUL_SETS, namespace, Keys.name(key)).orElse(null);
    if (object == null || !cached.metadata().uid().equals(Meta.uid(object))) {
      return 0;
    }
    StatefulSet set = StatefulSet.from(object);
    ObjectMeta meta = set.metadata();
    Selector selector = Workloads.selector(set.spec().selector());
    if (Workloads.selectsAll(set.spec().selector())) {
      return 0;
    }
    List<ControllerRevision> owned = history.claim(meta, selector);
    JsonNode template = Json.at(object, "spec", "template");
    ControllerHistory.Snapshot snapshot = history.snapshot(meta, set.spec().template().metadata().labels(),
        ControllerHistory.patch(template), owned, set.status().collisionCount());
    ControllerRevision update = snapshot.revision();
    ControllerRevision current = owned.stream()
        .filter(revision -> revision.metadata().name().equals(set.status().currentRevision()))
        .findFirst().orElse(update);
    JsonNode currentTemplate = current.metadata().name().equals(update.metadata().name()) ? template
        : ControllerHistory.template(current);
    Revisions revisions = new Revisions(current, currentTemplate, update, template, snapshot.collisionCount());
    List<Pod> members = claims.claim(meta, selector, pods.list(namespace)).stream()
        .filter(pod -> StatefulPods.ordinal(meta.name(), pod.metadata().name()) >= 0)
        .sorted(Comparator.comparingInt(pod -> StatefulPods.ordinal(meta.name(), pod.metadata().name())))
        .toList();
    ApiException failure = null;
    if (!meta.isDeleting()) {
      try {
        new Update(set, Json.elements(object.get("spec"), "volumeClaimTemplates"), revisions, members).run();
      } catch (ApiException e) {
        failure = e;
      }
      Set<String> live = new HashSet<>();
      live.add(current.metadata().name());
      live.add(update.metadata().name());
      members.forEach(pod -> live.add(StatefulPods.revision(pod)));
      history.truncate(history.claim(meta, selector), revision -> live.contains(revision.metadata().name()),
          set.spec().revisionHistoryLimit() == null ? 10 : set.spec().revisionHistoryLimit());
    }
    long again = updateStatus(set, revisions, members);
    if (failure != null) {
      throw failure;
    }
    return again;
  }

  /** One pass of updateStatefulSet over the pods as cached; stops at the first step OrderedReady must wait on. */
  private final class Update {
    private final StatefulSet set;
    /** spec.volumeClaimTemplates as stored: the claims carry them whole. */
    private final List<JsonNode> claimTemplates;
    private final Revisions revisions;
    private final Pod[] replicas;
    private final List<Pod> condemned = new ArrayList<>();
    private final int start;
    private final boolean monotonic;
    private final Instant now = clock.instant();

    Update(StatefulSet set, List<JsonNode> claimTemplates, Revisions revisions, List<Pod> members) {
      this.set = set;
      this.claimTemplates = claimTemplates;
      this.revisions = revisions;
      this.start = set.spec().ordinalsStart() == null ? 0 : set.spec().ordinalsStart();
      this.replicas = new Pod[replicas(set)];
      this.monotonic = !StatefulSetSpec.PARALLEL.equals(set.spec().podManagementPolicy());
      for (Pod pod : members) {
        int index = StatefulPods.ordinal(set.metadata().name(), pod.metadata().name()) - start;
        if (index >= 0 && index < replicas.length) {
          replicas[index] = pod;
        } else {
          condemned.add(0, pod); // members come in ordinal order: highest first here
        }
      }
    }

    private boolean healthy(Pod pod) {
      return Pod.RUNNING.equals(pod.status().phase()) && Pods.available(pod, set.spec().minReadySeconds(), now);
    }

    void run() {
      Pod firstUnhealthy = null;
      for (int index = 0; index < replicas.length; index++) {
        int ordinal = start + index;
        Pod pod = replicas[index];
        if (pod == null) {
          boolean fromCurrent = rollingUpdate() && index < partition();
          createClaims(ordinal);
          createPod(ordinal, fromCurrent);
          if (monotonic) {
            return;
          }
          continue;
        }
        if (pod.isTerminal() && !pod.metadata().isDeleting()) {
          // a failed or completed pod is recreated
          deletePod(pod);
          if (monotonic) {
            return;
          }
          continue;
        }
        if (!healthy(pod) && firstUnhealthy == null) {
          firstUnhealthy = pod;
        }
        if (pod.metadata().isDeleting() && monotonic) {
          return;
        }
        if (!healthy(pod) && monotonic) {
          return;
        }
        createClaims(ordinal);
      }
      for (Pod pod : condemned) {
        if (!healthy(pod) && firstUnhealthy == null) {
          firstUnhealthy = pod;
        }
      }
      for (Pod pod : condemned) {
        if (pod.metadata().isDeleting()) {
          if (monotonic) {
            return;
          }
          continue;
        }
        if (monotonic && !healthy(pod) && pod != firstUnhealthy) {
          return;
        }
        releaseClaimsOnScaleDown(pod);
        deletePod(pod);
        if (monotonic) {
          return;
        }
      }
      if (!rollingUpdate()) {
        return;
      }
      String updateName = revisions.update().metadata().name();
      for (int index = replicas.length - 1; index >= partition(); index--) {
        Pod pod = replicas[index];
        if (!updateName.equals(StatefulPods.revision(pod)) && !pod.metadata().isDeleting()) {
          deletePod(pod);
          return;
        }
        if (!healthy(pod)) {
          return;
        }
      }
    }

    private boolean rollingUpdate() {
      String type = set.spec().updateStrategyType();
      return type.isEmpty() || StatefulSetSpec.ROLLING_UPDATE.equals(type);
    }

    private int partition() {
      return set.spec().partition() == null ? 0 : Math.max(0, set.spec().partition());
    }

    /** createPersistentVolumeClaims: each missing claim of the ordinal; a claim being deleted blocks the pod. */
    private void createClaims(int ordinal) {
      for (JsonNode template : claimTemplates) {
        ObjectNode claim = StatefulPods.claim(set, template, ordinal);
        String name = Meta.name(claim);
        Optional<ObjectNode> existing = client.find(ResourceTypes.PERSISTENT_VOLUME_CLAIMS,
            set.metadata().namespace(), name);
        if (existing.isPresent()) {
          if (Meta.deleting(existing.get())) {
            throw ApiException.conflict(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, name,
                "pvc " + name + " is being deleted");
          }
          continue;
        }
        try {
          client.create(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, set.metadata().namespace(), claim);
          events.normal(reference(set.metadata()), "SuccessfulCreate", "create Claim " + name + " Pod "
              + StatefulPods.podName(set.metadata().name(), ordinal) + " in StatefulSet " + set.metadata().name()
              + " success");
        } catch (ApiException e) {
          if (e.code() != 409) {
            events.warning(reference(set.metadata()), "FailedCreate", "create Claim " + name + " for Pod "
                + StatefulPods.podName(set.metadata().name(), ordinal) + " in StatefulSet "
                + set.metadata().name() + " failed error: " + e.getMessage());
            throw e;
          }
        }
      }
    }

    /** whenScaled=Delete: the claims of a pod scaled away get the pod as owner, so they go with it. */
    private void releaseClaimsOnScaleDown(Pod pod) {
      if (!"Delete".equals(set.spec().whenScaled())) {
        return;
      }
      int ordinal = StatefulPods.ordinal(set.metadata().name(), pod.metadata().name());
      for (String template : StatefulPods.claimTemplates(set)) {
        String name = StatefulPods.claimName(template, set.metadata().name(), ordinal);
        try {
          client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, set.metadata().namespace(), name, claim -> {
            if (OwnerReferences.ownedBy(claim, pod.metadata().uid())) {
              return null;
            }
            OwnerReferences.add(claim, StatefulPods.ownerReference(ResourceTypes.PODS.apiVersion(),
                ResourceTypes.PODS.kind(), pod.metadata()));
            return claim;
          });
        } catch (ApiException e) {
          if (e.code() != 404) {
            throw e;
          }
        }
      }
    }

    private void createPod(int ordinal, boolean fromCurrent) {
      JsonNode template = fromCurrent ? revisions.currentTemplate() : revisions.updateTemplate();
      String revision = (fromCurrent ? revisions.current() : revisions.update()).metadata().name();
      ObjectNode pod = StatefulPods.pod(set, template, revision, ordinal);
      String name = Meta.name(pod);
      try {
        client.create(ResourceTypes.PODS, set.metadata().namespace(), pod);
        events.normal(reference(set.metadata()), "SuccessfulCreate", "create Pod " + name + " in StatefulSet "
            + set.metadata().name() + " successful");
      } catch (ApiException e) {
        if (e.code() == 409) {
          return; // the cache is behind: the pod exists
        }
        events.warning(reference(set.metadata()), "FailedCreate", "create Pod " + name + " in StatefulSet "
            + set.metadata().name() + " failed error: " + e.getMessage());
        throw e;
      }
    }

    private void deletePod(Pod pod) {
      try {
        client.delete(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(),
            DeleteOptions.DEFAULT.withPreconditionUid(pod.metadata().uid()));
        events.normal(reference(set.metadata()), "SuccessfulDelete", "delete Pod " + pod.metadata().name()
            + " in StatefulSet " + set.metadata().name() + " successful");
      } catch (ApiException e) {
        if (e.code() != 404 && e.code() != 409) {
          events.warning(reference(set.metadata()), "FailedDelete", "delete Pod " + pod.metadata().name()
              + " in StatefulSet " + set.metadata().name() + " failed error: " + e.getMessage());
          throw e;
        }
      }
    }
  }

  private static int replicas(StatefulSet set) {
    return set.spec().replicas() == null ? 1 : set.spec().replicas();
  }

  /** updateStatefulSetStatus from the pods as cached; a finished rolling update makes the update revision current. */
  private long updateStatus(StatefulSet set, Revisions revisions, List<Pod> members) {
    Instant now = clock.instant();
    int minReady = set.spec().minReadySeconds();
    String currentName = revisions.current().metadata().name();
    String updateName = revisions.update().metadata().name();
    int created = members.size();
    int ready = 0;
    int available = 0;
    int current = 0;
    int updated = 0;
    for (Pod pod : members) {
      if (Pod.RUNNING.equals(pod.status().phase()) && pod.isReady()) {
        ready++;
        if (Pods.available(pod, minReady, now)) {
          available++;
        }
      }
      if (!pod.metadata().isDeleting()) {
        String revision = StatefulPods.revision(pod);
        if (revision.equals(currentName)) {
          current++;
        }
        if (revision.equals(updateName)) {
          updated++;
        }
      }
    }
    String type = set.spec().updateStrategyType();
    boolean rolling = type.isEmpty() || StatefulSetSpec.ROLLING_UPDATE.equals(type);
    if (rolling && updated == created && ready == created) {
      current = updated;
      currentName = updateName;
    }
    ObjectMeta meta = set.metadata();
    int[] counts = {created, ready, available, current, updated};
    String currentRevision = currentName;
    Integer collisionCount = revisions.collisionCount();
    Workloads.writeStatus(client, ResourceTypes.STATEFUL_SETS, meta, status -> {
      status.put("observedGeneration", meta.generation());
      status.put("replicas", counts[0]);
      Workloads.putOrRemove(status, "readyReplicas", counts[1]);
      Workloads.putOrRemove(status, "availableReplicas", counts[2]);
      Workloads.putOrRemove(status, "currentReplicas", counts[3]);
      Workloads.putOrRemove(status, "updatedReplicas", counts[4]);
      status.put("currentRevision", currentRevision);
      status.put("updateRevision", updateName);
      status.put("collisionCount", collisionCount == null ? 0 : collisionCount);
    });
    return minReady > 0 && ready > available ? minReady * 1000L : 0;
  }

  private static ObjectReference reference(ObjectMeta owner) {
    return ObjectReference.to(ResourceTypes.STATEFUL_SETS.apiVersion(), ResourceTypes.STATEFUL_SETS.kind(), owner);
  }
}
