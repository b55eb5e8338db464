package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label maps and label selectors rendered as apimachinery's labels.FormatLabels and metav1.FormatLabelSelector. */
final class Selectors {
  private Selectors() {}

  /** A label map as "a=1,b=2" sorted by key, or "&lt;none&gt;" when empty. */
  static String formatLabels(JsonNode labels) {
    Map<String, String> sorted = new TreeMap<>();
    if (labels != null && labels.isObject()) {
      labels.fields().forEachRemaining(entry -> sorted.put(entry.getKey(), entry.getValue().asText()));
    }
    if (sorted.isEmpty()) {
      return "<none>";
    }
    List<String> pieces = new ArrayList<>();
    sorted.forEach((key, value) -> pieces.add(key + "=" + value));
    return String.join(",", pieces);
  }

  /** A LabelSelector as metav1.FormatLabelSelector: "&lt;none&gt;" when it selects nothing or everything. */
  static String formatLabelSelector(JsonNode selector) {
    try {
      String text = selectorString(selector);
      return text.isEmpty() ? "<none>" : text;
    } catch (IllegalArgumentException e) {
      return "<error>";
    }
  }

  /**
   * A LabelSelector as LabelSelectorAsSelector(selector).String(): requirements sorted by key, "" for a missing or
   * empty selector.
   *
   * @throws IllegalArgumentException when the selector has an unknown operator or wrong number of values
   */
  static String selectorString(JsonNode selector) {
    if (selector == null || !selector.isObject()) {
      return "";
    }
    record Requirement(String key, String text) {}
    List<Requirement> requirements = new ArrayList<>();
    JsonNode matchLabels = selector.get("matchLabels");
    if (matchLabels != null && matchLabels.isObject()) {
      matchLabels.fields().forEachRemaining(entry ->
          requirements.add(new Requirement(entry.getKey(), entry.getKey() + "=" + entry.getValue().asText())));
    }
    for (JsonNode expression : Fields.array(selector, "matchExpressions")) {
      String key = Fields.text(expression, "key");
      String operator = Fields.text(expression, "operator");
      List<String> values = new ArrayList<>();
      Fields.array(expression, "values").forEach(value -> values.add(value.asText()));
      values.sort(Comparator.naturalOrder());
      String text = switch (operator) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            throw new IllegalArgumentException("values: must be specified when operator is " + operator);
          }
          yield key + (operator.equals("In") ? " in (" : " notin (") + String.join(",", values) + ")";
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            throw new IllegalArgumentException("values: must be empty when operator is " + operator);
          }
          yield operator.equals("Exists") ? key : "!" + key;
        }
        default -> throw new IllegalArgumentException("\"" + operator + "\" is not a valid label selector operator");
      };
      requirements.add(new Requirement(key, text));
    }
    requirements.sort(Comparator.comparing(Requirement::key));
    List<String> texts = new ArrayList<>();
    requirements.forEach(requirement -> texts.add(requirement.text()));
    return String.join(",", texts);
  }
}
