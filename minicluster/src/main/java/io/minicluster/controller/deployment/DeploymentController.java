package io.minicluster.controller.deployment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.labels.LabelSelector;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import io.minicluster.registry.DeleteOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Deployment controller (pkg/controller/deployment): owns ReplicaSets named {@code <deployment>-<hash>} labelled
 * {@code pod-template-hash}; rolls out template changes with the RollingUpdate (maxSurge / maxUnavailable) or
 * Recreate strategy, scales proportionally when paused or resized mid-rollout, keeps {@code revisionHistoryLimit}
 * old ReplicaSets, and writes the status {@code kubectl rollout status} reads (counts, observedGeneration, the
 * Available and Progressing conditions, ProgressDeadlineExceeded).
 */
public final class DeploymentController implements AutoCloseable {
  static final String REVISION = Revisions.REVISION;
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
      Revisions.REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
      "deprecated.deployment.rollback.to");

  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<ObjectNode> deployments;
  private final Informer<ObjectNode> replicaSets;
  private final Informer<ObjectNode> pods;
  private final WorkQueue queue = new WorkQueue("deployment");
  private final ControllerRefManager claims;
  private final Controller controller;

  public DeploymentController(Client client, SharedInformers informers, EventRecorder events, Clock clock,
      int workers) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.deployments = informers.informer(Kind.tree(ResourceTypes.DEPLOYMENTS));
    this.replicaSets = informers.informer(Kind.tree(ResourceTypes.REPLICA_SETS));
    this.pods = informers.informer(Kind.tree(ResourceTypes.PODS));
    this.claims = new ControllerRefManager(client, ResourceTypes.DEPLOYMENTS, ResourceTypes.REPLICA_SETS);
    deployments.addHandler(Handlers.enqueueing(deployment -> queue.add(Keys.of(deployment))));
    replicaSets.addHandler(Handlers.enqueueing(this::enqueueOwnersOf));
    pods.addHandler(Handlers.enqueueing(this::enqueueDeploymentOfPod));
    this.controller = new Controller("deployment", queue, this::reconcile, List.of(deployments, replicaSets, pods),
        workers);
  }

  public void start() {
    controller.start();
  }

  @Override
  public void close() {
    controller.close();
  }

  private void enqueueOwnersOf(ObjectNode replicaSet) {
    String namespace = Meta.namespace(replicaSet);
    Optional<ObjectNode> reference = OwnerReferences.controllerOf(replicaSet);
    if (reference.isPresent()) {
      if ("Deployment".equals(reference.get().path("kind").asText())) {
        queue.add(Keys.of(namespace, reference.get().path("name").asText()));
      }
      return;
    }
    for (ObjectNode deployment : deployments.list(d -> namespace.equals(Meta.namespace(d)))) {
      if (selector(deployment).matchesObject(replicaSet)) {
        queue.add(Keys.of(deployment));
      }
    }
  }

  /** Recreate waits for old pods to go: a pod's change concerns its ReplicaSet's deployment. */
  private void enqueueDeploymentOfPod(ObjectNode pod) {
    OwnerReferences.controllerOf(pod)
        .filter(reference -> "ReplicaSet".equals(reference.path("kind").asText()))
        .flatMap(reference -> replicaSets.get(Meta.namespace(pod), reference.path("name").asText()))
        .ifPresent(this::enqueueOwnersOf);
  }

  private static LabelSelector selector(ObjectNode deployment) {
    try {
      return LabelSelector.fromObject(Json.at(deployment, "spec", "selector"));
    } catch (IllegalArgumentException e) {
      return LabelSelector.nothing();
    }
  }

  // ------------------------------------------------------------------------------------------------ reconcile

  /** The state of one sync: the deployment as read, the working status, and the owned ReplicaSets. */
  private final class Sync {
    final ObjectNode deployment;
    final ObjectNode status;
    final int replicas;
    ObjectNode newReplicaSet;
    final List<ObjectNode> oldReplicaSets = new ArrayList<>();

    Sync(ObjectNode deployment, List<ObjectNode> owned) {
      this.deployment = deployment;
      this.status = deployment.get("status") instanceof ObjectNode current ? current.deepCopy() : Json.object();
      this.replicas = RolloutMath.replicas(deployment);
      List<ObjectNode> sorted = new ArrayList<>(owned);
      sorted.sort(BY_CREATION);
      ObjectNode template = PodTemplateHash.withoutHash(Json.at(deployment, "spec", "template"));
      for (ObjectNode replicaSet : sorted) {
        if (newReplicaSet == null
            && PodTemplateHash.withoutHash(Json.at(replicaSet, "spec", "template")).equals(template)) {
          newReplicaSet = replicaSet;
        } else {
          oldReplicaSets.add(replicaSet);
        }
      }
    }

    List<ObjectNode> all() {
      List<ObjectNode> all = new ArrayList<>(oldReplicaSets);
      if (newReplicaSet != null) {
        all.add(newReplicaSet);
      }
      return all;
    }

    void replace(ObjectNode updated) {
      if (newReplicaSet != null && Meta.uid(newReplicaSet).equals(Meta.uid(updated))) {
        newReplicaSet = updated;
      }
      oldReplicaSets.replaceAll(rs -> Meta.uid(rs).equals(Meta.uid(updated)) ? updated : rs);
    }
  }

  private static final Comparator<ObjectNode> BY_CREATION = Comparator
      .comparing((ObjectNode rs) -> Objects.requireNonNullElse(Json.text(rs, "metadata", "creationTimestamp"), ""))
      .thenComparing(Meta::name);

  long reconcile(String key) {
    String namespace = Keys.namespace(key);
    ObjectNode deployment = deployments.get(namespace, Keys.name(key)).orElse(null);
    if (deployment == null) {
      return 0;
    }
    List<ObjectNode> candidates = replicaSets.list(rs -> namespace.equals(Meta.namespace(rs)));
    List<ObjectNode> owned = claims.claim(deployment, selector(deployment), candidates);
    Sync sync = new Sync(deployment, owned);
    if (Meta.deleting(deployment)) {
      calculateStatus(sync);
      writeStatus(sync);
      return 0;
    }
    checkPausedConditions(sync);
    if (paused(deployment) || isScalingEvent(sync)) {
      return scaleOnly(sync);
    }
    return RolloutMath.rolling(deployment) ? rolloutRolling(sync) : rolloutRecreate(sync);
  }

  private static boolean paused(ObjectNode deployment) {
    return Json.at(deployment, "spec", "paused") != null && Json.at(deployment, "spec", "paused").asBoolean();
  }

  private static int specReplicas(JsonNode replicaSet) {
    return RolloutMath.replicas(replicaSet);
  }

  private static int statusCount(JsonNode object, String field) {
    JsonNode value = Json.at(object, "status", field);
    return value == null ? 0 : value.asInt();
  }

  private static long revision(JsonNode replicaSet) {
    String text = Meta.annotations(replicaSet).get(REVISION);
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** isScalingEvent: an active ReplicaSet was sized for another spec.replicas. */
  private boolean isScalingEvent(Sync sync) {
    for (ObjectNode replicaSet : sync.all()) {
      if (specReplicas(replicaSet) > 0) {
        String desired = Meta.annotations(replicaSet).get(DESIRED_REPLICAS);
        if (desired != null && !desired.equals(Integer.toString(sync.replicas))) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------------ new RS

  /** getNewReplicaSet: syncs the revision of the existing new ReplicaSet, or creates it when asked to. */
  private void ensureNewReplicaSet(Sync sync, boolean create) {
    long maxOldRevision = sync.oldReplicaSets.stream().mapToLong(DeploymentController::revision).max().orElse(0);
    String newRevision = Long.toString(maxOldRevision + 1);
    ObjectNode deployment = sync.deployment;
    if (sync.newReplicaSet != null) {
      ObjectNode existing = sync.newReplicaSet;
      Map<String, String> copied = copiedAnnotations(deployment);
      Map<String, String> annotations = Meta.annotations(existing);
      if (!Revisions.newReplicaSetAnnotations(annotations, copied, maxOldRevision + 1).equals(annotations)) {
        sync.replace(modifyReplicaSet(existing, rs -> {
          ObjectNode node = Json.with(rs, "metadata", "annotations");
          Revisions.newReplicaSetAnnotations(Meta.annotations(rs), copied, maxOldRevision + 1).forEach(node::put);
          return rs;
        }));
      }
      if (hasProgressDeadline(deployment) && condition(sync.status, "Progressing") == null) {
        setCondition(sync.status, "Progressing", "True", "FoundNewReplicaSet",
            "Found new replica set \"" + Meta.name(sync.newReplicaSet) + "\"");
      }
      syncDeploymentRevision(deployment, Long.toString(revision(sync.newReplicaSet)));
      return;
    }
    if (!create) {
      return;
    }
    JsonNode collision = Json.at(sync.status, "collisionCount");
    Integer collisionCount = collision == null ? null : collision.asInt();
    ObjectNode template = PodTemplateHash.withoutHash(Json.at(deployment, "spec", "template"));
    String hash = PodTemplateHash.compute(template, collisionCount);
    Json.with(template, "metadata", "labels").put(PodTemplateHash.LABEL, hash);
    ObjectNode replicaSet = Json.object();
    ObjectNode metadata = replicaSet.putObject("metadata");
    metadata.put("name", Meta.name(deployment) + "-" + hash);
    metadata.put("namespace", Meta.namespace(deployment));
    ObjectNode labels = metadata.putObject("labels");
    Meta.stringMap(Json.at(template, "metadata", "labels")).forEach(labels::put);
    ObjectNode annotations = metadata.putObject("annotations");
    copiedAnnotations(deployment).forEach(annotations::put);
    annotations.put(DESIRED_REPLICAS, Integer.toString(sync.replicas));
    annotations.put(MAX_REPLICAS, Integer.toString(sync.replicas + RolloutMath.maxSurge(deployment)));
    annotations.put(REVISION, newRevision);
    metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(deployment));
    ObjectNode spec = replicaSet.putObject("spec");
    int newReplicas = newReplicaSetReplicas(sync, 0);
    spec.put("replicas", newReplicas);
    JsonNode minReadySeconds = Json.at(deployment, "spec", "minReadySeconds");
    if (minReadySeconds != null) {
      spec.set("minReadySeconds", minReadySeconds.deepCopy());
    }
    ObjectNode selector = Json.at(deployment, "spec", "selector") instanceof ObjectNode s ? s.deepCopy()
        : Json.object();
    Json.with(selector, "matchLabels").put(PodTemplateHash.LABEL, hash);
    spec.set("selector", selector);
    spec.set("template", template);
    ObjectNode created;
    try {
      created = client.create(ResourceTypes.REPLICA_SETS, Meta.namespace(deployment), replicaSet);
    } catch (ApiException e) {
      if (e.code() != 409 || !"AlreadyExists".equals(e.reason())) {
        throw e;
      }
      ObjectNode existing = client.get(ResourceTypes.REPLICA_SETS, Meta.namespace(deployment),
          Meta.name(replicaSet));
      boolean ours = OwnerReferences.controllerOf(existing)
          .map(r -> Meta.uid(deployment).equals(r.path("uid").asText())).orElse(false);
      if (ours && PodTemplateHash.withoutHash(Json.at(existing, "spec", "template"))
          .equals(PodTemplateHash.withoutHash(template))) {
        sync.newReplicaSet = existing;
        return;
      }
      // a hash collision: count it so the next attempt computes another name
      int next = collisionCount == null ? 1 : collisionCount + 1;
      sync.status.put("collisionCount", next);
      writeStatus(sync);
      throw e;
    }
    if (newReplicas > 0) {
      events.normal(deployment, "ScalingReplicaSet", "Scaled up replica set " + Meta.name(created) + " from 0 to "
          + newReplicas);
    }
    sync.newReplicaSet = created;
    if (hasProgressDeadline(deployment)) {
      setCondition(sync.status, "Progressing", "True", "NewReplicaSetCreated",
          "Created new replica set \"" + Meta.name(created) + "\"");
    }
    syncDeploymentRevision(deployment, newRevision);
  }

  private static Map<String, String> copiedAnnotations(ObjectNode deployment) {
    Map<String, String> result = new LinkedHashMap<>();
    Meta.annotations(deployment).forEach((key, value) -> {
      if (!NOT_COPIED.contains(key)) {
        result.put(key, value);
      }
    });
    return result;
  }

  /** The deployment's revision annotation follows its new ReplicaSet's. */
  private void syncDeploymentRevision(ObjectNode deployment, String revision) {
    if (revision.equals(Meta.annotations(deployment).get(REVISION))) {
      return;
    }
    String uid = Meta.uid(deployment);
    client.modify(ResourceTypes.DEPLOYMENTS, Meta.namespace(deployment), Meta.name(deployment), current -> {
      if (!uid.equals(Meta.uid(current))) {
        return null;
      }
      Json.with(current, "metadata", "annotations").put(REVISION, revision);
      return current;
    });
  }

  /** NewRSNewReplicas: how big the new ReplicaSet may be now. */
  private int newReplicaSetReplicas(Sync sync, int currentNewReplicas) {
    if (!RolloutMath.rolling(sync.deployment)) {
      return sync.replicas;
    }
    int maxTotal = sync.replicas + RolloutMath.maxSurge(sync.deployment);
    int current = sync.all().stream().mapToInt(DeploymentController::specReplicas).sum();
    if (sync.newReplicaSet == null) {
      current += currentNewReplicas;
    }
    if (current >= maxTotal) {
      return currentNewReplicas;
    }
    int scaleUp = Math.min(maxTotal - current, sync.replicas - currentNewReplicas);
    return currentNewReplicas + scaleUp;
  }

  // ------------------------------------------------------------------------------------------------ scaling

  private ObjectNode modifyReplicaSet(ObjectNode replicaSet, java.util.function.UnaryOperator<ObjectNode> change) {
    String uid = Meta.uid(replicaSet);
    return client.modify(ResourceTypes.REPLICA_SETS, Meta.namespace(replicaSet), Meta.name(replicaSet),
        current -> uid.equals(Meta.uid(current)) ? change.apply(current) : null);
  }

  /** scaleReplicaSet: sets spec.replicas and the desired/max annotations; records the scaling event. */
  private boolean scale(Sync sync, ObjectNode replicaSet, int newScale) {
    int oldScale = specReplicas(replicaSet);
    String desired = Integer.toString(sync.replicas);
    String max = Integer.toString(sync.replicas + RolloutMath.maxSurge(sync.deployment));
    Map<String, String> annotations = Meta.annotations(replicaSet);
    if (oldScale == newScale && desired.equals(annotations.get(DESIRED_REPLICAS))
        && max.equals(annotations.get(MAX_REPLICAS))) {
      return false;
    }
    ObjectNode updated = modifyReplicaSet(replicaSet, rs -> {
      Json.with(rs, "spec").put("replicas", newScale);
      ObjectNode node = Json.with(rs, "metadata", "annotations");
      node.put(DESIRED_REPLICAS, desired);
      node.put(MAX_REPLICAS, max);
      return rs;
    });
    sync.replace(updated);
    if (oldScale != newScale) {
      events.normal(sync.deployment, "ScalingReplicaSet", "Scaled " + (newScale > oldScale ? "up" : "down")
          + " replica set " + Meta.name(replicaSet) + " from " + oldScale + " to " + newScale);
    }
    return oldScale != newScale;
  }

  /** sync(): scaling only, for paused deployments and resizes in the middle of a rollout. */
  private long scaleOnly(Sync sync) {
    ensureNewReplicaSet(sync, false);
    proportionalScale(sync);
    if (paused(sync.deployment)) {
      cleanup(sync);
    }
    calculateStatus(sync);
    writeStatus(sync);
    return 0;
  }

  private void proportionalScale(Sync sync) {
    List<ObjectNode> active = sync.all().stream().filter(rs -> specReplicas(rs) > 0).toList();
    ObjectNode target = null;
    if (active.size() == 1) {
      target = active.get(0);
    } else if (active.isEmpty()) {
      target = sync.newReplicaSet != null ? sync.newReplicaSet
          : sync.oldReplicaSets.isEmpty() ? null : sync.oldReplicaSets.get(sync.oldReplicaSets.size() - 1);
    }
    if (target != null || active.isEmpty()) {
      if (target != null) {
        scale(sync, target, sync.replicas);
      }
      return;
    }
    ObjectNode newReplicaSet = sync.newReplicaSet;
    if (newReplicaSet != null && specReplicas(newReplicaSet) == sync.replicas
        && Integer.toString(sync.replicas).equals(Meta.annotations(newReplicaSet).get(DESIRED_REPLICAS))
        && statusCount(newReplicaSet, "availableReplicas") == sync.replicas) {
      for (ObjectNode old : List.copyOf(sync.oldReplicaSets)) {
        scale(sync, old, 0);
      }
      return;
    }
    if (!RolloutMath.rolling(sync.deployment)) {
      return;
    }
    int allowed = sync.replicas > 0 ? sync.replicas + RolloutMath.maxSurge(sync.deployment) : 0;
    int total = active.stream().mapToInt(DeploymentController::specReplicas).sum();
    int toAdd = allowed - total;
    List<ObjectNode> ordered = new ArrayList<>(active);
    Comparator<ObjectNode> bySize = Comparator.comparingInt((ObjectNode rs) -> specReplicas(rs)).reversed();
    ordered.sort(toAdd > 0 ? bySize.thenComparing(BY_CREATION.reversed()) : bySize.thenComparing(BY_CREATION));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    int added = 0;
    for (ObjectNode replicaSet : ordered) {
      int proportion = 0;
      if (toAdd != 0) {
        int fraction = fraction(sync, replicaSet);
        int remaining = toAdd - added;
        proportion = toAdd > 0 ? Math.min(fraction, remaining) : Math.max(fraction, remaining);
      }
      sizes.put(Meta.uid(replicaSet), specReplicas(replicaSet) + proportion);
      added += proportion;
    }
    if (!ordered.isEmpty() && added != toAdd) {
      String first = Meta.uid(ordered.get(0));
      sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
    }
    for (ObjectNode replicaSet : ordered) {
      scale(sync, replicaSet, sizes.get(Meta.uid(replicaSet)));
    }
  }

  /** getReplicaSetFraction: the share of the resize this ReplicaSet takes, by the size it was made for. */
  private static int fraction(Sync sync, ObjectNode replicaSet) {
    if (sync.replicas == 0) {
      return -specReplicas(replicaSet);
    }
    int deploymentReplicas = sync.replicas + RolloutMath.maxSurge(sync.deployment);
    int annotated;
    try {
      annotated = Integer.parseInt(Meta.annotations(replicaSet).getOrDefault(MAX_REPLICAS, ""));
    } catch (NumberFormatException e) {
      annotated = statusCount(sync.deployment, "replicas");
    }
    if (annotated <= 0) {
      return 0;
    }
    double newSize = (double) specReplicas(replicaSet) * deploymentReplicas / annotated;
    return (int) Math.round(newSize) - specReplicas(replicaSet);
  }

  // ------------------------------------------------------------------------------------------------ rollouts

  private long rolloutRolling(Sync sync) {
    ensureNewReplicaSet(sync, true);
    if (reconcileNewReplicaSet(sync)) {
      return syncRolloutStatus(sync);
    }
    if (reconcileOldReplicaSets(sync)) {
      return syncRolloutStatus(sync);
    }
    if (complete(sync.deployment, (ObjectNode) sync.deployment.path("status"))) {
      cleanup(sync);
    }
    return syncRolloutStatus(sync);
  }

  private boolean reconcileNewReplicaSet(Sync sync) {
    ObjectNode newReplicaSet = sync.newReplicaSet;
    int current = specReplicas(newReplicaSet);
    if (current == sync.replicas) {
      return false;
    }
    if (current > sync.replicas) {
      return scale(sync, newReplicaSet, sync.replicas);
    }
    return scale(sync, newReplicaSet, newReplicaSetReplicas(sync, current));
  }

  private boolean reconcileOldReplicaSets(Sync sync) {
    int oldPods = sync.oldReplicaSets.stream().mapToInt(DeploymentController::specReplicas).sum();
    if (oldPods == 0) {
      return false;
    }
    int allPods = sync.all().stream().mapToInt(DeploymentController::specReplicas).sum();
    int minAvailable = sync.replicas - RolloutMath.maxUnavailable(sync.deployment);
    ObjectNode newReplicaSet = sync.newReplicaSet;
    int newUnavailable = specReplicas(newReplicaSet) - statusCount(newReplicaSet, "availableReplicas");
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    // first the unhealthy replicas of old ReplicaSets, oldest first
    int cleaned = 0;
    List<ObjectNode> old = new ArrayList<>(sync.oldReplicaSets);
    old.sort(BY_CREATION);
    for (ObjectNode replicaSet : old) {
      if (cleaned >= maxScaledDown) {
        break;
      }
      int replicas = specReplicas(replicaSet);
      int available = statusCount(replicaSet, "availableReplicas");
      if (replicas == 0 || replicas == available) {
        continue;
      }
      int count = Math.min(maxScaledDown - cleaned, replicas - available);
      scale(sync, replicaSet, replicas - count);
      cleaned += count;
    }
    // then available ones, as far as availability allows
    int availablePods = sync.all().stream().mapToInt(rs -> statusCount(rs, "availableReplicas")).sum();
    int scaledDown = 0;
    if (availablePods > minAvailable) {
      int total = availablePods - minAvailable;
      old = new ArrayList<>(sync.oldReplicaSets);
      old.sort(BY_CREATION);
      for (ObjectNode replicaSet : old) {
        if (scaledDown >= total) {
          break;
        }
        int replicas = specReplicas(replicaSet);
        if (replicas == 0) {
          continue;
        }
        int count = Math.min(replicas, total - scaledDown);
        scale(sync, replicaSet, replicas - count);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private long rolloutRecreate(Sync sync) {
    ensureNewReplicaSet(sync, false);
    boolean scaledDown = false;
    for (ObjectNode old : List.copyOf(sync.oldReplicaSets)) {
      if (specReplicas(old) > 0) {
        scaledDown |= scale(sync, old, 0);
      }
    }
    if (scaledDown || oldPodsRunning(sync)) {
      return syncRolloutStatus(sync);
    }
    ensureNewReplicaSet(sync, true);
    reconcileNewReplicaSet(sync);
    if (complete(sync.deployment, (ObjectNode) sync.deployment.path("status"))) {
      cleanup(sync);
    }
    return syncRolloutStatus(sync);
  }

  /** oldPodsRunning: an old ReplicaSet still reports replicas, or one of its pods is not finished. */
  private boolean oldPodsRunning(Sync sync) {
    if (sync.oldReplicaSets.stream().anyMatch(rs -> statusCount(rs, "replicas") > 0)) {
      return true;
    }
    Set<String> oldUids = new java.util.HashSet<>();
    sync.oldReplicaSets.forEach(rs -> oldUids.add(Meta.uid(rs)));
    String namespace = Meta.namespace(sync.deployment);
    return !pods.list(pod -> namespace.equals(Meta.namespace(pod))
        && OwnerReferences.controllerOf(pod).map(r -> oldUids.contains(r.path("uid").asText())).orElse(false)
        && !"Succeeded".equals(Json.text(pod, "status", "phase"))
        && !"Failed".equals(Json.text(pod, "status", "phase"))).isEmpty();
  }

  /** cleanupDeployment: deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private void cleanup(Sync sync) {
    JsonNode limitNode = Json.at(sync.deployment, "spec", "revisionHistoryLimit");
    if (limitNode == null || limitNode.isNull()) {
      return;
    }
    List<ObjectNode> cleanable = new ArrayList<>(sync.oldReplicaSets.stream().filter(rs -> !Meta.deleting(rs))
        .toList());
    int diff = cleanable.size() - limitNode.asInt();
    if (diff <= 0) {
      return;
    }
    cleanable.sort(Comparator.comparingLong((ObjectNode rs) -> revision(rs)).thenComparing(BY_CREATION));
    for (int i = 0; i < diff; i++) {
      ObjectNode replicaSet = cleanable.get(i);
      long generation = Json.at(replicaSet, "metadata", "generation") == null ? 0
          : Json.at(replicaSet, "metadata", "generation").asLong();
      if (statusCount(replicaSet, "replicas") != 0 || specReplicas(replicaSet) != 0
          || generation > statusCount(replicaSet, "observedGeneration")) {
        continue;
      }
      client.deleteIfExists(ResourceTypes.REPLICA_SETS, Meta.namespace(replicaSet), Meta.name(replicaSet),
          DeleteOptions.DEFAULT.withPreconditionUid(Meta.uid(replicaSet)));
    }
  }

  // ------------------------------------------------------------------------------------------------ status

  private static boolean hasProgressDeadline(ObjectNode deployment) {
    JsonNode deadline = Json.at(deployment, "spec", "progressDeadlineSeconds");
    return deadline != null && !deadline.isNull() && deadline.asLong() != Integer.MAX_VALUE;
  }

  /** Progressing Unknown with DeploymentPaused / DeploymentResumed when the pause state changes. */
  private void checkPausedConditions(Sync sync) {
    if (!hasProgressDeadline(sync.deployment)) {
      return;
    }
    JsonNode progressing = condition(sync.status, "Progressing");
    String reason = progressing == null ? null : Json.text(progressing, "reason");
    if (paused(sync.deployment) && !"DeploymentPaused".equals(reason)) {
      setCondition(sync.status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused");
    } else if (!paused(sync.deployment) && "DeploymentPaused".equals(reason)) {
      setCondition(sync.status, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed");
    }
  }

  /** calculateStatus: replica counts from the ReplicaSets and the Available condition. */
  private void calculateStatus(Sync sync) {
    List<ObjectNode> all = sync.all();
    int replicas = all.stream().mapToInt(rs -> statusCount(rs, "replicas")).sum();
    int updated = sync.newReplicaSet == null ? 0 : statusCount(sync.newReplicaSet, "replicas");
    int ready = all.stream().mapToInt(rs -> statusCount(rs, "readyReplicas")).sum();
    int available = all.stream().mapToInt(rs -> statusCount(rs, "availableReplicas")).sum();
    int total = all.stream().mapToInt(DeploymentController::specReplicas).sum();
    ObjectNode status = sync.status;
    putOrRemove(status, "observedGeneration", sync.deployment.path("metadata").path("generation").asLong());
    putOrRemove(status, "replicas", replicas);
    putOrRemove(status, "updatedReplicas", updated);
    putOrRemove(status, "readyReplicas", ready);
    putOrRemove(status, "availableReplicas", available);
    putOrRemove(status, "unavailableReplicas", Math.max(0, total - available));
    if (available >= sync.replicas - RolloutMath.maxUnavailable(sync.deployment)) {
      setCondition(status, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
    } else {
      setCondition(status, "Available", "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.");
    }
  }

  private static boolean complete(ObjectNode deployment, ObjectNode status) {
    int replicas = RolloutMath.replicas(deployment);
    return status.path("updatedReplicas").asInt() == replicas && status.path("replicas").asInt() == replicas
        && status.path("availableReplicas").asInt() == replicas
        && status.path("observedGeneration").asLong() >= deployment.path("metadata").path("generation").asLong();
  }

  private static boolean progressing(ObjectNode oldStatus, ObjectNode newStatus) {
    int oldOld = oldStatus.path("replicas").asInt() - oldStatus.path("updatedReplicas").asInt();
    int newOld = newStatus.path("replicas").asInt() - newStatus.path("updatedReplicas").asInt();
    return newStatus.path("updatedReplicas").asInt() > oldStatus.path("updatedReplicas").asInt() || newOld < oldOld
        || newStatus.path("readyReplicas").asInt() > oldStatus.path("readyReplicas").asInt()
        || newStatus.path("availableReplicas").asInt() > oldStatus.path("availableReplicas").asInt();
  }

  /** syncRolloutStatus: the Progressing condition, the status write, and when to look again for the deadline. */
  private long syncRolloutStatus(Sync sync) {
    calculateStatus(sync);
    ObjectNode deployment = sync.deployment;
    ObjectNode status = sync.status;
    ObjectNode oldStatus = deployment.get("status") instanceof ObjectNode current ? current : Json.object();
    String newName = sync.newReplicaSet == null ? null : Meta.name(sync.newReplicaSet);
    if (!hasProgressDeadline(deployment)) {
      removeCondition(status, "Progressing");
    }
    JsonNode current = condition(status, "Progressing");
    boolean alreadyComplete = status.path("replicas").asInt() == status.path("updatedReplicas").asInt()
        && current != null && "NewReplicaSetAvailable".equals(Json.text(current, "reason"));
    boolean timedOut = false;
    if (hasProgressDeadline(deployment) && !alreadyComplete) {
      if (complete(deployment, status)) {
        setCondition(status, "Progressing", "True", "NewReplicaSetAvailable",
            newName == null ? "Deployment has successfully progressed."
                : "ReplicaSet \"" + newName + "\" has successfully progressed.");
      } else if (progressing(oldStatus, status)) {
        // progress moves lastUpdateTime even when status and reason stay
        replaceCondition(status, "Progressing", "True", "ReplicaSetUpdated",
            newName == null ? "Deployment is progressing." : "ReplicaSet \"" + newName + "\" is progressing.");
      } else if (timedOut(deployment, status)) {
        timedOut = true;
        setCondition(status, "Progressing", "False", "ProgressDeadlineExceeded",
            "ReplicaSet \"" + newName + "\" has timed out progressing.");
      }
    }
    copyReplicaFailure(sync);
    writeStatus(sync);
    if (hasProgressDeadline(deployment) && !complete(deployment, status) && !timedOut
        && !timedOut(deployment, status)) {
      JsonNode progressingCondition = condition(status, "Progressing");
      Instant since = progressingCondition == null ? null
          : Meta.parseTime(Json.text(progressingCondition, "lastUpdateTime"));
      if (since != null) {
        long deadline = deployment.path("spec").path("progressDeadlineSeconds").asLong();
        long millis = since.plusSeconds(deadline).toEpochMilli() - clock.millis() + 1000;
        return Math.max(millis, 1000);
      }
    }
    return 0;
  }

  private boolean timedOut(ObjectNode deployment, ObjectNode status) {
    JsonNode condition = condition(status, "Progressing");
    if (condition == null) {
      return false;
    }
    if ("ProgressDeadlineExceeded".equals(Json.text(condition, "reason"))) {
      return true;
    }
    Instant from = Meta.parseTime(Json.text(condition, "lastUpdateTime"));
    long deadline = deployment.path("spec").path("progressDeadlineSeconds").asLong();
    return from != null && from.plusSeconds(deadline).isBefore(clock.instant());
  }

  /** The new ReplicaSet's ReplicaFailure condition shows on the deployment (getReplicaFailures). */
  private void copyReplicaFailure(Sync sync) {
    JsonNode failure = sync.newReplicaSet == null ? null
        : condition((ObjectNode) sync.newReplicaSet.path("status"), "ReplicaFailure");
    if (failure != null && "True".equals(Json.text(failure, "status"))) {
      setCondition(sync.status, "ReplicaFailure", "True", Json.text(failure, "reason"),
          Json.text(failure, "message"));
    } else {
      removeCondition(sync.status, "ReplicaFailure");
    }
  }

  private void writeStatus(Sync sync) {
    ObjectNode deployment = sync.deployment;
    ObjectNode before = deployment.get("status") instanceof ObjectNode current ? current : Json.object();
    if (sync.status.equals(before)) {
      return;
    }
    String uid = Meta.uid(deployment);
    try {
      client.modifyStatus(ResourceTypes.DEPLOYMENTS, Meta.namespace(deployment), Meta.name(deployment),
          current -> {
            if (!uid.equals(Meta.uid(current))) {
              return null;
            }
            current.set("status", sync.status.deepCopy());
            return current;
          });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  private static void putOrRemove(ObjectNode status, String field, long value) {
    if (value == 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  private static JsonNode condition(ObjectNode status, String type) {
    return Conditions.get(status, type);
  }

  private static void removeCondition(ObjectNode status, String type) {
    Conditions.remove(status, type);
  }

  /** SetDeploymentCondition: unchanged when status and reason match; lastTransitionTime kept when status does. */
  private void setCondition(ObjectNode status, String type, String conditionStatus, String reason, String message) {
    JsonNode current = condition(status, type);
    if (current != null && conditionStatus.equals(Json.text(current, "status"))
        && Objects.equals(reason, Json.text(current, "reason"))) {
      return;
    }
    replaceCondition(status, type, conditionStatus, reason, message);
  }

  /** Replaces the condition of a type, keeping its lastTransitionTime unless the status flips. */
  private void replaceCondition(ObjectNode status, String type, String conditionStatus, String reason,
      String message) {
    String now = Meta.timestamp(clock.instant());
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", conditionStatus);
    condition.put("lastUpdateTime", now);
    condition.put("lastTransitionTime", now);
    condition.put("reason", reason);
    condition.put("message", message);
    Conditions.set(status, condition);
  }
}
