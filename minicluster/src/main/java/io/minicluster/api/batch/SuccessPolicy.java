package io.minicluster.api.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** batch/v1 SuccessPolicy of an Indexed Job: rules, any of which met makes the Job succeed. */
public record SuccessPolicy(List<Rule> rules) {

  public SuccessPolicy {
    rules = List.copyOf(rules);
  }

  public static SuccessPolicy from(JsonNode node) {
    return new SuccessPolicy(JsonValues.list(node, "rules", Rule::from));
  }

  /** succeededIndexes ("0,2-4", null when unset) and succeededCount (null when unset). */
  public record Rule(String succeededIndexes, Integer succeededCount) {
    static Rule from(JsonNode node) {
      return new Rule(JsonValues.optionalString(node, "succeededIndexes"),
          JsonValues.optionalInt32(node, "succeededCount"));
    }
  }
}
