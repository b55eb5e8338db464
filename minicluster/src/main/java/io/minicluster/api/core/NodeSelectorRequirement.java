package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.NodeSelectorRequirement: key, operator (In, NotIn, Exists, DoesNotExist, Gt, Lt) and values. */
public record NodeSelectorRequirement(String key, String operator, List<String> values) {

  public NodeSelectorRequirement {
    values = List.copyOf(values);
  }

  public static NodeSelectorRequirement from(JsonNode node) {
    return new NodeSelectorRequirement(JsonValues.string(node, "key"), JsonValues.string(node, "operator"),
        JsonValues.strings(node, "values"));
  }
}
