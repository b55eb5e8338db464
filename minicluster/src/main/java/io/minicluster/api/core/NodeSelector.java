package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.NodeSelector: the terms are ORed. */
public record NodeSelector(List<NodeSelectorTerm> nodeSelectorTerms) {

  public NodeSelector {
    nodeSelectorTerms = List.copyOf(nodeSelectorTerms);
  }

  public static NodeSelector from(JsonNode node) {
    return new NodeSelector(JsonValues.list(node, "nodeSelectorTerms", NodeSelectorTerm::from));
  }
}
