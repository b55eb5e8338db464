package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** batch/v1 PodFailurePolicy: rules matched in order against a failed pod. */
public record PodFailurePolicy(List<Rule> rules) {

  public PodFailurePolicy {
    rules = List.copyOf(rules);
  }

  public static PodFailurePolicy from(JsonNode node) {
    return new PodFailurePolicy(JsonValues.list(node, "rules", Rule::from));
  }

  /**
   * One rule: its action (FailJob, FailIndex, Ignore, Count) when the exit codes (null when unset) or one of the pod
   * conditions match.
   */
  public record Rule(String action, OnExitCodes onExitCodes, List<OnPodCondition> onPodConditions) {
    public Rule {
      onPodConditions = List.copyOf(onPodConditions);
    }

    static Rule from(JsonNode node) {
      return new Rule(JsonValues.string(node, "action"), JsonValues.optional(node, "onExitCodes", OnExitCodes::from),
          JsonValues.list(node, "onPodConditions", OnPodCondition::from));
    }
  }

  /** The exit codes of a container ("" for any) that are In or NotIn a set. */
  public record OnExitCodes(String containerName, String operator, List<Long> values) {
    public OnExitCodes {
      values = List.copyOf(values);
    }

    static OnExitCodes from(JsonNode node) {
      return new OnExitCodes(JsonValues.string(node, "containerName"), JsonValues.string(node, "operator"),
          JsonValues.longs(node, "values"));
    }
  }

  /** A pod condition type and status (the registry defaults status to True). */
  public record OnPodCondition(String type, String status) {
    static OnPodCondition from(JsonNode node) {
      return new OnPodCondition(JsonValues.string(node, "type"), JsonValues.string(node, "status"));
    }
  }
}
