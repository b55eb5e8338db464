package io.minicluster.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A field error's bad value that is printed verbatim, for values Kubernetes prints with Go's {@code %#v} (maps,
 * slices, structs), e.g. {@code map[string]string{"app":"web"}}. Pass it as {@code FieldError.badValue}.
 */
public record GoValue(String text) {

  public GoValue {
    requireNonNull(text, "text is null");
  }

  @Override
  public String toString() {
    return text;
  }

  /** {@code map[string]string{"a":"b", "c":"d"}} with keys sorted, as Go prints a map; {@code map[string]string(nil)}. */
  public static GoValue stringMap(JsonNode node) {
    if (node == null || node.isNull() || !node.isObject()) {
      return new GoValue("map[string]string(nil)");
    }
    return new GoValue("map[string]string" + stringMapBody(node));
  }

  /** {@code []string{"a", "b"}} or {@code []string(nil)}. */
  public static GoValue stringSlice(List<String> values) {
    if (values == null) {
      return new GoValue("[]string(nil)");
    }
    List<String> quoted = new ArrayList<>();
    for (String value : values) {
      quoted.add(quote(value));
    }
    return new GoValue("[]string{" + String.join(", ", quoted) + "}");
  }

  /** A label selector as Go prints metav1.LabelSelector with %#v. */
  public static GoValue labelSelector(JsonNode selector) {
    JsonNode matchLabels = selector == null ? null : selector.get("matchLabels");
    JsonNode expressions = selector == null ? null : selector.get("matchExpressions");
    StringBuilder s = new StringBuilder("v1.LabelSelector{MatchLabels:");
    s.append(matchLabels != null && matchLabels.isObject() ? "map[string]string" + stringMapBody(matchLabels)
        : "map[string]string(nil)");
    s.append(", MatchExpressions:");
    if (expressions == null || !expressions.isArray()) {
      s.append("[]v1.LabelSelectorRequirement(nil)");
    } else {
      s.append("[]v1.LabelSelectorRequirement{");
      boolean first = true;
      for (JsonNode expression : expressions) {
        s.append(first ? "" : ", ");
        first = false;
        s.append("v1.LabelSelectorRequirement{Key:").append(quote(expression.path("key").asText()))
            .append(", Operator:").append(quote(expression.path("operator").asText())).append(", Values:");
        JsonNode values = expression.get("values");
        if (values == null || !values.isArray()) {
          s.append("[]string(nil)");
        } else {
          List<String> list = new ArrayList<>();
          values.forEach(v -> list.add(v.asText()));
          s.append(stringSlice(list).text());
        }
        s.append('}');
      }
      s.append('}');
    }
    return new GoValue(s.append('}').toString());
  }

  private static String stringMapBody(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    keys.sort(null);
    StringBuilder s = new StringBuilder("{");
    Iterator<String> iterator = keys.iterator();
    while (iterator.hasNext()) {
      String key = iterator.next();
      s.append(quote(key)).append(':').append(quote(node.get(key).asText()));
      if (iterator.hasNext()) {
        s.append(", ");
      }
    }
    return s.append('}').toString();
  }

  /** A Go %q quoted string (common escapes only). */
  public static String quote(String value) {
    StringBuilder s = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '\r' -> s.append("\\r");
        default -> {
          if (c < 0x20) {
            s.append(String.format("\\x%02x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }

}
