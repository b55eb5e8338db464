package io.minicluster.controller.deployment;

import static io.minicluster.controller.deployment.ReplicaSets.BY_CREATION;
import static io.minicluster.controller.deployment.ReplicaSets.specReplicas;
import static io.minicluster.controller.deployment.ReplicaSets.statusCount;
import static io.minicluster.controller.deployment.ReplicaSets.totalSpecReplicas;
import static io.minicluster.controller.deployment.ReplicaSets.totalStatusCount;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
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
import java.util.function.UnaryOperator;

/**
 * One sync of a deployment (pkg/controller/deployment/sync.go): the deployment as read, the status being worked out,
 * its new ReplicaSet (the one whose template matches the deployment's) and the old ones. What every strategy does
 * with them lives here: getting or creating the new ReplicaSet, scaling a ReplicaSet, scaling proportionally when
 * the deployment is paused or resized mid-rollout, deleting old ReplicaSets beyond revisionHistoryLimit, and
 * calculating and writing the status. The rollouts are {@link RollingUpdate} and {@link Recreate}; the Progressing
 * condition is {@link Progress}'s.
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
  final ObjectNode deployment;
  /** The status being worked out, written by {@link #writeStatus()} when it differs from the deployment's. */
  final ObjectNode status;
  /** The deployment's spec.replicas. */
  final int replicas;
  /** The oldest ReplicaSet whose template (without the hash label) is the deployment's, or null. */
  ObjectNode newReplicaSet;
  final List<ObjectNode> oldReplicaSets = new ArrayList<>();

  /** A sync of {@code deployment} with the ReplicaSets it controls. */
  Sync(Client client, EventRecorder events, Clock clock, ObjectNode deployment, List<ObjectNode> owned) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.deployment = requireNonNull(deployment, "deployment is null");
    this.status = deployment.get("status") instanceof ObjectNode current ? current.deepCopy() : Json.object();
    this.replicas = RolloutMath.replicas(deployment);
    ObjectNode template = PodTemplateHash.withoutHash(Json.at(deployment, "spec", "template"));
    for (ObjectNode replicaSet : ReplicaSets.oldestFirst(owned)) {
      if (newReplicaSet == null
          && PodTemplateHash.withoutHash(Json.at(replicaSet, "spec", "template")).equals(template)) {
        newReplicaSet = replicaSet;
      } else {
        oldReplicaSets.add(replicaSet);
      }
    }
  }

  static boolean paused(JsonNode deployment) {
    return Json.at(deployment, "spec", "paused") != null && Json.at(deployment, "spec", "paused").asBoolean();
  }

  Instant now() {
    return clock.instant();
  }

  /** The old ReplicaSets, then the new one. */
  List<ObjectNode> all() {
    List<ObjectNode> all = new ArrayList<>(oldReplicaSets);
    if (newReplicaSet != null) {
      all.add(newReplicaSet);
    }
    return all;
  }

  /** Puts a ReplicaSet as written in place of the one with its uid. */
  private void replace(ObjectNode updated) {
    if (newReplicaSet != null && Meta.uid(newReplicaSet).equals(Meta.uid(updated))) {
      newReplicaSet = updated;
    }
    oldReplicaSets.replaceAll(rs -> Meta.uid(rs).equals(Meta.uid(updated)) ? updated : rs);
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
    for (ObjectNode replicaSet : all()) {
      if (specReplicas(replicaSet) > 0) {
        String desired = Meta.annotations(replicaSet).get(DESIRED_REPLICAS);
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
      ObjectNode existing = newReplicaSet;
      Map<String, String> copied = copiedAnnotations(deployment);
      Map<String, String> annotations = Meta.annotations(existing);
      if (!Revisions.newReplicaSetAnnotations(annotations, copied, maxOldRevision + 1).equals(annotations)) {
        replace(modifyReplicaSet(existing, rs -> {
          ObjectNode node = Json.with(rs, "metadata", "annotations");
          Revisions.newReplicaSetAnnotations(Meta.annotations(rs), copied, maxOldRevision + 1).forEach(node::put);
          return rs;
        }));
      }
      if (Progress.hasProgressDeadline(deployment) && Progress.condition(status, "Progressing") == null) {
        Progress.setCondition(this, "Progressing", "True", "FoundNewReplicaSet",
            "Found new replica set \"" + Meta.name(newReplicaSet) + "\"");
      }
      syncDeploymentRevision(Long.toString(ReplicaSets.revision(newReplicaSet)));
      return;
    }
    if (!create) {
      return;
    }
    JsonNode collision = Json.at(status, "collisionCount");
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
    annotations.put(DESIRED_REPLICAS, Integer.toString(replicas));
    annotations.put(MAX_REPLICAS, Integer.toString(replicas + RolloutMath.maxSurge(deployment)));
    annotations.put(Revisions.REVISION, newRevision);
    metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(deployment));
    ObjectNode spec = replicaSet.putObject("spec");
    int newReplicas = newReplicaSetReplicas(0);
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
        newReplicaSet = existing;
        return;
      }
      // a hash collision: count it so the next attempt computes another name
      int next = collisionCount == null ? 1 : collisionCount + 1;
      status.put("collisionCount", next);
      writeStatus();
      throw e;
    }
    if (newReplicas > 0) {
      events.normal(deployment, "ScalingReplicaSet", "Scaled up replica set " + Meta.name(created) + " from 0 to "
          + newReplicas);
    }
    newReplicaSet = created;
    if (Progress.hasProgressDeadline(deployment)) {
      Progress.setCondition(this, "Progressing", "True", "NewReplicaSetCreated",
          "Created new replica set \"" + Meta.name(created) + "\"");
    }
    syncDeploymentRevision(newRevision);
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
  private void syncDeploymentRevision(String revision) {
    if (revision.equals(Meta.annotations(deployment).get(Revisions.REVISION))) {
      return;
    }
    String uid = Meta.uid(deployment);
    client.modify(ResourceTypes.DEPLOYMENTS, Meta.namespace(deployment), Meta.name(deployment), current -> {
      if (!uid.equals(Meta.uid(current))) {
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

  private ObjectNode modifyReplicaSet(ObjectNode replicaSet, UnaryOperator<ObjectNode> change) {
    String uid = Meta.uid(replicaSet);
    return client.modify(ResourceTypes.REPLICA_SETS, Meta.namespace(replicaSet), Meta.name(replicaSet),
        current -> uid.equals(Meta.uid(current)) ? change.apply(current) : null);
  }

  /**
   * scaleReplicaSet: sets spec.replicas and the desired/max annotations; records the scaling event. Returns whether
   * the size changed.
   */
  boolean scale(ObjectNode replicaSet, int newScale) {
    int oldScale = specReplicas(replicaSet);
    String desired = Integer.toString(replicas);
    String max = Integer.toString(replicas + RolloutMath.maxSurge(deployment));
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
    replace(updated);
    if (oldScale != newScale) {
      events.normal(deployment, "ScalingReplicaSet", "Scaled " + (newScale > oldScale ? "up" : "down")
          + " replica set " + Meta.name(replicaSet) + " from " + oldScale + " to " + newScale);
    }
    return oldScale != newScale;
  }

  /** scale(): spreads a resize over the active ReplicaSets in proportion to the size each was made for. */
  private void proportionalScale() {
    List<ObjectNode> active = all().stream().filter(rs -> specReplicas(rs) > 0).toList();
    ObjectNode target = null;
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
        && Integer.toString(replicas).equals(Meta.annotations(newReplicaSet).get(DESIRED_REPLICAS))
        && statusCount(newReplicaSet, "availableReplicas") == replicas) {
      for (ObjectNode old : List.copyOf(oldReplicaSets)) {
        scale(old, 0);
      }
      return;
    }
    if (!RolloutMath.rolling(deployment)) {
      return;
    }
    int allowed = replicas > 0 ? replicas + RolloutMath.maxSurge(deployment) : 0;
    int toAdd = allowed - totalSpecReplicas(active);
    List<ObjectNode> ordered = new ArrayList<>(active);
    Comparator<ObjectNode> bySize = Comparator.comparingInt((ObjectNode rs) -> specReplicas(rs)).reversed();
    ordered.sort(toAdd > 0 ? bySize.thenComparing(BY_CREATION.reversed()) : bySize.thenComparing(BY_CREATION));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    int added = 0;
    for (ObjectNode replicaSet : ordered) {
      int proportion = 0;
      if (toAdd != 0) {
        int fraction = fraction(replicaSet);
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
      scale(replicaSet, sizes.get(Meta.uid(replicaSet)));
    }
  }

  /** getReplicaSetFraction: the share of the resize this ReplicaSet takes, by the size it was made for. */
  private int fraction(ObjectNode replicaSet) {
    if (replicas == 0) {
      return -specReplicas(replicaSet);
    }
    int deploymentReplicas = replicas + RolloutMath.maxSurge(deployment);
    int annotated;
    try {
      annotated = Integer.parseInt(Meta.annotations(replicaSet).getOrDefault(MAX_REPLICAS, ""));
    } catch (NumberFormatException e) {
      annotated = statusCount(deployment, "replicas");
    }
    if (annotated <= 0) {
      return 0;
    }
    double newSize = (double) specReplicas(replicaSet) * deploymentReplicas / annotated;
    return (int) Math.round(newSize) - specReplicas(replicaSet);
  }

  /** cleanupDeployment: deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  void cleanup() {
    JsonNode limitNode = Json.at(deployment, "spec", "revisionHistoryLimit");
    if (limitNode == null || limitNode.isNull()) {
      return;
    }
    List<ObjectNode> cleanable = new ArrayList<>(oldReplicaSets.stream().filter(rs -> !Meta.deleting(rs)).toList());
    int diff = cleanable.size() - limitNode.asInt();
    if (diff <= 0) {
      return;
    }
    cleanable.sort(Comparator.comparingLong((ObjectNode rs) -> ReplicaSets.revision(rs)).thenComparing(BY_CREATION));
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

  /** calculateStatus: replica counts from the ReplicaSets and the Available condition. */
  void calculateStatus() {
    List<ObjectNode> all = all();
    int available = totalStatusCount(all, "availableReplicas");
    putOrRemove("observedGeneration", deployment.path("metadata").path("generation").asLong());
    putOrRemove("replicas", totalStatusCount(all, "replicas"));
    putOrRemove("updatedReplicas", newReplicaSet == null ? 0 : statusCount(newReplicaSet, "replicas"));
    putOrRemove("readyReplicas", totalStatusCount(all, "readyReplicas"));
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
    ObjectNode before = deployment.get("status") instanceof ObjectNode current ? current : Json.object();
    if (status.equals(before)) {
      return;
    }
    String uid = Meta.uid(deployment);
    try {
      client.modifyStatus(ResourceTypes.DEPLOYMENTS, Meta.namespace(deployment), Meta.name(deployment),
          current -> {
            if (!uid.equals(Meta.uid(current))) {
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
