package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodSpec;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.policy.PodDisruptionBudget;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.json.Json;
import io.minicluster.scheduler.framework.NodeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default scheduler: assigns pods whose {@code spec.nodeName} is empty and whose {@code spec.schedulerName} is
 * {@value PodSpec#DEFAULT_SCHEDULER_NAME} to a feasible node, one pod at a time: the pod of highest priority first,
 * then the one queued first ({@link #queueOrder}, kube-scheduler's PrioritySort).
 *
 * <p>Unschedulable pods get {@code PodScheduled=False/Unschedulable} and a FailedScheduling event, then wait as in
 * kube-scheduler's queue: they are retried when something could make room (a node is added or changes: labels, taints,
 * allocatable, unschedulable; a bound pod is deleted or terminates; the pod itself changes), but never before their
 * back-off has passed (1 s after the first failed attempt, doubling up to 10 s), and at the latest
 * {@code MAX_UNSCHEDULABLE} (5 minutes) after their last attempt, checked every {@code flushInterval}. A pod's own status
 * update does not retry it.
 *
 * <p>A pod that fits no node only for resources, ports or pod count preempts as kube-scheduler's DefaultPreemption
 * ({@link Preemption}): the lower-priority pods it needs on the best node get DisruptionTarget=True/
 * PreemptionByScheduler, a Preempted event and are deleted, and the pod gets {@code status.nominatedNodeName}; it is
 * bound once they are gone (it does not preempt again while a lower-priority pod terminates on its nominated node).
 * Nominated pods are not yet counted when lower-priority pods are placed meanwhile.
 *
 * <p>As in kube-scheduler, the scheduling cycle and the binding cycle are apart: once a node is chosen the pod is
 * "assumed" on it, so that the next pods' fit counts it, and its bind (with the Scheduled event) runs on the bind
 * executor, at most {@value #MAX_BINDS} at a time, while the worker goes on with the next pod. The assumption holds
 * until the informer shows the pod bound (then the informer's version counts, once); a failed bind forgets it and
 * queues the pod again after its back-off.
 *
 * <p>The scheduler is the reconciler of its queue's pod keys: the wiring runs it on a {@link Controller} runner of
 * {@value #WORKERS} worker, which waits for the node and pod informers ({@link #informers()}) to sync.
 */
public final class Scheduler implements Controller.Loop, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  /** The component name in events and the field manager of its writes. */
  public static final String NAME = PodSpec.DEFAULT_SCHEDULER_NAME;
  /** How often unschedulable pods are checked for {@link #MAX_UNSCHEDULABLE} (kube-scheduler's 30 s flush). */
  public static final Duration DEFAULT_FLUSH = Duration.ofSeconds(30);
  public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  /** The longest an unschedulable pod waits for a cluster event before it is tried again anyway. */
  static final Duration MAX_UNSCHEDULABLE = Duration.ofMinutes(5);
  private static final Duration ASSUME_TTL = Duration.ofSeconds(30);
  /** The scheduler places one pod at a time: its runner has one worker (the assumed pods are its bookkeeping). */
  public static final int WORKERS = 1;

  /** The name of kube-scheduler's bind plugin, which its bind errors name. */
  static final String BINDER_PLUGIN = "DefaultBinder";

  /** The most binds in flight at once; the worker waits for one to finish beyond that. */
  public static final int MAX_BINDS = 16;

  /**
   * A pod placed on a node that the informer does not show bound yet; {@code boundAt} is null while its bind is in
   * flight (then it never expires), the time the bind returned after.
   */
  private record Assumed(Pod pod, String nodeName, Instant boundAt) {
    Assumed bound(Instant now) {
      return new Assumed(pod, nodeName, now);
    }
  }

  /** A pod that failed to schedule: how often in a row, and when it was last tried. */
  private record Unschedulable(int attempts, Instant lastAttempt) {
    Duration backoff() {
      long seconds = INITIAL_BACKOFF.toSeconds() << Math.min(attempts - 1, 30);
      return seconds >= MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }
  }

  private final Client client;
  private final Clock clock;
  private final Binder binder;
  private final SchedulingAlgorithm algorithm;
  private final Duration flushInterval;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final Informer<PodDisruptionBudget> budgets;
  private final Preemption preemption;
  private final WorkQueue queue;
  private final EventRecorder events;
  private final ScheduledExecutorService timer;
  private final Executor bindExecutor;
  private final Semaphore bindSlots = new Semaphore(MAX_BINDS);
  private volatile Future<?> flush;
  private final Map<String, Assumed> assumed = new ConcurrentHashMap<>();
  private final Map<String, Unschedulable> unschedulable = new ConcurrentHashMap<>();
  /**
   * Cluster events that may make room so far (kube-scheduler's moveRequestCycle): an attempt that fails after one
   * arrived is queued again at once (after its back-off) rather than left to wait for the next event, since the event
   * came before the pod was recorded as unschedulable and {@link #requeuePending} could not see it.
   */
  private final AtomicLong moveRequests = new AtomicLong();
  /** What the pods on each node add up to, from the pod informer (read by the scheduling cycles). */
  private final NodeUsage usage = new NodeUsage();

  /**
   * @param binder binds a pod to its node ({@link ApiBinder} in the daemon)
   * @param informers the process's shared informers (pods and nodes)
   * @param queue the scheduling queue of pod keys ({@link #queueOrder}), the queue of the runner the wiring builds for
   *     the scheduler
   * @param events the scheduler's event recorder
   * @param timer runs the flush of unschedulable pods every {@code flushInterval} (0: never)
   * @param bindExecutor runs the binding cycles (the scheduler keeps at most {@value #MAX_BINDS} of them in flight)
   */
  public Scheduler(Client client, Clock clock, Binder binder, SchedulingAlgorithm algorithm, SharedInformers informers,
      WorkQueue queue, EventRecorder events, ScheduledExecutorService timer, Executor bindExecutor,
      Duration flushInterval) {
    this.client = requireNonNull(client, "client is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.binder = requireNonNull(binder, "binder is null");
    this.algorithm = requireNonNull(algorithm, "algorithm is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.timer = requireNonNull(timer, "timer is null");
    this.bindExecutor = requireNonNull(bindExecutor, "bindExecutor is null");
    this.flushInterval = requireNonNull(flushInterval, "flushInterval is null");
    this.pods = informers.informer(Kinds.PODS);
    this.nodes = informers.informer(Kinds.NODES);
    this.budgets = informers.informer(Kinds.POD_DISRUPTION_BUDGETS);
    this.preemption = new Preemption(algorithm);
    pods.addHandler(new PodHandler());
    nodes.addHandler(new NodeHandler());
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(nodes, pods, budgets);
  }

  /**
   * The order of the scheduling queue's pod keys, as kube-scheduler's active queue sorted by PrioritySort: the wiring
   * builds the scheduler's {@link WorkQueue} with this priority function (the pod's {@code spec.priority}, 0 when unset
   * or unknown), so the pod of highest priority is taken first, then the one queued first; retried keys back off
   * {@link #INITIAL_BACKOFF} doubling to {@link #MAX_BACKOFF}.
   */
  public static ToIntFunction<String> queueOrder(SharedInformers informers) {
    Informer<Pod> pods = informers.informer(Kinds.PODS);
    return key -> cached(pods, key).map(Scheduler::priority).orElse(0);
  }

  /** The pod's priority, as corev1helpers.PodPriority: 0 when unset. */
  static int priority(Pod pod) {
    Integer priority = pod.spec().priority();
    return priority == null ? 0 : priority;
  }

  private static Optional<Pod> cached(Informer<Pod> pods, String key) {
    int slash = key.indexOf('/');
    return pods.get(key.substring(0, slash), key.substring(slash + 1));
  }

  /** Starts the flush of unschedulable pods; the wiring starts the runner. */
  public void start() {
    long millis = flushInterval.toMillis();
    if (millis > 0) {
      flush = timer.scheduleWithFixedDelay(this::flushSafely, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops the flush; the runner, the informers, the recorder, the timer and the bind executor belong to the wiring.
   */
  @Override
  public void close() {
    Future<?> scheduled = flush;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  // ---------------------------------------------------------------- event handling

  /** Whether this scheduler should place the pod: unassigned, ours, not terminal, not being deleted. */
  static boolean pending(Pod pod) {
    String schedulerName = pod.spec().schedulerName();
    return pod.spec().nodeName().isEmpty()
        && (schedulerName.isEmpty() || schedulerName.equals(NAME))
        && !pod.isTerminal()
        && !pod.metadata().isDeleting();
  }

  private static boolean assigned(Pod pod) {
    return !pod.spec().nodeName().isEmpty();
  }

  /**
   * Whether anything but status and bookkeeping metadata (resourceVersion, generation, managed fields) changed: a
   * pod's own status write is no reason to retry it.
   */
  private static boolean meaningfulChange(Pod old, Pod pod) {
    ObjectMeta a = old.metadata();
    ObjectMeta b = pod.metadata();
    return !old.spec().equals(pod.spec())
        || !a.labels().equals(b.labels())
        || !a.annotations().equals(b.annotations())
        || !a.ownerReferences().equals(b.ownerReferences())
        || !a.finalizers().equals(b.finalizers())
        || !Objects.equals(a.deletionTimestamp(), b.deletionTimestamp())
        || !Objects.equals(a.deletionGracePeriodSeconds(), b.deletionGracePeriodSeconds());
  }

  /**
   * A cluster event that may make room: every unschedulable pod is tried again, once its back-off has passed (the
   * attempt itself waits it out: {@link #reconcile}).
   */
  private void requeuePending() {
    moveRequests.incrementAndGet();
    unschedulable.keySet().forEach(queue::add);
  }

  /** How long the pod must still wait before its next attempt (zero when it may be tried now). */
  private Duration backoffLeft(String key) {
    Unschedulable entry = unschedulable.get(key);
    if (entry == null) {
      return Duration.ZERO;
    }
    Duration wait = Duration.between(clock.instant(), entry.lastAttempt().plus(entry.backoff()));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** Records a failed attempt of the pod: it is tried again once its back-off has passed. */
  private void backOff(String key) {
    unschedulable.merge(key, new Unschedulable(1, clock.instant()),
        (previous, next) -> new Unschedulable(previous.attempts() + 1, next.lastAttempt()));
  }

  private void flushSafely() {
    try {
      flushUnschedulable();
    } catch (RuntimeException e) {
      LOG.warn("flushing unschedulable pods failed", e);
    }
  }

  /**
   * Tries again the unschedulable pods that waited {@link #MAX_UNSCHEDULABLE} for a cluster event, and queues pending
   * pods the scheduler has no record of (a safety net: every pending pod is either queued or waiting here).
   */
  void flushUnschedulable() {
    Instant now = clock.instant();
    for (Pod pod : pods.list(Scheduler::pending)) {
      String key = pod.key();
      Unschedulable entry = unschedulable.get(key);
      if (entry == null || Duration.between(entry.lastAttempt(), now).compareTo(MAX_UNSCHEDULABLE) >= 0) {
        queue.add(key);
      }
    }
  }

  private final class PodHandler implements Informer.Handler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      usage.changed(null, pod);
      if (pending(pod)) {
        queue.add(pod.key());
      } else if (assigned(pod)) {
        assumed.remove(pod.key());
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      usage.changed(old, pod);
      String key = pod.key();
      if (pending(pod)) {
        if (!pending(old) || meaningfulChange(old, pod)) {
          queue.add(key);
        }
        return;
      }
      unschedulable.remove(key);
      if (assigned(pod)) {
        assumed.remove(key);
        if (!old.isTerminal() && pod.isTerminal()) {
          requeuePending();
        }
      }
    }

    @Override
    public void onDelete(Pod pod) {
      usage.changed(pod, null);
      assumed.remove(pod.key());
      unschedulable.remove(pod.key());
      if (assigned(pod) && !pod.isTerminal()) {
        requeuePending();
      }
    }
  }

  private final class NodeHandler implements Informer.Handler<Node> {
    @Override
    public void onAdd(Node node) {
      requeuePending();
    }

    @Override
    public void onUpdate(Node old, Node node) {
      boolean changed = !old.spec().equals(node.spec())
          || !old.metadata().labels().equals(node.metadata().labels())
          || !old.status().allocatable().equals(node.status().allocatable());
      if (changed) {
        requeuePending();
      }
    }
  }

  // ---------------------------------------------------------------- scheduling

  /**
   * One scheduling attempt of the pod with this key, or, while the pod's back-off lasts, the time left (the queue
   * brings it back then); runs on the runner's single worker.
   */
  @Override
  public long reconcile(String key) {
    Duration wait = backoffLeft(key);
    if (!wait.isZero()) {
      return Math.max(1, wait.toMillis());
    }
    Pod pod = cached(pods, key).orElse(null);
    if (pod == null || !pending(pod) || assumed.containsKey(key)) {
      unschedulable.remove(key);
      return 0;
    }
    if (!pod.spec().schedulingGates().isEmpty()) {
      setUnscheduledCondition(pod, "SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates");
      return 0;
    }
    long movesBefore = moveRequests.get();
    Map<String, List<Pod>> assumedByNode = assumedNotCounted();
    ScheduleResult result = algorithm.schedule(pod, snapshot(assumedByNode));
    if (!result.isScheduled()) {
      FitError error = result.error();
      String nominated = null;
      if (error.numAllNodes() > 0) {
        // only a failed attempt looks at every bound pod (for victims): a fitting one costs the same at any scale
        Preemption.Outcome outcome = preemption.preempt(pod, nodePods(placedPods(assumedByNode)),
            error.nodeStatuses(), budgets.list());
        error = new FitError(error.numAllNodes(), error.nodeStatuses(), outcome.message());
        if (outcome.candidate() != null) {
          nominated = outcome.candidate().nodeName();
          evict(pod, outcome.candidate());
        }
      }
      String message = error.message();
      LOG.debug("pod {} is unschedulable: {}", key, message);
      // the attempt's time, before the writes that report it
      backOff(key);
      setUnscheduledCondition(pod, "Unschedulable", message, nominated);
      events.warning(reference(pod), "FailedScheduling", message);
      if (moveRequests.get() != movesBefore) {
        // an event during the attempt (a victim of its preemption gone, a node changed) may already have made room
        queue.add(key);
      }
      return 0;
    }
    unschedulable.remove(key);
    Assumed assumption = new Assumed(pod, result.nodeName(), null);
    assumed.put(key, assumption);
    try {
      bindSlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      assumed.remove(key, assumption);
      return 0;
    }
    try {
      bindExecutor.execute(() -> bindingCycle(key, assumption));
    } catch (RejectedExecutionException e) {
      bindSlots.release();
      assumed.remove(key, assumption);
      LOG.debug("not binding pod {}: the bind executor is shut down", key);
    }
    return 0;
  }

  /**
   * Binds an assumed pod and records its Scheduled event. On failure (a conflict, the pod gone, any error) it does as
   * kube-scheduler's handleBindingCycleError: forgets the assumption (room for the other pending pods, which are tried
   * again), records a FailedScheduling event and PodScheduled=False/SchedulerError with the error of the Bind plugin,
   * and queues the pod again after its back-off unless it is gone or bound meanwhile.
   */
  private void bindingCycle(String key, Assumed assumption) {
    Pod pod = assumption.pod();
    String nodeName = assumption.nodeName();
    try {
      binder.bind(pod, nodeName);
      assumed.computeIfPresent(key, (k, entry) -> entry == assumption ? entry.bound(clock.instant()) : entry);
      LOG.info("assigned pod {} to node {}", key, nodeName);
      events.normal(reference(pod), "Scheduled", "Successfully assigned " + key + " to " + nodeName);
    } catch (RuntimeException e) {
      if (e instanceof ApiException api && (api.code() == 404 || api.code() == 409)) {
        LOG.debug("binding pod {} to node {} failed: {}", key, nodeName, e.getMessage());
      } else {
        LOG.warn("binding pod {} to node {} failed", key, nodeName, e);
      }
      assumed.remove(key, assumption);
      requeuePending();
      boolean retry = cached(pods, key).filter(Scheduler::pending).isPresent();
      if (retry) {
        // the attempt's time, before the writes that report it
        backOff(key);
      }
      String message = "running Bind plugin \"" + BINDER_PLUGIN + "\": " + e.getMessage();
      events.warning(reference(pod), "FailedScheduling", message);
      try {
        setUnscheduledCondition(pod, "SchedulerError", message);
      } catch (RuntimeException conditionFailure) {
        LOG.warn("recording the failed bind of pod {} failed", key, conditionFailure);
      }
      if (retry) {
        queue.add(key);
      }
    } finally {
      bindSlots.release();
    }
  }

  private static ObjectReference reference(Pod pod) {
    return ObjectReference.to("v1", "Pod", pod.metadata());
  }

  /**
   * The assumed pods on each node by node name whose binding the usage totals do not count yet (their bind is in
   * flight, or the informer has not told the totals).
   */
  private Map<String, List<Pod>> assumedNotCounted() {
    Instant now = clock.instant();
    assumed.values().removeIf(entry -> entry.boundAt() != null
        && Duration.between(entry.boundAt(), now).compareTo(ASSUME_TTL) > 0);
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Assumed entry : assumed.values()) {
      Pod pod = entry.pod();
      // counted already once the usage totals have the binding (the informer's cache has it a moment earlier: a
      // pod left out on the cache's word counted nowhere, and back-to-back pods overcommitted the node)
      if (!usage.counts(pod.key()) && !pod.isTerminal()) {
        byNode.computeIfAbsent(entry.nodeName(), n -> new ArrayList<>()).add(pod);
      }
    }
    return byNode;
  }

  /**
   * The pods on each node by node name, for preemption: the assumed ones not counted yet (never victims: their bind is
   * in flight), then the bound ones that count.
   */
  private Map<String, List<Preemption.PlacedPod>> placedPods(Map<String, List<Pod>> assumedByNode) {
    Map<String, List<Preemption.PlacedPod>> byNode = new HashMap<>();
    assumedByNode.forEach((node, list) -> list.forEach(pod -> byNode.computeIfAbsent(node, n -> new ArrayList<>())
        .add(new Preemption.PlacedPod(pod, false))));
    for (Pod pod : pods.list(NodeUsage::counts)) {
      byNode.computeIfAbsent(pod.spec().nodeName(), n -> new ArrayList<>()).add(new Preemption.PlacedPod(pod, true));
    }
    return byNode;
  }

  /** The nodes with their non-terminal bound pods (from the usage totals), and the assumed pods not counted yet. */
  private List<NodeInfo> snapshot(Map<String, List<Pod>> assumedByNode) {
    List<NodeInfo> result = new ArrayList<>();
    for (Node node : nodes.list()) {
      result.add(usage.nodeInfo(node, assumedByNode.getOrDefault(node.metadata().name(), List.of())));
    }
    return result;
  }

  private List<Preemption.NodePods> nodePods(Map<String, List<Preemption.PlacedPod>> placed) {
    return nodes.list().stream()
        .map(node -> new Preemption.NodePods(node, placed.getOrDefault(node.metadata().name(), List.of())))
        .toList();
  }

  /**
   * prepareCandidate: each victim gets DisruptionTarget=True/PreemptionByScheduler, a Preempted event and is deleted
   * (with its grace period); a victim gone already is skipped.
   */
  private void evict(Pod preemptor, Preemption.Candidate candidate) {
    String now = Meta.timestamp(clock.instant());
    for (Pod victim : candidate.victims()) {
      ObjectMeta metadata = victim.metadata();
      try {
        client.modifyStatus(ResourceTypes.PODS, metadata.namespace(), metadata.name(), current -> {
          if (!Pod.from(current).metadata().uid().equals(metadata.uid())) {
            return null;
          }
          ObjectNode condition = condition("DisruptionTarget", "True", now, "PreemptionByScheduler",
              NAME + ": preempting to accommodate a higher priority pod");
          return Conditions.update(Json.with(current, "status"), condition) ? current : null;
        });
        client.delete(ResourceTypes.PODS, metadata.namespace(), metadata.name(), DeleteOptions.DEFAULT);
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
        continue;
      }
      LOG.info("preempted pod {} on node {} for pod {}", victim.key(), candidate.nodeName(), preemptor.key());
      events.normal(reference(victim), "Preempted",
          "Preempted by pod " + preemptor.metadata().uid() + " on node " + candidate.nodeName());
    }
  }

  /** A pod condition as the scheduler writes it (lastProbeTime null). */
  private static ObjectNode condition(String type, String status, String now, String reason, String message) {
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", status);
    condition.putNull("lastProbeTime");
    condition.put("lastTransitionTime", now);
    condition.put("reason", reason);
    condition.put("message", message);
    return condition;
  }

  /**
   * Sets PodScheduled=False with a reason and message where the condition stands (UpdatePodCondition: the transition
   * time is kept when it was False already); no write when nothing changes or the pod got bound meanwhile.
   */
  private void setUnscheduledCondition(Pod pod, String reason, String message) {
    setUnscheduledCondition(pod, reason, message, null);
  }

  /** ... and sets {@code status.nominatedNodeName} when {@code nominated} is not null (a preemption's node). */
  private void setUnscheduledCondition(Pod pod, String reason, String message, String nominated) {
    String now = Meta.timestamp(clock.instant());
    ObjectMeta metadata = pod.metadata();
    try {
      client.modifyStatus(ResourceTypes.PODS, metadata.namespace(), metadata.name(), current -> {
        Pod fresh = Pod.from(current);
        if (!pending(fresh) || !fresh.metadata().uid().equals(metadata.uid())) {
          return null;
        }
        ObjectNode condition = condition("PodScheduled", "False", now, reason, message);
        ObjectNode status = Json.with(current, "status");
        boolean nominate = nominated != null && !nominated.equals(status.path("nominatedNodeName").asText());
        if (nominate) {
          status.put("nominatedNodeName", nominated);
        }
        return Conditions.update(status, condition) || nominate ? current : null;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}
