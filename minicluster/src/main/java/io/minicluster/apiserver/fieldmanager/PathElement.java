package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a field path, as structured-merge-diff's fieldpath.PathElement: a struct or map field
 * ({@code f:name}), an associative list item by its keys ({@code k:{"name":"nginx"}}), a set item by its value
 * ({@code v:"a"}) or a list item by index ({@code i:0}). The text is the canonical JSON of the key or value, so
 * elements compare and hash by their encoding.
 *
 * @param kind the kind of step
 * @param text the field name, the compact JSON of the key object (fields sorted) or value, or the index
 */
public record PathElement(Kind kind, String text) implements Comparable<PathElement> {

  /** The kinds of step, in the order structured-merge-diff sorts them. */
  public enum Kind {
    FIELD("f:"), KEY("k:"), VALUE("v:"), INDEX("i:");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  public PathElement {
    requireNonNull(kind, "kind is null");
    requireNonNull(text, "text is null");
  }

  public static PathElement field(String name) {
    return new PathElement(Kind.FIELD, name);
  }

  /** The item of an associative list whose key fields have these values (sorted by field name). */
  public static PathElement key(Map<String, JsonNode> key) {
    ObjectNode sorted = Json.object();
    new TreeMap<>(key).forEach(sorted::set);
    return new PathElement(Kind.KEY, Json.string(sorted));
  }

  public static PathElement value(JsonNode value) {
    return new PathElement(Kind.VALUE, Json.string(value));
  }

  public static PathElement index(int index) {
    return new PathElement(Kind.INDEX, Integer.toString(index));
  }

  /** The element as a fieldsV1 key ({@code f:name}, {@code k:{...}}, {@code v:...}, {@code i:0}). */
  public String encode() {
    return kind.prefix + text;
  }

  /**
   * The element of a fieldsV1 key.
   *
   * @throws IllegalArgumentException when the key is not of one of the four forms
   */
  public static PathElement decode(String encoded) {
    for (Kind kind : Kind.values()) {
      if (encoded.startsWith(kind.prefix)) {
        String text = encoded.substring(kind.prefix.length());
        return switch (kind) {
          case FIELD -> field(text);
          case KEY -> {
            JsonNode key = parse(text);
            if (!(key instanceof ObjectNode object)) {
              throw new IllegalArgumentException("expected key fields in " + encoded);
            }
            Map<String, JsonNode> fields = new TreeMap<>();
            object.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
            yield key(fields);
          }
          case VALUE -> value(parse(text));
          case INDEX -> {
            try {
              yield index(Integer.parseInt(text));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("invalid index in " + encoded);
            }
          }
        };
      }
    }
    throw new IllegalArgumentException("unknown path element prefix in " + encoded);
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty value");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid JSON " + text);
    }
  }

  /** The key fields of a KEY element, in name order. */
  public List<Map.Entry<String, JsonNode>> keyFields() {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    if (kind == Kind.KEY) {
      parse(text).fields().forEachRemaining(fields::add);
    }
    return fields;
  }

  /** As fieldpath prints it: {@code .name}, {@code [name="nginx",port=80]}, {@code [="a"]}, {@code [0]}. */
  @Override
  public String toString() {
    return switch (kind) {
      case FIELD -> "." + text;
      case KEY -> {
        List<String> parts = new ArrayList<>();
        keyFields().forEach(field -> parts.add(field.getKey() + "=" + Json.string(field.getValue())));
        yield "[" + String.join(",", parts) + "]";
      }
      case VALUE -> "[=" + text + "]";
      case INDEX -> "[" + text + "]";
    };
  }

  @Override
  public int compareTo(PathElement other) {
    int byKind = kind.compareTo(other.kind);
    if (byKind != 0) {
      return byKind;
    }
    if (kind == Kind.INDEX) {
      return Integer.compare(Integer.parseInt(text), Integer.parseInt(other.text));
    }
    return text.compareTo(other.text);
  }
}
