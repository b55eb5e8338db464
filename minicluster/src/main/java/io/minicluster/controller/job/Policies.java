package io.minicluster.controller.job;

import io.minicluster.api.batch.PodFailurePolicy;
import io.minicluster.api.batch.SuccessPolicy;
import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.Condition;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A Job's podFailurePolicy and successPolicy, matched as the job controller does. */
final class Policies {
  static final String FAIL_JOB = "FailJob";
  static final String IGNORE = "Ignore";
  static final String COUNT = "Count";
  static final String FAIL_INDEX = "FailIndex";

  private Policies() {}

  /**
   * What a failed pod matched (matchPodFailurePolicy).
   *
   * @param failJobMessage the Job's failure message when a FailJob rule matched, else null
   * @param counts whether the failure counts towards backoffLimit (false for Ignore)
   * @param action the matched action, or null when no rule matched
   */
  record Match(String failJobMessage, boolean counts, String action) {
    static final Match NONE = new Match(null, true, null);
  }

  static Match match(PodFailurePolicy policy, Pod pod) {
    if (policy == null) {
      return Match.NONE;
    }
    List<PodFailurePolicy.Rule> rules = policy.rules();
    for (int index = 0; index < rules.size(); index++) {
      PodFailurePolicy.Rule rule = rules.get(index);
      String action = rule.action();
      String failure;
      if (rule.onExitCodes() != null) {
        Optional<ContainerStatus> container = matchingContainer(pod, rule.onExitCodes());
        if (container.isEmpty()) {
          continue;
        }
        failure = "Container " + container.get().name() + " for pod " + pod.metadata().namespace() + "/"
            + pod.metadata().name() + " failed with exit code " + container.get().state().terminated().exitCode()
            + " matching " + action + " rule at index " + index;
      } else if (!rule.onPodConditions().isEmpty()) {
        Optional<Condition> condition = matchingCondition(pod, rule.onPodConditions());
        if (condition.isEmpty()) {
          continue;
        }
        failure = "Pod " + pod.metadata().namespace() + "/" + pod.metadata().name() + " has condition "
            + condition.get().type() + " matching " + action + " rule at index " + index;
      } else {
        continue;
      }
      switch (action) {
        case IGNORE -> {
          return new Match(null, false, IGNORE);
        }
        case COUNT, FAIL_INDEX -> {
          return new Match(null, true, action);
        }
        case FAIL_JOB -> {
          return new Match(failure, true, FAIL_JOB);
        }
        default -> {
          // an action this version does not know matches nothing, as upstream's switch falls through
        }
      }
    }
    return Match.NONE;
  }

  /** The first terminated container (then init container) with a non-zero exit code the requirement matches. */
  private static Optional<ContainerStatus> matchingContainer(Pod pod, PodFailurePolicy.OnExitCodes requirement) {
    return Stream.concat(pod.status().containerStatuses().stream(), pod.status().initContainerStatuses().stream())
        .filter(status -> status.state().terminated() != null)
        .filter(status -> requirement.containerName().isEmpty()
            || requirement.containerName().equals(status.name()))
        .filter(status -> {
          long exitCode = status.state().terminated().exitCode();
          if (exitCode == 0) {
            return false;
          }
          return switch (requirement.operator()) {
            case "In" -> requirement.values().contains(exitCode);
            case "NotIn" -> !requirement.values().contains(exitCode);
            default -> false;
          };
        })
        .findFirst();
  }

  private static Optional<Condition> matchingCondition(Pod pod, List<PodFailurePolicy.OnPodCondition> patterns) {
    for (Condition condition : pod.status().conditions()) {
      for (PodFailurePolicy.OnPodCondition pattern : patterns) {
        if (condition.type().equals(pattern.type()) && condition.status().equals(pattern.status())) {
          return Optional.of(condition);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * matchSuccessPolicy: the SuccessCriteriaMet message ("Matched rules at index N") of the first rule the succeeded
   * indexes meet, or null.
   */
  static String successMessage(SuccessPolicy policy, int completions, CompletionIndexes succeeded) {
    if (policy == null || succeeded.total() == 0) {
      return null;
    }
    List<SuccessPolicy.Rule> rules = policy.rules();
    for (int index = 0; index < rules.size(); index++) {
      SuccessPolicy.Rule rule = rules.get(index);
      Integer count = rule.succeededCount();
      boolean met;
      if (rule.succeededIndexes() != null) {
        CompletionIndexes required = CompletionIndexes.parse(rule.succeededIndexes(), completions);
        if (required.total() == 0) {
          continue;
        }
        int contained = required.countIn(succeeded);
        met = contained == required.total() || (count != null && contained >= count);
      } else {
        met = count != null && succeeded.total() >= count;
      }
      if (met) {
        return "Matched rules at index " + index;
      }
    }
    return null;
  }
}
