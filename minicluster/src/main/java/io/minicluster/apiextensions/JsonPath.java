package io.minicluster.apiextensions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The simple JSON paths of CustomResourceDefinitions (printer columns, scale paths): fields from the root, as
 * {@code .spec.replicas}, {@code .metadata.labels['app.kubernetes.io/name']} or {@code .spec.ports[0].port}.
 *
 * @param steps field names (String) and array indices (Integer)
 */
public record JsonPath(List<Object> steps) {
  public JsonPath {
    steps = List.copyOf(steps);
  }

  /** The path, or empty when it is not a simple path from the root. */
  public static Optional<JsonPath> parse(String path) {
    requireNonNull(path, "path is null");
    String p = path.startsWith("{") && path.endsWith("}") ? path.substring(1, path.length() - 1) : path;
    if (!p.startsWith(".") && !p.startsWith("[")) {
      return Optional.empty();
    }
    List<Object> steps = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          return Optional.empty();
        }
        steps.add(p.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int close = p.indexOf(']', i);
        if (close < 0) {
          return Optional.empty();
        }
        String inner = p.substring(i + 1, close);
        if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
            || inner.startsWith("\"") && inner.endsWith("\""))) {
          steps.add(inner.substring(1, inner.length() - 1));
        } else if (inner.matches("\\d+")) {
          steps.add(Integer.parseInt(inner));
        } else {
          return Optional.empty();
        }
        i = close + 1;
      } else {
        return Optional.empty();
      }
    }
    return steps.isEmpty() ? Optional.empty() : Optional.of(new JsonPath(steps));
  }

  /** The value at the path, or null when there is none. */
  public JsonNode find(JsonNode root) {
    JsonNode node = root;
    for (Object step : steps) {
      if (node == null) {
        return null;
      }
      node = step instanceof Integer index ? (node.isArray() ? node.get(index) : null)
          : (node.isObject() ? node.get((String) step) : null);
    }
    return node == null || node.isMissingNode() ? null : node;
  }

  /** Sets the value at a path of field names, creating the objects on the way. */
  public void set(ObjectNode root, JsonNode value) {
    ObjectNode node = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      if (!(steps.get(i) instanceof String field)) {
        throw new IllegalArgumentException("not a path of fields: " + steps);
      }
      node = node.get(field) instanceof ObjectNode child ? child : node.putObject(field);
    }
    if (!(steps.get(steps.size() - 1) instanceof String last)) {
      throw new IllegalArgumentException("not a path of fields: " + steps);
    }
    node.set(last, value);
  }
}
