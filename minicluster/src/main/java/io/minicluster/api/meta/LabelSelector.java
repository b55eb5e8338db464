package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.labels.Selector.Operator;
import io.minicluster.api.labels.Selector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * metav1.LabelSelector as written in a spec; {@link #toSelector()} turns it into the selector that matches labels
 * ({@link Selector}).
 */
public record LabelSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  public static LabelSelector from(JsonNode node) {
    return new LabelSelector(JsonValues.stringMap(node, "matchLabels"),
        JsonValues.list(node, "matchExpressions", LabelSelectorRequirement::from));
  }

  /** A {@code *metav1.LabelSelector} field; null when absent. */
  public static LabelSelector optional(JsonNode node, String field) {
    return JsonValues.optional(node, field, LabelSelector::from);
  }

  /**
   * metav1.LabelSelectorAsSelector of a present selector: no requirements select everything. (An absent selector,
   * null, selects nothing: use {@link Selector#nothing()}.)
   *
   * @throws IllegalArgumentException for an unknown operator
   */
  public Selector toSelector() {
    List<Requirement> requirements = new ArrayList<>();
    matchLabels.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> requirements.add(new Requirement(e.getKey(), Operator.EQUALS, List.of(e.getValue()))));
    for (LabelSelectorRequirement expression : matchExpressions) {
      Operator operator = switch (expression.operator()) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException(
            "\"" + expression.operator() + "\" is not a valid label selector operator");
      };
      requirements.add(new Requirement(expression.key(), operator, expression.values()));
    }
    return requirements.isEmpty() ? Selector.everything() : Selector.of(requirements);
  }
}
