package io.minicluster.controller.disruption;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.apps.StatefulSet;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.ReplicationController;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.LabelSelector;
import io.minicluster.api.policy.DisruptionAllowed;
import io.minicluster.api.policy.PodDisruptionBudget;
import io.minicluster.api.policy.PodDisruptionBudgetSpec;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status — expectedPods,
 * currentHealthy, desiredHealthy, disruptionsAllowed, observedGeneration, the disruptedPods the eviction subresource
 * recorded (dropped once deleted, or after {@link #DELETION_TIMEOUT} with a NotDeleted event) and the
 * DisruptionAllowed condition — from the pods its selector selects and the scale of their controllers. A budget it
 * cannot compute allows no disruption (SyncFailed). Keys are the budgets' "namespace/name", and
 * {@code stale-pod:namespace/name} for pods whose DisruptionTarget condition outlived
 * {@link #STALE_POD_DISRUPTION_TIMEOUT} without their deletion (syncStalePodDisruption sets it back to False).
 */
public final class DisruptionController implements ControllerLoop {
  /** DeletionTimeout: how long an admitted eviction keeps its pod out of the healthy count. */
  static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
  /** stalePodDisruptionTimeout: how long a pod may keep DisruptionTarget=True without being deleted. */
  static final Duration STALE_POD_DISRUPTION_TIMEOUT = Duration.ofMinutes(2);
  private static final String STALE_POD = "stale-pod:";
  private static final String DISRUPTION_TARGET = "DisruptionTarget";

  private final Client client;
  private final Informer<PodDisruptionBudget> budgets;
  private final Informer<Pod> pods;
  private final ScaleFinders finders;
  private final EventRecorder events;
  private final Clock clock;

  public DisruptionController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    requireNonNull(queue, "queue is null");
    this.budgets = informers.informer(Kinds.POD_DISRUPTION_BUDGETS);
    this.pods = informers.informer(Kinds.PODS);
    Informer<ReplicaSet> replicaSets = informers.informer(Kinds.REPLICA_SETS);
    Informer<Deployment> deployments = informers.informer(Kinds.DEPLOYMENTS);
    Informer<ReplicationController> replicationControllers = informers.informer(Kinds.REPLICATION_CONTROLLERS);
    Informer<StatefulSet> statefulSets = informers.informer(Kinds.STATEFUL_SETS);
    this.finders = new ScaleFinders(replicaSets, deployments, replicationControllers, statefulSets);
    budgets.addHandler(Handlers.enqueueing(budget -> queue.add(Keys.of(budget.metadata()))));
    pods.addHandler(Handlers.enqueueing(pod -> {
      budgetsOf(pod).forEach(budget -> queue.add(Keys.of(budget.metadata())));
      if (staleDisruption(pod) != null) {
        queue.add(STALE_POD + Keys.of(pod.metadata()));
      }
    }));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(budgets, pods, finders.replicaSets(), finders.deployments(), finders.replicationControllers(),
        finders.statefulSets());
  }

  /** The budgets whose selector selects the pod (getPdbForPod enqueues the first; each is enqueued here). */
  private List<PodDisruptionBudget> budgetsOf(Pod pod) {
    List<PodDisruptionBudget> matching = new ArrayList<>();
    for (PodDisruptionBudget budget : budgets.list(pod.metadata().namespace())) {
      if (selector(budget).matches(pod.metadata().labels())) {
        matching.add(budget);
      }
    }
    return matching;
  }

  /** LabelSelectorAsSelector: an absent selector selects nothing, an empty one every pod of the namespace. */
  private static Selector selector(PodDisruptionBudget budget) {
    LabelSelector selector = budget.spec().selector();
    return selector == null ? Selector.nothing() : selector.toSelector();
  }

  @Override
  public long reconcile(String key) {
    if (key.startsWith(STALE_POD)) {
      return resetStaleDisruption(key.substring(STALE_POD.length()));
    }
    if (budgets.get(Keys.namespace(key), Keys.name(key)).isEmpty()) {
      return 0;
    }
    ObjectNode current;
    try {
      current = client.get(ResourceTypes.POD_DISRUPTION_BUDGETS, Keys.namespace(key), Keys.name(key));
    } catch (ApiException e) {
      if (e.code() == 404) {
        return 0;
      }
      throw e;
    }
    PodDisruptionBudget budget = PodDisruptionBudget.from(current);
    try {
      return sync(current, budget);
    } catch (ApiException e) {
      if (e.code() == 409 || e.code() == 404) {
        throw e;
      }
      failSafe(current, e.getMessage());
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      failSafe(current, e.getMessage());
      return 0;
    }
  }

  /** trySync: the status from the budget's pods; a positive delay while an admitted eviction may still happen. */
  private long sync(ObjectNode current, PodDisruptionBudget budget) {
    ObjectReference reference = ObjectReference.to(ResourceTypes.POD_DISRUPTION_BUDGETS.apiVersion(),
        ResourceTypes.POD_DISRUPTION_BUDGETS.kind(), budget.metadata());
    Selector selector = selector(budget);
    List<Pod> selected = pods.list(budget.metadata().namespace()).stream()
        .filter(pod -> selector.matches(pod.metadata().labels())).toList();
    if (selected.isEmpty()) {
      events.normal(reference, "NoPods", "No matching pods found");
    }
    Expected expected;
    try {
      expected = expected(budget.spec(), selected);
    } catch (IllegalStateException | IllegalArgumentException e) {
      events.warning(reference, "CalculateExpectedPodCountFailed",
          "Failed to calculate the number of expected pods: " + e.getMessage());
      throw e;
    }
    if (!expected.unmanaged().isEmpty()) {
      events.warning(reference, "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: "
          + selectorString(budget.spec().selector()) + ") were found to be unmanaged. As a result, the status "
          + "of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these "
          + "pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
    }
    Instant now = clock.instant();
    Map<String, Instant> disrupted = new TreeMap<>();
    Instant recheck = null;
    Map<String, Instant> recorded = budget.status().disruptedPods();
    for (Pod pod : selected) {
      Instant admitted = recorded.get(pod.metadata().name());
      if (pod.metadata().isDeleting() || admitted == null) {
        continue;
      }
      Instant expectedDeletion = admitted.plus(DELETION_TIMEOUT);
      if (expectedDeletion.isBefore(now)) {
        // upstream names the budget by its namespace twice here
        events.warning(ObjectReference.to("v1", "Pod", pod.metadata()), "NotDeleted", "Pod was expected by PDB "
            + budget.metadata().namespace() + "/" + budget.metadata().namespace() + " to be deleted but it wasn't");
      } else {
        recheck = recheck == null || expectedDeletion.isBefore(recheck) ? expectedDeletion : recheck;
        disrupted.put(pod.metadata().name(), admitted);
      }
    }
    int currentHealthy = 0;
    for (Pod pod : selected) {
      Instant admitted = disrupted.get(pod.metadata().name());
      boolean pendingEviction = admitted != null && admitted.plus(DELETION_TIMEOUT).isAfter(now);
      if (!pod.metadata().isDeleting() && !pendingEviction && pod.isReady()) {
        currentHealthy++;
      }
    }
    writeStatus(current, budget, currentHealthy, expected, disrupted);
    return recheck == null ? 0 : Math.max(1, Duration.between(now, recheck).toMillis());
  }

  /** What getExpectedPodCount computes: the pods expected, the healthy ones wanted, and the unmanaged ones found. */
  record Expected(int expectedCount, int desiredHealthy, List<String> unmanaged) {}

  /**
   * getExpectedPodCount: an integer minAvailable counts the selected pods; maxUnavailable and a percentage
   * minAvailable count their controllers' scale (rounding up).
   *
   * @throws IllegalStateException when a selected pod's controller is not found ("found no controllers for pod")
   */
  Expected expected(PodDisruptionBudgetSpec spec, List<Pod> selected) {
    if (spec.maxUnavailable() != null) {
      ScaleFinders.Scale scale = finders.expectedScale(selected);
      int maxUnavailable = spec.maxUnavailable().scaledValue(scale.count(), true);
      return new Expected(scale.count(), Math.max(0, scale.count() - maxUnavailable), scale.unmanaged());
    }
    IntOrString minAvailable = spec.minAvailable();
    if (minAvailable == null) {
      return new Expected(0, 0, List.of());
    }
    if (!minAvailable.isString()) {
      return new Expected(selected.size(), minAvailable.intValue(), List.of());
    }
    ScaleFinders.Scale scale = finders.expectedScale(selected);
    return new Expected(scale.count(), minAvailable.scaledValue(scale.count(), true), scale.unmanaged());
  }

  /** updatePdbStatus: written only when it changed; no disruption is allowed while no pod is expected. */
  private void writeStatus(ObjectNode current, PodDisruptionBudget budget, int currentHealthy, Expected expected,
      Map<String, Instant> disrupted) {
    int allowed = currentHealthy - expected.desiredHealthy();
    if (expected.expectedCount() <= 0 || allowed <= 0) {
      allowed = 0;
    }
    long generation = budget.metadata().generation();
    ObjectNode updated = current.deepCopy();
    ObjectNode status = Json.with(updated, "status");
    status.put("currentHealthy", currentHealthy);
    status.put("desiredHealthy", expected.desiredHealthy());
    status.put("expectedPods", expected.expectedCount());
    status.put("disruptionsAllowed", allowed);
    status.remove("disruptedPods");
    if (!disrupted.isEmpty()) {
      ObjectNode pods = status.putObject("disruptedPods");
      disrupted.forEach((pod, time) -> pods.put(pod, Meta.timestamp(time)));
    }
    status.put("observedGeneration", generation);
    DisruptionAllowed.update(status, Meta.timestamp(clock.instant()));
    if (!updated.equals(current)) {
      client.updateStatus(ResourceTypes.POD_DISRUPTION_BUDGETS, updated);
    }
  }

  /** failSafe: a budget that cannot be computed allows no disruption, with SyncFailed and the reason why. */
  private void failSafe(ObjectNode current, String message) {
    ObjectNode updated = current.deepCopy();
    ObjectNode status = Json.with(updated, "status");
    status.put("disruptionsAllowed", 0);
    DisruptionAllowed.set(status, "False", DisruptionAllowed.SYNC_FAILED, message,
        Meta.timestamp(clock.instant()));
    if (!updated.equals(current)) {
      client.updateStatus(ResourceTypes.POD_DISRUPTION_BUDGETS, updated);
    }
  }

  /**
   * The DisruptionTarget condition of a pod that may go stale: True, not the kubelet's, on a pod neither terminating
   * nor terminal (nonTerminatingPodHasStaleDisruptionCondition); null otherwise.
   */
  private static Condition staleDisruption(Pod pod) {
    if (pod.metadata().isDeleting() || pod.isTerminal()) {
      return null;
    }
    return Condition.find(pod.status().conditions(), DISRUPTION_TARGET)
        .filter(Condition::isTrue)
        .filter(condition -> !"TerminationByKubelet".equals(condition.reason()))
        .orElse(null);
  }

  /** syncStalePodDisruption: the condition goes False once the timeout has passed since it went True. */
  private long resetStaleDisruption(String podKey) {
    Pod pod = pods.get(Keys.namespace(podKey), Keys.name(podKey)).orElse(null);
    Condition condition = pod == null ? null : staleDisruption(pod);
    if (condition == null) {
      return 0;
    }
    Instant now = clock.instant();
    Instant since = condition.lastTransitionTime() == null ? now : condition.lastTransitionTime();
    Duration wait = STALE_POD_DISRUPTION_TIMEOUT.minus(Duration.between(since, now));
    if (!wait.isNegative() && !wait.isZero()) {
      return Math.max(1, wait.toMillis());
    }
    String uid = pod.metadata().uid();
    try {
      client.modifyStatus(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(), object -> {
        if (!uid.equals(Meta.uid(object))) {
          return null;
        }
        ObjectNode status = Json.with(object, "status");
        JsonNode current = Conditions.get(status, DISRUPTION_TARGET);
        if (current == null || !"True".equals(Json.textOrNull(current, "status"))) {
          return null;
        }
        // the controller's apply owns type, status and lastTransitionTime; reason and message stay the evictor's
        ObjectNode reset = ((ObjectNode) current).deepCopy();
        reset.put("status", "False");
        reset.put("lastTransitionTime", Meta.timestamp(now));
        Conditions.replace(status, reset);
        return object;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }

  /** A *metav1.LabelSelector as Go's %v prints it (its generated String()). */
  static String selectorString(LabelSelector selector) {
    if (selector == null) {
      return "nil";
    }
    StringBuilder text = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
    new TreeMap<>(selector.matchLabels()).forEach((key, value) -> text.append(key).append(": ").append(value)
        .append(','));
    text.append("},MatchExpressions:[]LabelSelectorRequirement{");
    selector.matchExpressions().forEach(requirement -> text.append("LabelSelectorRequirement{Key:")
        .append(requirement.key()).append(",Operator:").append(requirement.operator()).append(",Values:[")
        .append(String.join(" ", requirement.values())).append("],},"));
    return text.append("},}").toString();
  }
}
