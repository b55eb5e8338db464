package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** metav1.LabelSelectorRequirement: key, operator (In, NotIn, Exists, DoesNotExist) and values. */
public record LabelSelectorRequirement(String key, String operator, List<String> values) {

  public LabelSelectorRequirement {
    values = List.copyOf(values);
  }

  public static LabelSelectorRequirement from(JsonNode node) {
    return new LabelSelectorRequirement(JsonValues.string(node, "key"), JsonValues.string(node, "operator"),
        JsonValues.strings(node, "values"));
  }
}
