package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * batch/v1 JobStatus; startTime and completionTime are null when unset, as are the pointer counters (ready,
 * terminating) and failedIndexes; uncountedTerminatedPods lists the uids of pods counted in neither succeeded nor
 * failed yet.
 */
public record JobStatus(List<Condition> conditions, Instant startTime, Instant completionTime, int active,
    int succeeded, int failed, Integer terminating, Integer ready, String completedIndexes, String failedIndexes,
    List<String> uncountedSucceeded, List<String> uncountedFailed) {

  public JobStatus {
    conditions = List.copyOf(conditions);
    uncountedSucceeded = List.copyOf(uncountedSucceeded);
    uncountedFailed = List.copyOf(uncountedFailed);
  }

  public static JobStatus from(JsonNode node) {
    JsonNode uncounted = JsonValues.child(node, "uncountedTerminatedPods");
    return new JobStatus(Condition.list(node), JsonValues.time(node, "startTime"),
        JsonValues.time(node, "completionTime"), JsonValues.int32(node, "active"),
        JsonValues.int32(node, "succeeded"), JsonValues.int32(node, "failed"),
        JsonValues.optionalInt32(node, "terminating"), JsonValues.optionalInt32(node, "ready"),
        JsonValues.string(node, "completedIndexes"), JsonValues.optionalString(node, "failedIndexes"),
        JsonValues.strings(uncounted, "succeeded"), JsonValues.strings(uncounted, "failed"));
  }

  /** The condition of a type (Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet). */
  public Optional<Condition> condition(String type) {
    return Condition.find(conditions, type);
  }

  /** Whether the Job finished: a Complete or Failed condition that is True. */
  public boolean finished() {
    return Condition.isTrue(conditions, "Complete") || Condition.isTrue(conditions, "Failed");
  }
}
