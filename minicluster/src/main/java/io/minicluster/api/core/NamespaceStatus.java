package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.JsonValues;
import java.util.List;
import java.util.Optional;

/** v1.NamespaceStatus: phase Active or Terminating, and the deletion conditions. */
public record NamespaceStatus(String phase, List<Condition> conditions) {

  public NamespaceStatus {
    conditions = List.copyOf(conditions);
  }

  public static NamespaceStatus from(JsonNode node) {
    return new NamespaceStatus(JsonValues.string(node, "phase"), Condition.list(node));
  }

  public Optional<Condition> condition(String type) {
    return Condition.find(conditions, type);
  }
}
