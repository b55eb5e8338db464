package io.minicluster.scheduler;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.policy.PodDisruptionBudget;
import io.minicluster.scheduler.framework.NodeInfo;
import io.minicluster.scheduler.framework.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DefaultPreemption's PostFilter over a snapshot (framework/preemption's Evaluator, dry run only): for each node that
 * failed only resolvable filters (resources, ports, pod count), the fewest lower-priority pods whose removal lets the
 * pod fit, keeping back first the pods whose eviction would violate a PodDisruptionBudget, then the node whose victims
 * cost least. Pure: the scheduler deletes the victims.
 */
final class Preemption {
  /** A pod bound (or assumed bound) to a node; only bound ones may be victims. */
  record PlacedPod(Pod pod, boolean victimAllowed) {}

  /** A node with the pods on it. */
  record NodePods(Node node, List<PlacedPod> pods) {
    String name() {
      return node.metadata().name();
    }
  }

  /** The chosen node and the pods to delete there, most important first. */
  record Candidate(String nodeName, List<Pod> victims, int pdbViolations) {}

  /** The candidate, or null with the PostFilter message saying why there is none. */
  record Outcome(Candidate candidate, String message) {}

  static final String NOT_ELIGIBLE_TERMINATING = "preemption: not eligible due to a terminating pod on the nominated node.";

  private final SchedulingAlgorithm algorithm;

  Preemption(SchedulingAlgorithm algorithm) {
    this.algorithm = requireNonNull(algorithm, "algorithm is null");
  }

  Outcome preempt(Pod pod, List<NodePods> nodes, Map<String, Status> failures, List<PodDisruptionBudget> budgets) {
    String notEligible = notEligible(pod, nodes);
    if (notEligible != null) {
      return new Outcome(null, notEligible);
    }
    int priority = Scheduler.priority(pod);
    List<Candidate> candidates = new ArrayList<>();
    for (NodePods node : nodes.stream().sorted(Comparator.comparing(NodePods::name)).toList()) {
      Status status = failures.get(node.name());
      if (status == null || status.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        continue;
      }
      Candidate candidate = selectVictims(pod, priority, node, budgets);
      if (candidate != null) {
        candidates.add(candidate);
      }
    }
    if (candidates.isEmpty()) {
      return new Outcome(null, FitError.preemptionMessage(pod.spec().preemptionPolicy(), nodes.size(), failures));
    }
    // pickOneNodeForPreemption: fewest PDB violations, lowest highest victim priority, lowest priority sum, fewest
    // victims; then the first by name
    Candidate best = candidates.stream().min(Comparator.comparingInt(Candidate::pdbViolations)
        .thenComparingInt(c -> Scheduler.priority(c.victims().get(0)))
        .thenComparingLong(c -> c.victims().stream().mapToLong(v -> (long) Scheduler.priority(v) + Integer.MAX_VALUE
            + 1).sum())
        .thenComparingInt(c -> c.victims().size())).orElseThrow();
    return new Outcome(best, "");
  }

  /**
   * PodEligibleToPreemptOthers: preemptionPolicy Never never preempts, and a pod whose earlier preemption is still
   * under way (a lower-priority pod terminating on its nominated node) waits for it instead of preempting more.
   */
  private static String notEligible(Pod pod, List<NodePods> nodes) {
    if ("Never".equals(pod.spec().preemptionPolicy())) {
      return "preemption: not eligible due to preemptionPolicy=Never.";
    }
    String nominated = pod.status().nominatedNodeName();
    if (nominated.isEmpty()) {
      return null;
    }
    int priority = Scheduler.priority(pod);
    for (NodePods node : nodes) {
      if (node.name().equals(nominated) && node.pods().stream().map(PlacedPod::pod)
          .anyMatch(p -> p.metadata().isDeleting() && Scheduler.priority(p) < priority)) {
        return NOT_ELIGIBLE_TERMINATING;
      }
    }
    return null;
  }

  /** selectVictimsOnNode: null when even removing every lower-priority pod does not make the pod fit. */
  private Candidate selectVictims(Pod pod, int priority, NodePods node, List<PodDisruptionBudget> budgets) {
    List<Pod> kept = new ArrayList<>();
    List<Pod> potential = new ArrayList<>();
    for (PlacedPod placed : node.pods()) {
      if (placed.victimAllowed() && Scheduler.priority(placed.pod()) < priority) {
        potential.add(placed.pod());
      } else {
        kept.add(placed.pod());
      }
    }
    if (potential.isEmpty() || !fits(pod, node.node(), kept)) {
      return null;
    }
    potential.sort(Comparator.comparingInt((Pod p) -> -Scheduler.priority(p))
        .thenComparing(Preemption::startTime));
    List<Pod> violating = new ArrayList<>();
    List<Pod> nonViolating = new ArrayList<>();
    Map<PodDisruptionBudget, Integer> allowed = new HashMap<>();
    budgets.forEach(budget -> allowed.put(budget, budget.status().disruptionsAllowed()));
    for (Pod victim : potential) {
      boolean violates = false;
      for (PodDisruptionBudget budget : budgets) {
        if (covers(budget, victim)) {
          int left = allowed.merge(budget, -1, Integer::sum);
          violates |= left < 0;
        }
      }
      (violates ? violating : nonViolating).add(victim);
    }
    List<Pod> victims = new ArrayList<>();
    int violations = 0;
    for (List<Pod> group : List.of(violating, nonViolating)) {
      for (Pod candidate : group) {
        kept.add(candidate);
        if (!fits(pod, node.node(), kept)) {
          kept.remove(kept.size() - 1);
          victims.add(candidate);
          if (group == violating) {
            violations++;
          }
        }
      }
    }
    victims.sort(Comparator.comparingInt((Pod p) -> -Scheduler.priority(p)).thenComparing(Preemption::startTime));
    return victims.isEmpty() ? null : new Candidate(node.name(), List.copyOf(victims), violations);
  }

  private boolean fits(Pod pod, Node node, List<Pod> pods) {
    return algorithm.filter(pod, NodeInfo.of(node, pods)).isSuccess();
  }

  /** Whether the budget counts the pod (same namespace, a non-empty selector matching it, not disrupted already). */
  private static boolean covers(PodDisruptionBudget budget, Pod pod) {
    if (!budget.metadata().namespace().equals(pod.metadata().namespace()) || budget.spec().selector() == null) {
      return false;
    }
    Selector selector = budget.spec().selector().toSelector();
    return !selector.isEmpty() && selector.matches(pod.metadata().labels())
        && !budget.status().disruptedPods().containsKey(pod.metadata().name());
  }

  private static Instant startTime(Pod pod) {
    Instant start = pod.status().startTime();
    return start == null ? Instant.MAX : start;
  }
}
