package io.minicluster.controller.deployment;

import static io.minicluster.controller.deployment.ReplicaSets.BY_CREATION;
import static io.minicluster.controller.deployment.ReplicaSets.specReplicas;
import static io.minicluster.controller.deployment.ReplicaSets.totalSpecReplicas;
import static io.minicluster.controller.deployment.ReplicaSets.totalStatusCount;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.DeploymentStatus;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One sync of a deployment (pkg/controller/deployment/sync.go): the deployment as read, the status being worked out,
 * its new ReplicaSet (the one whose template matches the deployment's) and the old ones. What every strategy does
 * with them lives here: getting or creating the new ReplicaSet, scaling a ReplicaSet, scaling proportionally when
 * the deployment is paused or resized mid-rollout, deleting old ReplicaSets beyond revisionHistoryLimit, and
 * calculating and writing the status. The rollouts are {@link RollingUpdate} and {@link Recreate}; the Progressing
 * condition is {@link Progress}'s.
 *
 * <p>Deployments and ReplicaSets are read as records; the pod templates are trees from the informers' template views
 * ({@link Templates}), and the status being worked out is a tree made from the record's, written as it is.
 */
final class Sync {
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
      Revisions.REVISION, Revisions.REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
      "deprecated.deployment.rollback.to");

  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  final Deployment deployment;
  /** The deployment's spec.template as stored, without the hash label. */
  private final ObjectNode template;
  /** The status being worked out, written by {@link #writeStatus()} when it differs from the deployment's. */
  final ObjectNode status;
  /** The deployment's spec.replicas. */
  final int replicas;
  /** The oldest ReplicaSet whose template (without the hash label) is the deployment's, or null. */
  ReplicaSet newReplicaSet;
  final List<ReplicaSet> oldReplicaSets = new ArrayList<>();

  /**
   * A sync of {@code deployment} with the ReplicaSets it controls.
   *
   * @param template the deployment's template as stored, without the hash label
   * @param templates each owned ReplicaSet's template as stored, without the hash label, by uid
   */
  Sync(Client client, EventRecorder events, Clock clock, Deployment deployment, ObjectNode template,
      List<ReplicaSet> owned, Map<String, ObjectNode> templates) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.deployment = requireNonNull(deployment, "deployment is null");
    this.template = requireNonNull(template, "template is null");
    this.status = StatusTree.of(deployment.status());
    this.replicas = RolloutMath.replicas(deployment);
    for (ReplicaSet replicaSet : ReplicaSets.oldestFirst(owned)) {
      if (newReplicaSet == null && template.equals(templates.get(replicaSet.metadata().uid()))) {
        newReplicaSet = replicaSet;
      } else {
        oldReplicaSets.add(replicaSet);
      }
    }
  }

  static boolean paused(Deployment deployment) {
    return deployment.spec().paused();
  }

  Instant now() {
    return clock.instant();
  }

  /** The deployment as events name it (involvedObject). */
  private ObjectNode reference() {
    ObjectMeta meta = deployment.metadata();
    ObjectNode object = Json.object();
    object.put("apiVersion", ResourceTypes.DEPLOYMENTS.apiVersion());
    object.put("kind", ResourceTypes.DEPLOYMENTS.kind());
    object.set("metadata", Json.object().put("name", meta.name()).put("namespace", meta.namespace())
        .put("uid", meta.uid()).put("resourceVersion", meta.resourceVersion()));
    return object;
  }

  /** The old ReplicaSets, then the new one. */
  List<ReplicaSet> all() {
    List<ReplicaSet> all = new ArrayList<>(oldReplicaSets);
    if (newReplicaSet != null) {
      all.add(newReplicaSet);
    }
    return all;
  }

  /** Puts a ReplicaSet as written in place of the one with its uid. */
  private void replace(ReplicaSet updated) {
    String uid = updated.metadata().uid();
    if (newReplicaSet != null && newReplicaSet.metadata().uid().equals(uid)) {
      newReplicaSet = updated;
    }
    oldReplicaSets.replaceAll(rs -> rs.metadata().uid().equals(uid) ? updated : rs);
  }

  /** syncStatusOnly: a deployment being deleted only gets its status. */
  long statusOnly() {
    calculateStatus();
    writeStatus();
    return 0;
  }

  /** sync(): scaling only, for paused deployments and resizes in the middle of a rollout. */
  long scaleOnly() {
    ensureNewReplicaSet(false);
    proportionalScale();
    if (paused(deployment)) {
      cleanup();
    }
    calculateStatus();
    writeStatus();
    return 0;
  }

  /** isScalingEvent: an active ReplicaSet was sized for another spec.replicas. */
  boolean isScalingEvent() {
    for (ReplicaSet replicaSet : all()) {
      if (specReplicas(replicaSet) > 0) {
        String desired = replicaSet.metadata().annotations().get(DESIRED_REPLICAS);
        if (desired != null && !desired.equals(Integer.toString(replicas))) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------------ new RS

  /** getNewReplicaSet: syncs the revision of the existing new ReplicaSet, or creates it when asked to. */
  void ensureNewReplicaSet(boolean create) {
    long maxOldRevision = oldReplicaSets.stream().mapToLong(ReplicaSets::revision).max().orElse(0);
    String newRevision = Long.toString(maxOldRevision + 1);
    if (newReplicaSet != null) {
      ReplicaSet existing = newReplicaSet;
      Map<String, String> copied = copiedAnnotations(deployment);
      Map<String, String> annotations = existing.metadata().annotations();
      if (!Revisions.newReplicaSetAnnotations(annotations, copied, maxOldRevision + 1).equals(annotations)) {
        replace(modifyReplicaSet(existing, rs -> {
          ObjectNode node = Json.with(rs, "metadata", "annotations");
          Revisions.newReplicaSetAnnotations(Meta.annotations(rs), copied, maxOldRevision + 1).forEach(node::put);
          return rs;
        }));
      }
      if (Progress.hasProgressDeadline(deployment) && Progress.condition(status, "Progressing") == null) {
        Progress.setCondition(this, "Progressing", "True", "FoundNewReplicaSet",
            "Found new replica set \"" + newReplicaSet.metadata().name() + "\"");
      }
      syncDeploymentRevision(Long.toString(ReplicaSets.revision(newReplicaSet)));
      return;
    }
    if (!create) {
      return;
    }
    JsonNode collision = Json.at(status, "collisionCount");
    Integer collisionCount = collision == null ? null : collision.asInt();
    ObjectNode template = this.template.deepCopy();
    String hash = PodTemplateHash.compute(template, collisionCount);
    Json.with(template, "metadata", "labels").put(PodTemplateHash.LABEL, hash);
    ObjectMeta meta = deployment.metadata();
    ObjectNode replicaSet = Json.object();
    ObjectNode metadata = replicaSet.putObject("metadata");
    metadata.put("name", meta.name() + "-" + hash);
    metadata.put("namespace", meta.namespace());
    ObjectNode labels = metadata.putObject("labels");
    Meta.stringMap(Json.at(template, "metadata", "labels")).forEach(labels::put);
    ObjectNode annotations = metadata.putObject("annotations");
    copiedAnnotations(deployment).forEach(annotations::put);
    annotations.put(DESIRED_REPLICAS, Integer.toString(replicas));
    annotations.put(MAX_REPLICAS, Integer.toString(replicas + RolloutMath.maxSurge(deployment)));
    annotations.put(Revisions.REVISION, newRevision);
    metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(ResourceTypes.DEPLOYMENTS, meta));
    ObjectNode spec = replicaSet.putObject("spec");
    int newReplicas = newReplicaSetReplicas(0);
    spec.put("replicas", newReplicas);
    if (deployment.spec().minReadySeconds() != 0) {
      spec.put("minReadySeconds", deployment.spec().minReadySeconds());
    }
    ObjectNode selector = Json.object();
    if (deployment.spec().selector() != null) {
      ObjectNode matchLabels = selector.putObject("matchLabels");
      new TreeMap<>(deployment.spec().selector().matchLabels()).forEach(matchLabels::put);
      if (!deployment.spec().selector().matchExpressions().isEmpty()) {
        selector.set("matchExpressions", Json.MAPPER.valueToTree(deployment.spec().selector().matchExpressions()));
      }
    }
    Json.with(selector, "matchLabels").put(PodTemplateHash.LABEL, hash);
    spec.set("selector", selector);
    spec.set("template", template);
    ObjectNode created;
    try {
      created = client.create(ResourceTypes.REPLICA_SETS, meta.namespace(), replicaSet);
    } catch (ApiException e) {
      if (e.code() != 409 || !"AlreadyExists".equals(e.reason())) {
        throw e;
      }
      ObjectNode existing = client.get(ResourceTypes.REPLICA_SETS, meta.namespace(), Meta.name(replicaSet));
      boolean ours = OwnerReferences.controllerOf(existing)
          .map(r -> meta.uid().equals(r.path("uid").asText())).orElse(false);
      if (ours && PodTemplateHash.withoutHash(Json.at(existing, "spec", "template")).equals(this.template)) {
        newReplicaSet = ReplicaSet.from(existing);
        return;
      }
      // a hash collision: count it so the next attempt computes another name
      int next = collisionCount == null ? 1 : collisionCount + 1;
      status.put("collisionCount", next);
      writeStatus();
      throw e;
    }
    if (newReplicas > 0) {
      events.normal(reference(), "ScalingReplicaSet", "Scaled up replica set " + Meta.name(created) + " from 0 to "
          + newReplicas);
    }
    newReplicaSet = ReplicaSet.from(created);
    if (Progress.hasProgressDeadline(deployment)) {
      Progress.setCondition(this, "Progressing", "True", "NewReplicaSetCreated",
          "Created new replica set \"" + Meta.name(created) + "\"");
    }
    syncDeploymentRevision(newRevision);
  }

  /** The deployment's annotations a ReplicaSet carries, in key order. */
  private static Map<String, String> copiedAnnotations(Deployment deployment) {
    Map<String, String> result = new TreeMap<>();
    deployment.metadata().annotations().forEach((key, value) -> {
      if (!NOT_COPIED.contains(key)) {
        result.put(key, value);
      }
    });
    return result;
  }

  /** The deployment's revision annotation follows its new ReplicaSet's. */
  private void syncDeploymentRevision(String revision) {
    if (revision.equals(deployment.metadata().annotations().get(Revisions.REVISION))) {
      return;
    }
    ObjectMeta meta = deployment.metadata();
    client.modify(ResourceTypes.DEPLOYMENTS, meta.namespace(), meta.name(), current -> {
      if (!meta.uid().equals(Meta.uid(current))) {
        return null;
      }
      Json.with(current, "metadata", "annotations").put(Revisions.REVISION, revision);
      return current;
    });
  }

  /** NewRSNewReplicas: how big the new ReplicaSet may be now. */
  int newReplicaSetReplicas(int currentNewReplicas) {
    if (!RolloutMath.rolling(deployment)) {
      return replicas;
    }
    int maxTotal = replicas + RolloutMath.maxSurge(deployment);
    int current = totalSpecReplicas(all());
    if (newReplicaSet == null) {
      current += currentNewReplicas;
    }
    if (current >= maxTotal) {
      return currentNewReplicas;
    }
    int scaleUp = Math.min(maxTotal - current, replicas - currentNewReplicas);
    return currentNewReplicas + scaleUp;
  }

  // ------------------------------------------------------------------------------------------------ scaling

  private ReplicaSet modifyReplicaSet(ReplicaSet replicaSet, UnaryOperator<ObjectNode> change) {
    ObjectMeta meta = replicaSet.metadata();
    return ReplicaSet.from(client.modify(ResourceTypes.REPLICA_SETS, meta.namespace(), meta.name(),
        current -> meta.uid().equals(Meta.uid(current)) ? change.apply(current) : null));
  }

  /**
   * scaleReplicaSet: sets spec.replicas and the desired/max annotations; records the scaling event. Returns whether
   * the size changed.
   */
  boolean scale(ReplicaSet replicaSet, int newScale) {
    int oldScale = specReplicas(replicaSet);
    String desired = Integer.toString(replicas);
    String max = Integer.toString(replicas + RolloutMath.maxSurge(deployment));
    Map<String, String> annotations = replicaSet.metadata().annotations();
    if (oldScale == newScale && desired.equals(annotations.get(DESIRED_REPLICAS))
        && max.equals(annotations.get(MAX_REPLICAS))) {
      return false;
    }
    ReplicaSet updated = modifyReplicaSet(replicaSet, rs -> {
      Json.with(rs, "spec").put("replicas", newScale);
      ObjectNode node = Json.with(rs, "metadata", "annotations");
      node.put(DESIRED_REPLICAS, desired);
      node.put(MAX_REPLICAS, max);
      return rs;
    });
    replace(updated);
    if (oldScale != newScale) {
      events.normal(reference(), "ScalingReplicaSet", "Scaled " + (newScale > oldScale ? "up" : "down")
          + " replica set " + replicaSet.metadata().name() + " from " + oldScale + " to " + newScale);
    }
    return oldScale != newScale;
  }

  /** scale(): spreads a resize over the active ReplicaSets in proportion to the size each was made for. */
  private void proportionalScale() {
    List<ReplicaSet> active = all().stream().filter(rs -> specReplicas(rs) > 0).toList();
    ReplicaSet target = null;
    if (active.size() == 1) {
      target = active.get(0);
    } else if (active.isEmpty()) {
      target = newReplicaSet != null ? newReplicaSet
          : oldReplicaSets.isEmpty() ? null : oldReplicaSets.get(oldReplicaSets.size() - 1);
    }
    if (target != null || active.isEmpty()) {
      if (target != null) {
        scale(target, replicas);
      }
      return;
    }
    if (newReplicaSet != null && specReplicas(newReplicaSet) == replicas
        && Integer.toString(replicas).equals(newReplicaSet.metadata().annotations().get(DESIRED_REPLICAS))
        && newReplicaSet.status().availableReplicas() == replicas) {
      for (ReplicaSet old : List.copyOf(oldReplicaSets)) {
        scale(old, 0);
      }
      return;
    }
    if (!RolloutMath.rolling(deployment)) {
      return;
    }
    int allowed = replicas > 0 ? replicas + RolloutMath.maxSurge(deployment) : 0;
    int toAdd = allowed - totalSpecReplicas(active);
    List<ReplicaSet> ordered = new ArrayList<>(active);
    Comparator<ReplicaSet> bySize = Comparator.comparingInt((ReplicaSet rs) -> specReplicas(rs)).reversed();
    ordered.sort(toAdd > 0 ? bySize.thenComparing(BY_CREATION.reversed()) : bySize.thenComparing(BY_CREATION));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    int added = 0;
    for (ReplicaSet replicaSet : ordered) {
      int proportion = 0;
      if (toAdd != 0) {
        int fraction = fraction(replicaSet);
        int remaining = toAdd - added;
        proportion = toAdd > 0 ? Math.min(fraction, remaining) : Math.max(fraction, remaining);
      }
      sizes.put(replicaSet.metadata().uid(), specReplicas(replicaSet) + proportion);
      added += proportion;
    }
    if (!ordered.isEmpty() && added != toAdd) {
      String first = ordered.get(0).metadata().uid();
      sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
    }
    for (ReplicaSet replicaSet : ordered) {
      scale(replicaSet, sizes.get(replicaSet.metadata().uid()));
    }
  }

  /** getReplicaSetFraction: the share of the resize this ReplicaSet takes, by the size it was made for. */
  private int fraction(ReplicaSet replicaSet) {
    if (replicas == 0) {
      return -specReplicas(replicaSet);
    }
    int deploymentReplicas = replicas + RolloutMath.maxSurge(deployment);
    int annotated;
    try {
      annotated = Integer.parseInt(replicaSet.metadata().annotations().getOrDefault(MAX_REPLICAS, ""));
    } catch (NumberFormatException e) {
      annotated = deployment.status().replicas();
    }
    if (annotated <= 0) {
      return 0;
    }
    double newSize = (double) specReplicas(replicaSet) * deploymentReplicas / annotated;
    return (int) Math.round(newSize) - specReplicas(replicaSet);
  }

  /** cleanupDeployment: deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  void cleanup() {
    Integer limit = deployment.spec().revisionHistoryLimit();
    if (limit == null) {
      return;
    }
    List<ReplicaSet> cleanable = new ArrayList<>(
        oldReplicaSets.stream().filter(rs -> !rs.metadata().isDeleting()).toList());
    int diff = cleanable.size() - limit;
    if (diff <= 0) {
      return;
    }
    cleanable.sort(Comparator.comparingLong((ReplicaSet rs) -> ReplicaSets.revision(rs)).thenComparing(BY_CREATION));
    for (int i = 0; i < diff; i++) {
      ReplicaSet replicaSet = cleanable.get(i);
      if (replicaSet.status().replicas() != 0 || specReplicas(replicaSet) != 0
          || replicaSet.metadata().generation() > replicaSet.status().observedGeneration()) {
        continue;
      }
      ObjectMeta meta = replicaSet.metadata();
      client.deleteIfExists(ResourceTypes.REPLICA_SETS, meta.namespace(), meta.name(),
          DeleteOptions.DEFAULT.withPreconditionUid(meta.uid()));
    }
  }

  // ------------------------------------------------------------------------------------------------ status

  /** calculateStatus: replica counts from the ReplicaSets and the Available condition. */
  void calculateStatus() {
    List<ReplicaSet> all = all();
    int available = totalStatusCount(all, ReplicaSets::available);
    putOrRemove("observedGeneration", deployment.metadata().generation());
    putOrRemove("replicas", totalStatusCount(all, ReplicaSets::replicas));
    putOrRemove("updatedReplicas", newReplicaSet == null ? 0 : newReplicaSet.status().replicas());
    putOrRemove("readyReplicas", totalStatusCount(all, ReplicaSets::ready));
    putOrRemove("availableReplicas", available);
    putOrRemove("unavailableReplicas", Math.max(0, totalSpecReplicas(all) - available));
    if (available >= replicas - RolloutMath.maxUnavailable(deployment)) {
      Progress.setCondition(this, "Available", "True", "MinimumReplicasAvailable",
          "Deployment has minimum availability.");
    } else {
      Progress.setCondition(this, "Available", "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.");
    }
  }

  private void putOrRemove(String field, long value) {
    if (value == 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  /** Writes the worked-out status unless it is the deployment's already; a deployment gone meanwhile is left. */
  void writeStatus() {
    if (DeploymentStatus.from(status).equals(deployment.status())) {
      return;
    }
    ObjectMeta meta = deployment.metadata();
    try {
      client.modifyStatus(ResourceTypes.DEPLOYMENTS, meta.namespace(), meta.name(), current -> {
        if (!meta.uid().equals(Meta.uid(current))) {
          return null;
        }
        current.set("status", status.deepCopy());
        return current;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}
