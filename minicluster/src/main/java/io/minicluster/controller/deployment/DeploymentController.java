package io.minicluster.controller.deployment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.LabelSelector;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The Deployment controller (pkg/controller/deployment): owns ReplicaSets named {@code <deployment>-<hash>} labelled
 * {@code pod-template-hash}; rolls out template changes with the RollingUpdate (maxSurge / maxUnavailable) or
 * Recreate strategy, scales proportionally when paused or resized mid-rollout, keeps {@code revisionHistoryLimit}
 * old ReplicaSets, and writes the status {@code kubectl rollout status} reads (counts, observedGeneration, the
 * Available and Progressing conditions, ProgressDeadlineExceeded).
 *
 * <p>This class is the controller: informers, event handlers, work queue, and {@link #reconcile} (syncDeployment),
 * which claims the ReplicaSets and hands them to one {@link Sync}: status only while deleting, scaling only while
 * paused or resized ({@link Sync#scaleOnly}), else a {@link RollingUpdate} or {@link Recreate} step, whose status
 * {@link Progress} writes.
 */
public final class DeploymentController implements ControllerLoop {
  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<ObjectNode> deployments;
  private final Informer<ObjectNode> replicaSets;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final ControllerRefManager<ObjectNode> claims;

  public DeploymentController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.deployments = informers.informer(Kind.tree(ResourceTypes.DEPLOYMENTS));
    this.replicaSets = informers.informer(Kind.tree(ResourceTypes.REPLICA_SETS));
    this.pods = informers.informer(Kinds.PODS);
    this.claims = new ControllerRefManager<>(client, ResourceTypes.DEPLOYMENTS, Kind.tree(ResourceTypes.REPLICA_SETS),
        ObjectMeta::of);
    deployments.addHandler(Handlers.enqueueing(deployment -> queue.add(Keys.of(deployment))));
    replicaSets.addHandler(Handlers.enqueueing(this::enqueueOwnersOf));
    pods.addHandler(Handlers.enqueueing(this::enqueueDeploymentOfPod));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(deployments, replicaSets, pods);
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
  private void enqueueDeploymentOfPod(Pod pod) {
    pod.metadata().controllerRef()
        .filter(reference -> "ReplicaSet".equals(reference.kind()))
        .flatMap(reference -> replicaSets.get(pod.metadata().namespace(), reference.name()))
        .ifPresent(this::enqueueOwnersOf);
  }

  private static LabelSelector selector(ObjectNode deployment) {
    try {
      return LabelSelector.fromObject(Json.at(deployment, "spec", "selector"));
    } catch (IllegalArgumentException e) {
      return LabelSelector.nothing();
    }
  }

  /** syncDeployment: claims the deployment's ReplicaSets and syncs it; returns when to look again (ms, 0 for not). */
  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    ObjectNode deployment = deployments.get(namespace, Keys.name(key)).orElse(null);
    if (deployment == null) {
      return 0;
    }
    List<ObjectNode> candidates = replicaSets.list(rs -> namespace.equals(Meta.namespace(rs)));
    List<ObjectNode> owned = claims.claim(ObjectMeta.of(deployment), selector(deployment), candidates);
    Sync sync = new Sync(client, events, clock, deployment, owned);
    if (Meta.deleting(deployment)) {
      return sync.statusOnly();
    }
    Progress.checkPausedConditions(sync);
    if (Sync.paused(deployment) || sync.isScalingEvent()) {
      return sync.scaleOnly();
    }
    return RolloutMath.rolling(deployment) ? RollingUpdate.rollout(sync) : Recreate.rollout(sync, pods);
  }
}
