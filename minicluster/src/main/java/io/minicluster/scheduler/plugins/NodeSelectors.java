package io.minicluster.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node selector matching, as component-helpers nodeaffinity: a NodeSelector matches when any of its terms matches; a
 * term matches when all its matchExpressions (on labels) and matchFields (only {@code metadata.name}) match; a term
 * with neither matches nothing; a term with an invalid requirement is skipped.
 */
public final class NodeSelectors {
  private NodeSelectors() {}

  /** Whether every key=value of a pod's {@code spec.nodeSelector} is a label of the node. */
  public static boolean matchesNodeSelector(JsonNode nodeSelector, JsonNode node) {
    Map<String, String> labels = Meta.labels(node);
    for (Map.Entry<String, String> entry : Meta.stringMap(nodeSelector).entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a NodeSelector ({@code {"nodeSelectorTerms": [...]}}) matches a node. */
  public static boolean matchesTerms(JsonNode selector, JsonNode node) {
    for (JsonNode term : Json.elements(selector, "nodeSelectorTerms")) {
      if (matchesTerm(term, node)) {
        return true;
      }
    }
    return false;
  }

  static boolean matchesTerm(JsonNode term, JsonNode node) {
    List<JsonNode> expressions = Json.elements(term, "matchExpressions");
    List<JsonNode> fields = Json.elements(term, "matchFields");
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels = Meta.labels(node);
    for (JsonNode expression : expressions) {
      if (!matchesRequirement(expression, labels)) {
        return false;
      }
    }
    for (JsonNode field : fields) {
      if (!Json.text(field, "key").equals("metadata.name")) {
        return false;
      }
      String operator = Json.text(field, "operator");
      if (!operator.equals("In") && !operator.equals("NotIn")) {
        return false;
      }
      if (!matchesRequirement(field, Map.of("metadata.name", Meta.name(node)))) {
        return false;
      }
    }
    return true;
  }

  /** One NodeSelectorRequirement against a map of values (labels, or fields). Invalid requirements match nothing. */
  static boolean matchesRequirement(JsonNode requirement, Map<String, String> values) {
    String key = Json.text(requirement, "key");
    List<String> wanted = new ArrayList<>();
    for (JsonNode value : Json.elements(requirement, "values")) {
      wanted.add(value.asText());
    }
    String actual = values.get(key);
    switch (Json.text(requirement, "operator")) {
      case "In":
        return !wanted.isEmpty() && actual != null && wanted.contains(actual);
      case "NotIn":
        return !wanted.isEmpty() && (actual == null || !wanted.contains(actual));
      case "Exists":
        return wanted.isEmpty() && actual != null;
      case "DoesNotExist":
        return wanted.isEmpty() && actual == null;
      case "Gt":
      case "Lt":
        if (wanted.size() != 1 || actual == null) {
          return false;
        }
        try {
          long limit = Long.parseLong(wanted.get(0));
          long have = Long.parseLong(actual);
          return Json.text(requirement, "operator").equals("Gt") ? have > limit : have < limit;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        return false;
    }
  }
}
