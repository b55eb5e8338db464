package io.minicluster.api.core.helper;

import io.minicluster.api.core.Node;
import io.minicluster.api.core.NodeSelector;
import io.minicluster.api.core.NodeSelectorRequirement;
import io.minicluster.api.core.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/**
 * Node selector matching, as component-helpers nodeaffinity: a NodeSelector matches when any of its terms matches; a
 * term matches when all its matchExpressions (on labels) and matchFields (only {@code metadata.name}) match; a term
 * with neither matches nothing; a term with an invalid requirement is skipped.
 */
public final class NodeSelectors {
  private static final String NAME_FIELD = "metadata.name";

  private NodeSelectors() {}

  /** Whether every key=value of a pod's {@code spec.nodeSelector} is a label of the node. */
  public static boolean matchesNodeSelector(Map<String, String> nodeSelector, Node node) {
    Map<String, String> labels = node.metadata().labels();
    for (Map.Entry<String, String> entry : nodeSelector.entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether a NodeSelector matches a node. */
  public static boolean matchesTerms(NodeSelector selector, Node node) {
    for (NodeSelectorTerm term : selector.nodeSelectorTerms()) {
      if (matchesTerm(term, node)) {
        return true;
      }
    }
    return false;
  }

  static boolean matchesTerm(NodeSelectorTerm term, Node node) {
    if (term.matchExpressions().isEmpty() && term.matchFields().isEmpty()) {
      return false;
    }
    Map<String, String> labels = node.metadata().labels();
    for (NodeSelectorRequirement expression : term.matchExpressions()) {
      if (!matchesRequirement(expression, labels)) {
        return false;
      }
    }
    for (NodeSelectorRequirement field : term.matchFields()) {
      if (!field.key().equals(NAME_FIELD)) {
        return false;
      }
      if (!field.operator().equals("In") && !field.operator().equals("NotIn")) {
        return false;
      }
      if (!matchesRequirement(field, Map.of(NAME_FIELD, node.metadata().name()))) {
        return false;
      }
    }
    return true;
  }

  /** One NodeSelectorRequirement against a map of values (labels, or fields). Invalid requirements match nothing. */
  static boolean matchesRequirement(NodeSelectorRequirement requirement, Map<String, String> values) {
    List<String> wanted = requirement.values();
    String actual = values.get(requirement.key());
    switch (requirement.operator()) {
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
          return requirement.operator().equals("Gt") ? have > limit : have < limit;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        return false;
    }
  }
}
