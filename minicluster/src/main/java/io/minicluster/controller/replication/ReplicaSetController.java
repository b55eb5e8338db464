package io.minicluster.controller.replication;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.labels.LabelSelector;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.expectations.Expectations;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.controller.podstate.Pods;
import io.minicluster.json.Json;
import io.minicluster.registry.DeleteOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  private final ResourceType ownerType;
  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<ObjectNode> owners;
  private final Informer<ObjectNode> pods;
  private final WorkQueue queue;
  private final Expectations expectations;
  private final ControllerRefManager claims;

  /** A controller for {@link ResourceTypes#REPLICA_SETS} or {@link ResourceTypes#REPLICATION_CONTROLLERS}. */
  public ReplicaSetController(ResourceType ownerType, Client client, SharedInformers informers, WorkQueue queue,
      EventRecorder events, Clock clock) {
    this.ownerType = requireNonNull(ownerType, "ownerType is null");
    if (ownerType != ResourceTypes.REPLICA_SETS && ownerType != ResourceTypes.REPLICATION_CONTROLLERS) {
      throw new IllegalArgumentException("not a replica set type: " + ownerType.kind());
    }
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.owners = informers.informer(Kind.tree(ownerType));
    this.pods = informers.informer(Kind.tree(ResourceTypes.PODS));
    this.queue = requireNonNull(queue, "queue is null");
    this.expectations = new Expectations(clock);
    this.claims = new ControllerRefManager(client, ownerType, ResourceTypes.PODS);
    owners.addHandler(Handlers.enqueueing(owner -> queue.add(Keys.of(owner))));
    pods.addHandler(Handlers.enqueueing(this::enqueueOwnersOf));
  }

  public static ReplicaSetController forReplicaSets(Client client, SharedInformers informers, WorkQueue queue,
      EventRecorder events, Clock clock) {
    return new ReplicaSetController(ResourceTypes.REPLICA_SETS, client, informers, queue, events, clock);
  }

  public static ReplicaSetController forReplicationControllers(Client client, SharedInformers informers,
      WorkQueue queue, EventRecorder events, Clock clock) {
    return new ReplicaSetController(ResourceTypes.REPLICATION_CONTROLLERS, client, informers, queue, events, clock);
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(owners, pods);
  }

  /** A pod's controller if it is one of ours, else every owner whose selector matches it (adoption candidates). */
  private void enqueueOwnersOf(ObjectNode pod) {
    String namespace = Meta.namespace(pod);
    Optional<ObjectNode> reference = OwnerReferences.controllerOf(pod);
    if (reference.isPresent()) {
      if (ownerType.kind().equals(reference.get().path("kind").asText())
          && ownerType.apiVersion().equals(reference.get().path("apiVersion").asText())) {
        queue.add(Keys.of(namespace, reference.get().path("name").asText()));
      }
      return;
    }
    for (ObjectNode owner : owners.list(o -> namespace.equals(Meta.namespace(o)))) {
      if (selector(owner).matchesObject(pod)) {
        queue.add(Keys.of(owner));
      }
    }
  }

  /** The owner's selector: a label map for ReplicationControllers, a metav1.LabelSelector for ReplicaSets. */
  LabelSelector selector(ObjectNode owner) {
    JsonNode selector = Json.at(owner, "spec", "selector");
    if (ownerType == ResourceTypes.REPLICATION_CONTROLLERS) {
      Map<String, String> labels = Meta.stringMap(selector);
      return labels.isEmpty() ? LabelSelector.nothing() : LabelSelector.fromMap(labels);
    }
    try {
      return LabelSelector.fromObject(selector);
    } catch (IllegalArgumentException e) {
      return LabelSelector.nothing();
    }
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    ObjectNode owner = owners.get(namespace, Keys.name(key)).orElse(null);
    if (owner == null) {
      expectations.forget(key);
      return 0;
    }
    List<ObjectNode> namespacePods = pods.list(pod -> namespace.equals(Meta.namespace(pod)));
    boolean needsSync = expectations.satisfied(key,
        podName -> pods.get(namespace, podName).orElse(null), namespacePods);
    List<ObjectNode> claimed = claims.claim(owner, selector(owner), namespacePods);
    List<ObjectNode> active = claimed.stream().filter(Pods::active).toList();
    ApiException failure = null;
    if (needsSync && !Meta.deleting(owner)) {
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
  private ApiException manageReplicas(String key, ObjectNode owner, List<ObjectNode> active) {
    int replicas = Json.at(owner, "spec", "replicas") == null ? 1 : Json.at(owner, "spec", "replicas").asInt();
    int diff = active.size() - replicas;
    if (diff < 0) {
      int count = Math.min(-diff, BURST_REPLICAS);
      List<String> created = new ArrayList<>();
      ApiException failure = null;
      // slow start: batches of 1, 2, 4, ... stopping at the first failure
      int batch = 1;
      int remaining = count;
      outer:
      while (remaining > 0) {
        int size = Math.min(batch, remaining);
        for (int i = 0; i < size; i++) {
          try {
            ObjectNode pod = client.create(ResourceTypes.PODS, Meta.namespace(owner), podFromTemplate(owner));
            created.add(Meta.name(pod));
            events.normal(owner, "SuccessfulCreate", "Created pod: " + Meta.name(pod));
          } catch (ApiException e) {
            failure = e;
            events.warning(owner, "FailedCreate", "Error creating: " + e.getMessage());
            break outer;
          }
        }
        remaining -= size;
        batch *= 2;
      }
      expectations.expect(key, created, List.of());
      return failure;
    }
    if (diff > 0) {
      int count = Math.min(diff, BURST_REPLICAS);
      List<ObjectNode> ordered = new ArrayList<>(active);
      ordered.sort(Pods.DELETION_ORDER);
      List<String> deleted = new ArrayList<>();
      ApiException failure = null;
      for (ObjectNode pod : ordered.subList(0, count)) {
        try {
          client.delete(ResourceTypes.PODS, Meta.namespace(pod), Meta.name(pod),
              DeleteOptions.DEFAULT.withPreconditionUid(Meta.uid(pod)));
          deleted.add(Meta.uid(pod));
          events.normal(owner, "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
        } catch (ApiException e) {
          if (e.code() != 404) {
            failure = e;
            events.warning(owner, "FailedDelete", "Error deleting: " + e.getMessage());
          }
        }
      }
      expectations.expect(key, List.of(), deleted);
      return failure;
    }
    return null;
  }

  /** controller.GetPodFromTemplate: labels, annotations, finalizers and spec of the template, a controller ref. */
  private static ObjectNode podFromTemplate(ObjectNode owner) {
    ObjectNode template = Json.at(owner, "spec", "template") instanceof ObjectNode node ? node : Json.object();
    ObjectNode pod = Json.object();
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("generateName", Meta.name(owner) + "-");
    metadata.put("namespace", Meta.namespace(owner));
    for (String field : List.of("labels", "annotations", "finalizers")) {
      JsonNode value = Json.at(template, "metadata", field);
      if (value != null && !value.isNull()) {
        metadata.set(field, value.deepCopy());
      }
    }
    metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(owner));
    JsonNode spec = template.get("spec");
    pod.set("spec", spec == null ? Json.object() : spec.deepCopy());
    return pod;
  }

  private long updateStatus(ObjectNode owner, List<ObjectNode> active, String failure) {
    Instant now = clock.instant();
    long minReadySeconds = Json.at(owner, "spec", "minReadySeconds") == null ? 0
        : Json.at(owner, "spec", "minReadySeconds").asLong();
    Map<String, String> templateLabels = Meta.stringMap(Json.at(owner, "spec", "template", "metadata", "labels"));
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (ObjectNode pod : active) {
      Map<String, String> labels = Meta.labels(pod);
      if (templateLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
        fullyLabeled++;
      }
      if (Pods.ready(pod)) {
        ready++;
        if (Pods.available(pod, minReadySeconds, now)) {
          available++;
        }
      }
    }
    long generation = Json.at(owner, "metadata", "generation") == null ? 0
        : Json.at(owner, "metadata", "generation").asLong();
    int replicas = active.size();
    int fullyLabeledReplicas = fullyLabeled;
    int readyReplicas = ready;
    int availableReplicas = available;
    String ownerUid = Meta.uid(owner);
    try {
      client.modifyStatus(ownerType, Meta.namespace(owner), Meta.name(owner), current -> {
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
