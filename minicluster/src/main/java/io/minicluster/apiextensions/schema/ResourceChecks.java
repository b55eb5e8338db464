package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoText;
import io.minicluster.api.GoValue;
import io.minicluster.api.validation.Formats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks of a custom resource beyond the OpenAPI validator, walking the object with field paths as
 * field.Path does (properties as {@code .name}, map keys as {@code [key]}, items as {@code [i]}): list-type set
 * and map uniqueness (structural/listtype: "Duplicate value") and the apiVersion, kind and metadata of embedded
 * resources (objectmeta.Validate).
 */
final class ResourceChecks {
  private final StructuralSchema.EmbeddedMetadataValidator metadataValidator;
  private final List<FieldError> errors = new ArrayList<>();

  private ResourceChecks(StructuralSchema.EmbeddedMetadataValidator metadataValidator) {
    this.metadataValidator = metadataValidator;
  }

  /** The errors of {@code value} (at field path {@code path}, "" for a resource) against {@code s}. */
  static List<FieldError> check(JsonNode value, JsonNode s, String path,
      StructuralSchema.EmbeddedMetadataValidator metadata) {
    ResourceChecks checks = new ResourceChecks(metadata);
    checks.walk(value, s, path, path.isEmpty());
    return checks.errors;
  }

  private void walk(JsonNode value, JsonNode s, String path, boolean root) {
    if (s == null || value == null) {
      return;
    }
    if (value.isObject()) {
      if (!root && Nodes.flag(s, Nodes.EMBEDDED_RESOURCE)) {
        embeddedResource(value, path);
      }
      JsonNode additional = Nodes.additionalSchema(s);
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode property = Nodes.property(s, field.getKey());
        if (property != null) {
          walk(field.getValue(), property, Paths.child(path, field.getKey()), false);
        } else if (additional != null) {
          walk(field.getValue(), additional, Paths.key(path, field.getKey()), false);
        }
      }
    } else if (value.isArray()) {
      String listType = Nodes.text(s, Nodes.LIST_TYPE);
      if ("set".equals(listType)) {
        for (int i : secondOccurrences(value, List.of())) {
          errors.add(FieldError.duplicate(Paths.index(path, i), goValue(value.get(i))));
        }
      } else if ("map".equals(listType)) {
        listMap(value, s, path);
      }
      JsonNode items = Nodes.items(s);
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), items, Paths.index(path, i), false);
      }
    }
  }

  private void listMap(JsonNode list, JsonNode s, String path) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isNull() && !item.isObject()) {
        errors.add(FieldError.invalid(Paths.index(path, i), goValue(item),
            "must be an object for an array of list-type map"));
        return;
      }
    }
    List<String> keys = Nodes.strings(s, Nodes.LIST_MAP_KEYS);
    for (int i : secondOccurrences(list, keys)) {
      StringBuilder duplicate = new StringBuilder("map[string]interface {}{");
      List<String> present = new ArrayList<>();
      for (String key : keys) {
        if (list.get(i).has(key)) {
          present.add(key);
        }
      }
      present.sort(null);
      for (int k = 0; k < present.size(); k++) {
        duplicate.append(k == 0 ? "" : ", ").append(GoText.quote(present.get(k))).append(':')
            .append(goValue(list.get(i).get(present.get(k))).text());
      }
      errors.add(FieldError.duplicate(Paths.index(path, i), new GoValue(duplicate.append('}').toString())));
    }
  }

  /**
   * The indexes where an element (or, with map keys, an element's key values,
   * absent keys all alike) is seen the second time, as structural/listtype reports each repeated value once.
   */
  private static List<Integer> secondOccurrences(JsonNode list, List<String> mapKeys) {
    Map<String, Integer> seen = new HashMap<>();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String identity = mapKeys.isEmpty() ? canonical(list.get(i)) : keyIdentity(list.get(i), mapKeys);
      int times = seen.merge(identity, 1, Integer::sum);
      if (times == 2) {
        out.add(i);
      }
    }
    return out;
  }

  private static String keyIdentity(JsonNode item, List<String> keys) {
    StringBuilder identity = new StringBuilder();
    for (String key : keys) {
      JsonNode value = item.get(key);
      identity.append(value == null ? "<unspecified>" : canonical(value)).append('\u0000');
    }
    return identity.toString();
  }

  /** A text equal for equal JSON values: numbers by value, object members sorted. */
  private static String canonical(JsonNode value) {
    if (value.isNumber()) {
      return "n:" + value.decimalValue().stripTrailingZeros().toPlainString();
    }
    if (value.isObject()) {
      List<String> keys = new ArrayList<>();
      value.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      StringBuilder out = new StringBuilder("{");
      for (String key : keys) {
        out.append(GoText.quote(key)).append(':').append(canonical(value.get(key))).append(',');
      }
      return out.append('}').toString();
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      value.forEach(element -> out.append(canonical(element)).append(','));
      return out.append(']').toString();
    }
    return value.toString();
  }

  /** A decoded JSON value as Go's %#v prints it in a field error. */
  static GoValue goValue(JsonNode value) {
    return new GoValue(sharpV(value, true));
  }

  private static String sharpV(JsonNode value, boolean top) {
    if (value == null || value.isNull()) {
      return top ? "<nil>" : "interface {}(nil)";
    }
    if (value.isTextual()) {
      return GoText.quote(value.asText());
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    if (value.isNumber()) {
      return GoNumbers.formatFloat(value.asDouble());
    }
    if (value.isBoolean()) {
      return value.asText();
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[]interface {}{");
      for (int i = 0; i < value.size(); i++) {
        out.append(i == 0 ? "" : ", ").append(sharpV(value.get(i), false));
      }
      return out.append('}').toString();
    }
    List<String> keys = new ArrayList<>();
    value.fieldNames().forEachRemaining(keys::add);
    keys.sort(null);
    StringBuilder out = new StringBuilder("map[string]interface {}{");
    for (int i = 0; i < keys.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(GoText.quote(keys.get(i))).append(':')
          .append(sharpV(value.get(keys.get(i)), false));
    }
    return out.append('}').toString();
  }

  private void embeddedResource(JsonNode object, String path) {
    if (!object.has("apiVersion")) {
      errors.add(FieldError.required(Paths.child(path, "apiVersion"), ""));
    }
    if (!object.has("kind")) {
      errors.add(FieldError.required(Paths.child(path, "kind"), ""));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      String fieldPath = Paths.child(path, field.getKey());
      switch (field.getKey()) {
        case "apiVersion" -> {
          if (!value.isTextual()) {
            errors.add(FieldError.invalid(fieldPath, goValue(value), "must be a string"));
          } else if (value.asText().isEmpty()) {
            errors.add(FieldError.required(fieldPath, ""));
          } else if (value.asText().chars().filter(c -> c == '/').count() > 1) {
            errors.add(FieldError.invalid(fieldPath, value.asText(), "unexpected GroupVersion string: " + value.asText()));
          }
        }
        case "kind" -> {
          if (!value.isTextual()) {
            errors.add(FieldError.invalid(fieldPath, goValue(value), "must be a string"));
          } else if (value.asText().isEmpty()) {
            errors.add(FieldError.required(fieldPath, ""));
          } else {
            List<String> problems = Formats.dns1035Label(value.asText().toLowerCase(Locale.ROOT));
            if (!problems.isEmpty()) {
              errors.add(FieldError.invalid(fieldPath, value.asText(),
                  "may have mixed case, but should otherwise match: " + String.join(",", problems)));
            }
          }
        }
        case "metadata" -> {
          if (!value.isObject()) {
            errors.add(FieldError.invalid(fieldPath, goValue(value), "must be an object"));
          } else {
            errors.addAll(metadataValidator.validate(value, fieldPath));
          }
        }
        default -> { }
      }
    }
  }
}
