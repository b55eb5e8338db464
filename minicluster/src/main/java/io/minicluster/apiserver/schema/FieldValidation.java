package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code fieldValidation} query parameter (Strict, Warn, Ignore) and the decoding of request bodies under it, as
 * the apiserver's create/update handlers do: a body is decoded leniently (duplicate keys: the last one wins, as in
 * Go), values of the wrong type are always rejected, and unknown or duplicate fields are rejected (Strict), reported
 * as warnings (Warn, the default) or ignored (Ignore).
 */
public enum FieldValidation {
  STRICT("Strict"),
  WARN("Warn"),
  IGNORE("Ignore");

  /** Reads bodies without duplicate detection, otherwise configured as {@link Json#MAPPER}. */
  public static final ObjectMapper LENIENT_MAPPER = lenientMapper();

  private final String wireName;

  FieldValidation(String wireName) {
    this.wireName = wireName;
  }

  private static ObjectMapper lenientMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_NESTING_DEPTH).build())
        .build();
    return JsonMapper.builder(factory)
        .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .build();
  }

  public String wireName() {
    return wireName;
  }

  /**
   * The directive of a query parameter value; null or empty means the server default, Warn.
   *
   * @throws ApiException 400 for any other value
   */
  public static FieldValidation parse(String value) {
    if (value == null || value.isEmpty()) {
      return WARN;
    }
    for (FieldValidation directive : values()) {
      if (directive.wireName.equals(value)) {
        return directive;
      }
    }
    throw ApiException.badRequest("fieldValidation parameter unsupported: " + value
        + ". Allowed values are: Ignore, Warn, Strict");
  }

  /** A decoded body and the warnings to send back ({@code Warning: 299 - "..."} headers) under Warn. */
  public record Decoded(ObjectNode object, List<String> warnings) {
    public Decoded {
      requireNonNull(object, "object is null");
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Decodes a JSON body under this directive, checking it against the schema of its own apiVersion and kind.
   *
   * @throws ApiException 400 BadRequest for malformed JSON, wrong value types, and (Strict) unknown or duplicate
   *     fields, worded as the apiserver words them
   */
  public Decoded decode(byte[] body) {
    return decode(body, null, null);
  }

  /**
   * As {@link #decode(byte[])}, checking against defaultApiVersion/defaultKind (the type the URL addresses) when the
   * body does not name its own apiVersion or kind, as the apiserver's decoder defaults them.
   */
  public Decoded decode(byte[] body, String defaultApiVersion, String defaultKind) {
    requireNonNull(body, "body is null");
    JsonNode tree;
    try {
      tree = LENIENT_MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("error decoding request body: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode object)) {
      throw ApiException.badRequest("the body of the request is not a JSON object");
    }
    String apiVersion = Json.text(object, "apiVersion");
    String kind = Json.text(object, "kind");
    apiVersion = apiVersion == null || apiVersion.isEmpty() ? defaultApiVersion : apiVersion;
    kind = kind == null || kind.isEmpty() ? defaultKind : kind;
    if (apiVersion == null || kind == null) {
      return new Decoded(object, List.of());
    }
    List<String> typeErrors = StrictValidator.typeErrors(apiVersion, kind, object);
    if (!typeErrors.isEmpty()) {
      throw cannotBeHandled(apiVersion, kind, typeErrors.get(0));
    }
    if (this == IGNORE) {
      return new Decoded(object, List.of());
    }
    List<String> problems = new ArrayList<>();
    for (String path : duplicateFields(body)) {
      problems.add("duplicate field \"" + path + "\"");
    }
    problems.addAll(StrictValidator.unknownFieldMessages(apiVersion, kind, object));
    if (problems.isEmpty()) {
      return new Decoded(object, List.of());
    }
    if (this == STRICT) {
      throw strictError(apiVersion, kind, problems);
    }
    return new Decoded(object, problems);
  }

  /**
   * {@code <Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: <problems, comma-joined>}.
   */
  public static ApiException strictError(String apiVersion, String kind, List<String> problems) {
    return cannotBeHandled(apiVersion, kind, "strict decoding error: " + String.join(", ", problems));
  }

  /** The apiserver's wording for a body its decoder rejected (handlers/rest.go transformDecodeError). */
  public static ApiException cannotBeHandled(String apiVersion, String kind, String detail) {
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": "
        + detail);
  }

  /** A {@code Warning} header value for a message: {@code 299 - "unknown field \"spec.foo\""}. */
  public static String warningHeader(String message) {
    return "299 - \"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Paths of keys that appear twice in the same JSON object ({@code metadata.name}, {@code spec.containers[0].name}),
   * in document order, each once; empty for malformed input (the tree parser reports that).
   */
  public static List<String> duplicateFields(byte[] body) {
    Set<String> duplicates = new LinkedHashSet<>();
    try (JsonParser parser = LENIENT_MAPPER.getFactory().createParser(body)) {
      Deque<Frame> stack = new ArrayDeque<>();
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Frame top = stack.peek();
        switch (token) {
          case FIELD_NAME -> {
            String name = parser.currentName();
            top.field = name;
            if (!top.seen.add(name)) {
              duplicates.add(top.childPath());
            }
          }
          case START_OBJECT -> stack.push(new Frame(top == null ? "" : top.childPath(), false));
          case START_ARRAY -> stack.push(new Frame(top == null ? "" : top.childPath(), true));
          case END_OBJECT, END_ARRAY -> {
            stack.pop();
            advance(stack.peek());
          }
          default -> advance(top);
        }
      }
    } catch (IOException e) {
      return List.copyOf(duplicates);
    }
    return List.copyOf(duplicates);
  }

  private static void advance(Frame frame) {
    if (frame != null && frame.array) {
      frame.index++;
    }
  }

  /** One open object or array while scanning for duplicates. */
  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> seen = new HashSet<>();
    String field;
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String childPath() {
      if (array) {
        return path + "[" + index + "]";
      }
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
