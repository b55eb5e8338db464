package io.minicluster.controller.replication;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.ReplicationController;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.expectations.Expectations;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.podstate.Pods;
import io.minicluster.controller.podtemplate.PodTemplates;
import io.minicluster.controller.podtemplate.SlowStart;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ReplicaSet controller (pkg/controller/replicaset), serving apps/v1 ReplicaSets or, as the replication manager
 * does with the same code, v1 ReplicationControllers. It adopts matching orphan pods and releases owned pods that
 * stopped matching, creates pods from {@code spec.template} (named {@code <owner>-xxxxx}) or deletes the least
 * valuable ones to reach {@code spec.replicas}, and writes status (replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas, observedGeneration, the ReplicaFailure condition).
 */
public final class ReplicaSetController implements ControllerLoop {
  /** The most pods created or deleted in one sync (upstream BurstReplicas). */
  static final int BURST_REPLICAS = 500;

  /**
   * What the controller reads of a ReplicaSet or a ReplicationController.
   *
   * @param replicas spec.replicas, 1 when unset
   * @param selector what the owner selects ({@link Selector#nothing()} for none or an invalid one)
   */
  record Owner(ObjectMeta metadata, int replicas, int minReadySeconds, Selector selector,
      Map<String, String> templateLabels) {}

  private final ResourceType ownerType;
  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<?> ownerInformer;
  /** The cached owners of a namespace, as {@link Owner}s. */
  private final Function<String, List<Owner>> ownersIn;
  /** The cached owner of a key, as an {@link Owner}. */
  private final Function<String, Optional<Owner>> ownerOf;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final Expectations expectations;
  private final ControllerRefManager<Pod> claims;

  private <T> ReplicaSetController(ResourceType ownerType, Kind<T> ownerKind, Function<T, Owner> owner, Client client,
      SharedInformers informers, WorkQueue queue, EventRecorder events, Clock clock) {
    this.ownerType = requireNonNull(ownerType, "ownerType is null");
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.queue = requireNonNull(queue, "queue is null");
    Informer<T> owners = informers.informer(ownerKind);
    this.ownerInformer = owners;
    this.ownersIn = namespace -> owners.list(namespace).stream().map(owner).toList();
    this.ownerOf = key -> owners.get(Keys.namespace(key), Keys.name(key)).map(owner);
    this.pods = informers.informer(Kinds.PODS);
    this.expectations = new Expectations(clock);
    this.claims = new ControllerRefManager<>(client, ownerType, Kinds.PODS, Pod::metadata);
    owners.addHandler(Handlers.enqueueing(object -> queue.add(Keys.of(owner.apply(object).metadata()))));
    pods.addHandler(Handlers.enqueueing(this::enqueueOwnersOf));
  }

  private static Owner owner(ReplicaSet replicaSet) {
    Selector selector;
    try {
      selector = replicaSet.spec().selector() == null ? Selector.nothing()
          : replicaSet.spec().selector().toSelector();
    } catch (IllegalArgumentException e) {
      selector = Selector.nothing();
    }
    return new Owner(replicaSet.metadata(), replicas(replicaSet.spec().replicas()),
        replicaSet.spec().minReadySeconds(), selector, replicaSet.spec().template().metadata().labels());
  }

  /** A ReplicationController's selector is a label map; an empty one selects nothing. */
  private static Owner owner(ReplicationController controller) {
    Map<String, String> labels = controller.spec().selector();
    Selector selector = labels.isEmpty() ? Selector.nothing() : Selector.fromMap(labels);
    Map<String, String> templateLabels = controller.spec().template() == null ? Map.of()
        : controller.spec().template().metadata().labels();
    return new Owner(controller.metadata(), replicas(controller.spec().replicas()),
        controller.spec().minReadySeconds(), selector, templateLabels);
  }

  private static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  public static ReplicaSetController forReplicaSets(Client client, SharedInformers informers, WorkQueue queue,
      EventRecorder events, Clock clock) {
    return new ReplicaSetController(ResourceTypes.REPLICA_SETS, Kinds.REPLICA_SETS, ReplicaSetController::owner,
        client, informers, queue, events, clock);
  }

  public static ReplicaSetController forReplicationControllers(Client client, SharedInformers informers,
      WorkQueue queue, EventRecorder events, Clock clock) {
    return new ReplicaSetController(ResourceTypes.REPLICATION_CONTROLLERS, Kinds.REPLICATION_CONTROLLERS,
        ReplicaSetController::owner, client, informers, queue, events, clock);
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(ownerInformer, pods);
  }

  /** A pod's controller if it is one of ours, else every owner whose selector matches it (adoption candidates). */
  private void enqueueOwnersOf(Pod pod) {
    String namespace = pod.metadata().namespace();
    Optional<OwnerReference> reference = pod.metadata().controllerRef();
    if (reference.isPresent()) {
      if (ownerType.kind().equals(reference.get().kind())
          && ownerType.apiVersion().equals(reference.get().apiVersion())) {
        queue.add(Keys.of(namespace, reference.get().name()));
      }
      return;
    }
    for (Owner owner : ownersIn.apply(namespace)) {
      if (owner.selector().matches(pod.metadata().labels())) {
        queue.add(Keys.of(owner.metadata()));
      }
    }
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    Owner owner = ownerOf.apply(key).orElse(null);
    if (owner == null) {
      expectations.forget(key);
      return 0;
    }
    List<Pod> namespacePods = pods.list(namespace);
    boolean needsSync = expectations.satisfied(key, podName -> pods.get(namespace, podName).isPresent(),
        namespacePods.stream().map(Pod::metadata).toList());
    List<Pod> claimed = claims.claim(owner.metadata(), owner.selector(), namespacePods);
    List<Pod> active = claimed.stream().filter(Pods::active).toList();
    ApiException failure = null;
    if (needsSync && !owner.metadata().isDeleting()) {
      failure = manageReplicas(key, owner, active);
    }
    long again = updateStatus(owner, active, failure == null ? null : failure.getMessage());
    if (failure != null) {
      // retried with back-off, as upstream requeues on manageReplicas errors
      throw failure;
    }
    return again;
  }

  /** Creates or deletes pods to reach spec.replicas; returns the failure for the ReplicaFailure condition. */
  private ApiException manageReplicas(String key, Owner owner, List<Pod> active) {
    ObjectMeta meta = owner.metadata();
    int diff = active.size() - owner.replicas();
    if (diff < 0) {
      // the one tree read: the template is copied whole into each new pod
      ObjectNode template = template(meta);
      if (template == null) {
        return null;
      }
      SlowStart.Result result = SlowStart.createPods(client, events, eventReference(meta), meta.namespace(),
          Math.min(-diff, BURST_REPLICAS),
          i -> PodTemplates.podFromTemplate(ownerType, meta, template, meta.name() + "-"));
      expectations.expect(key, result.created(), List.of());
      return result.failure();
    }
    if (diff > 0) {
      int count = Math.min(diff, BURST_REPLICAS);
      List<Pod> ordered = new ArrayList<>(active);
      ordered.sort(Pods.DELETION_ORDER);
      List<String> deleted = new ArrayList<>();
      ApiException failure = null;
      for (Pod pod : ordered.subList(0, count)) {
        ObjectMeta podMeta = pod.metadata();
        try {
          client.delete(ResourceTypes.PODS, podMeta.namespace(), podMeta.name(),
              DeleteOptions.DEFAULT.withPreconditionUid(podMeta.uid()));
          deleted.add(podMeta.uid());
          events.normal(eventReference(meta), "SuccessfulDelete", "Deleted pod: " + podMeta.name());
        } catch (ApiException e) {
          if (e.code() != 404) {
            failure = e;
            events.warning(eventReference(meta), "FailedDelete", "Error deleting: " + e.getMessage());
          }
        }
      }
      expectations.expect(key, List.of(), deleted);
      return failure;
    }
    return null;
  }

  /**
   * The owner's spec.template as stored, read live: the pods are copies of it, every field included (the records
   * model only what controllers read). Null when the owner is gone or was replaced.
   */
  private ObjectNode template(ObjectMeta owner) {
    ObjectNode object = client.find(ownerType, owner.namespace(), owner.name()).orElse(null);
    if (object == null || !owner.uid().equals(Meta.uid(object))) {
      return null;
    }
    return Json.at(object, "spec", "template") instanceof ObjectNode node ? node : Json.object();
  }

  /** The owner as events name it (involvedObject). */
  private ObjectReference eventReference(ObjectMeta owner) {
    return ObjectReference.to(ownerType.apiVersion(), ownerType.kind(), owner);
  }

  private long updateStatus(Owner owner, List<Pod> active, String failure) {
    Instant now = clock.instant();
    long minReadySeconds = owner.minReadySeconds();
    Map<String, String> templateLabels = owner.templateLabels();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod pod : active) {
      Map<String, String> labels = pod.metadata().labels();
      if (templateLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
        fullyLabeled++;
      }
      if (pod.isReady()) {
        ready++;
        if (Pods.available(pod, minReadySeconds, now)) {
          available++;
        }
      }
    }
    long generation = owner.metadata().generation();
    int replicas = active.size();
    int fullyLabeledReplicas = fullyLabeled;
    int readyReplicas = ready;
    int availableReplicas = available;
    String ownerUid = owner.metadata().uid();
    try {
      client.modifyStatus(ownerType, owner.metadata().namespace(), owner.metadata().name(), current -> {
        if (!ownerUid.equals(Meta.uid(current))) {
          return null;
        }
        ObjectNode before = current.has("status") ? current.get("status").deepCopy() : Json.object();
        ObjectNode status = Json.with(current, "status");
        status.put("replicas", replicas);
        putOrRemove(status, "fullyLabeledReplicas", fullyLabeledReplicas);
        putOrRemove(status, "readyReplicas", readyReplicas);
        putOrRemove(status, "availableReplicas", availableReplicas);
        putOrRemove(status, "observedGeneration", generation);
        setFailureCondition(status, failure, now);
        return status.equals(before) ? null : current;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    if (minReadySeconds > 0 && readyReplicas > availableReplicas) {
      return minReadySeconds * 1000;
    }
    return 0;
  }

  private static void putOrRemove(ObjectNode status, String field, long value) {
    if (value == 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  /** ReplicaFailure: True with reason FailedCreate while creating or deleting fails; removed once it works. */
  private static void setFailureCondition(ObjectNode status, String failure, Instant now) {
    if (failure == null) {
      if (Conditions.get(status, "ReplicaFailure") != null) {
        Conditions.remove(status, "ReplicaFailure");
      }
      return;
    }
    ObjectNode condition = Json.object();
    condition.put("type", "ReplicaFailure");
    condition.put("status", "True");
    condition.put("lastTransitionTime", Meta.timestamp(now));
    condition.put("reason", "FailedCreate");
    condition.put("message", failure);
    Conditions.set(status, condition);
  }
}
