package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.NodeSelectorTerm: requirements on node labels and on node fields, all of which must hold. */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions,
    List<NodeSelectorRequirement> matchFields) {
  public static final NodeSelectorTerm EMPTY = new NodeSelectorTerm(List.of(), List.of());

  public NodeSelectorTerm {
    matchExpressions = List.copyOf(matchExpressions);
    matchFields = List.copyOf(matchFields);
  }

  public static NodeSelectorTerm from(JsonNode node) {
    return node == null ? EMPTY : new NodeSelectorTerm(
        JsonValues.list(node, "matchExpressions", NodeSelectorRequirement::from),
        JsonValues.list(node, "matchFields", NodeSelectorRequirement::from));
  }
}
