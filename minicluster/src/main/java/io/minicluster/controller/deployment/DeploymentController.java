package io.minicluster.controller.deployment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.api.meta.OwnerReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * {@link Progress} writes. Deployments and ReplicaSets are read as records; the pod templates, which the hash,
 * the choice of the new ReplicaSet and its creation need whole, from template views of the same informers
 * ({@link Templates}).
 */
public final class DeploymentController implements ControllerLoop {
  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<Deployment> deployments;
  private final Informer<ReplicaSet> replicaSets;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final ControllerRefManager<ReplicaSet> claims;
  private final Templates templates;

  public DeploymentController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.deployments = informers.informer(Kinds.DEPLOYMENTS);
    this.replicaSets = informers.informer(Kinds.REPLICA_SETS);
    this.pods = informers.informer(Kinds.PODS);
    this.templates = new Templates(informers);
    this.claims = new ControllerRefManager<>(client, ResourceTypes.DEPLOYMENTS, Kinds.REPLICA_SETS,
        ReplicaSet::metadata);
    deployments.addHandler(Handlers.enqueueing(deployment -> queue.add(Keys.of(deployment.metadata()))));
    replicaSets.addHandler(Handlers.enqueueing(this::enqueueOwnersOf));
    templates.onChange(template -> queue.add(Keys.of(template.namespace(), template.name())),
        template -> replicaSets.get(template.namespace(), template.name()).ifPresent(this::enqueueOwnersOf));
    pods.addHandler(Handlers.enqueueing(this::enqueueDeploymentOfPod));
  }

  @Override
  public List<Informer<?>> informers() {
    List<Informer<?>> informers = new ArrayList<>(List.of(deployments, replicaSets, pods));
    informers.addAll(templates.informers());
    return informers;
  }

  private void enqueueOwnersOf(ReplicaSet replicaSet) {
    String namespace = replicaSet.metadata().namespace();
    Optional<OwnerReference> reference = replicaSet.metadata().controllerRef();
    if (reference.isPresent()) {
      if ("Deployment".equals(reference.get().kind())) {
        queue.add(Keys.of(namespace, reference.get().name()));
      }
      return;
    }
    for (Deployment deployment : deployments.list(namespace)) {
      if (selector(deployment).matches(replicaSet.metadata().labels())) {
        queue.add(Keys.of(deployment.metadata()));
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

  private static Selector selector(Deployment deployment) {
    try {
      return deployment.spec().selector() == null ? Selector.nothing()
          : deployment.spec().selector().toSelector();
    } catch (IllegalArgumentException e) {
      return Selector.nothing();
    }
  }

  /**
   * syncDeployment: claims the deployment's ReplicaSets and syncs it; returns when to look again (ms, 0 for not).
   * When a template view lags the record view, its event is on its way and brings the deployment back.
   */
  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    Deployment deployment = deployments.get(namespace, Keys.name(key)).orElse(null);
    if (deployment == null) {
      return 0;
    }
    List<ReplicaSet> owned = claims.claim(deployment.metadata(), selector(deployment), replicaSets.list(namespace));
    ObjectNode template = templates.of(deployment);
    if (template == null) {
      return 0;
    }
    Map<String, ObjectNode> ownedTemplates = new HashMap<>();
    for (ReplicaSet replicaSet : owned) {
      ObjectNode replicaSetTemplate = templates.of(replicaSet);
      if (replicaSetTemplate == null) {
        return 0;
      }
      ownedTemplates.put(replicaSet.metadata().uid(), replicaSetTemplate);
    }
    Sync sync = new Sync(client, events, clock, deployment, template, owned, ownedTemplates);
    if (deployment.metadata().isDeleting()) {
      return sync.statusOnly();
    }
    Progress.checkPausedConditions(sync);
    if (Sync.paused(deployment) || sync.isScalingEvent()) {
      return sync.scaleOnly();
    }
    return RolloutMath.rolling(deployment) ? RollingUpdate.rollout(sync) : Recreate.rollout(sync, pods);
  }
}
