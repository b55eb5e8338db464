package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
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

  /** The struct Go's SimpleMetaFactory reads a body's apiVersion and kind into, as its decode errors name it. */
  public static final String TYPE_META_STRUCT = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
      + "Kind string \"json:\\\"kind,omitempty\\\"\" }";

  private static final String TYPE_META_ERROR = "couldn't get version/kind; json parse error: ";

  /** The scheme kube-apiserver decodes built-in kinds with, as its "not registered" errors name it. */
  private static final String SCHEME = "pkg/api/legacyscheme/scheme.go:30";

  /** How much of an unrecognized body its error message quotes (summarizeData). */
  private static final int SUMMARY_LENGTH = 30;

  /** Reads bodies without duplicate detection, otherwise configured as {@link Json#MAPPER}. */
  public static final ObjectMapper LENIENT_MAPPER = lenientMapper();

  private final String wireName;

  FieldValidation(String wireName) {
    this.wireName = wireName;
  }

  private static ObjectMapper lenientMapper() {
    return JsonMapper.builder(Json.factory().build())
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
    String apiVersion = Json.textOrNull(object, "apiVersion");
    String kind = Json.textOrNull(object, "kind");
    if (apiVersion == null || apiVersion.isEmpty() || kind == null || kind.isEmpty()) {
      return new Decoded(object, List.of());
    }
    return check(body, object, apiVersion, kind, kind);
  }

  /**
   * Decodes a create/update body for the type a URL addresses, as the apiserver's handlers decode one into that type
   * (a missing apiVersion or kind defaults to the addressed one) and word what they cannot decode
   * (handlers/rest.go transformDecodeError):
   *
   * <ul>
   *   <li>a body whose apiVersion and kind cannot even be read: {@code the object provided is unrecognized (must be
   *       of type <Kind>): couldn't get version/kind; json parse error: ... (<the body's start>)};
   *   <li>a body of a kind Kubernetes does not know: {@code <BodyKind> in version "<v>" cannot be handled as a
   *       <Kind>: no kind "<BodyKind>" is registered for version "<apiVersion>" in scheme "..."};
   *   <li>a body of another known kind: {@code ...: converting (v1.Pod) to (core.Namespace): unknown conversion};
   *   <li>another version of the addressed kind: {@code the API version in the data (<apiVersion>) does not match the
   *       expected API version (<target>)};
   *   <li>wrong value types and (Strict) unknown or duplicate fields as {@link #decode(byte[])}.
   * </ul>
   *
   * @throws ApiException 400 BadRequest for each of those
   */
  public Decoded decode(byte[] body, String targetApiVersion, String targetKind) {
    requireNonNull(body, "body is null");
    requireNonNull(targetApiVersion, "targetApiVersion is null");
    requireNonNull(targetKind, "targetKind is null");
    JsonNode tree;
    try {
      tree = LENIENT_MAPPER.readTree(body);
    } catch (IOException e) {
      throw unrecognized(targetKind, TYPE_META_ERROR + parseErrorMessage(e), body);
    }
    if (tree == null || tree.isMissingNode()) {
      throw unrecognized(targetKind, TYPE_META_ERROR + "unexpected end of JSON input", body);
    }
    if (tree.isNull()) {
      tree = Json.object();
    }
    if (!(tree instanceof ObjectNode object)) {
      throw unrecognized(targetKind, TYPE_META_ERROR + "json: cannot unmarshal " + StrictValidator.jsonType(tree)
          + " into Go value of type " + TYPE_META_STRUCT, body);
    }
    for (String field : List.of("apiVersion", "kind")) {
      JsonNode value = object.get(field);
      if (value != null && !value.isNull() && !value.isTextual()) {
        throw unrecognized(targetKind, TYPE_META_ERROR + "json: cannot unmarshal " + StrictValidator.jsonType(value)
            + " into Go struct field ." + field + " of type string", body);
      }
    }
    String apiVersion = Json.textOrNull(object, "apiVersion");
    String kind = Json.textOrNull(object, "kind");
    apiVersion = apiVersion == null || apiVersion.isEmpty() ? targetApiVersion : apiVersion;
    kind = kind == null || kind.isEmpty() ? targetKind : kind;
    if (apiVersion.equals(targetApiVersion) && kind.equals(targetKind)) {
      return check(body, object, apiVersion, kind, targetKind);
    }
    if (ApiDescriptors.find(apiVersion, kind).isEmpty()) {
      throw cannotBeHandled(apiVersion, kind, targetKind, "no kind \"" + kind + "\" is registered for version \""
          + apiVersion + "\" in scheme \"" + SCHEME + "\"");
    }
    if (!kind.equals(targetKind)) {
      // the body decodes as its own kind, which has no conversion into the addressed type
      List<String> typeErrors = StrictValidator.typeErrors(apiVersion, kind, object);
      String detail = !typeErrors.isEmpty() ? typeErrors.get(0) : "converting (" + versionOf(apiVersion) + "."
          + kind + ") to (" + internalPackage(GroupVersionKind.of(targetApiVersion, targetKind).group()) + "."
          + targetKind + "): unknown conversion";
      throw cannotBeHandled(apiVersion, kind, targetKind, detail);
    }
    // another version of the same kind converts, and is then refused for its version
    check(body, object, apiVersion, kind, targetKind);
    throw ApiException.badRequest("the API version in the data (" + apiVersion
        + ") does not match the expected API version (" + targetApiVersion + ")");
  }

  /** Type errors (always fatal), then unknown and duplicate fields under this directive. */
  private Decoded check(byte[] body, ObjectNode object, String apiVersion, String kind, String targetKind) {
    List<String> typeErrors = StrictValidator.typeErrors(apiVersion, kind, object);
    if (!typeErrors.isEmpty()) {
      throw cannotBeHandled(apiVersion, kind, targetKind, typeErrors.get(0));
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
      throw cannotBeHandled(apiVersion, kind, targetKind, "strict decoding error: " + String.join(", ", problems));
    }
    return new Decoded(object, problems);
  }

  /**
   * What this directive makes of the unknown fields a kind's own schema found in a decoded body (a custom resource's
   * structural schema, whose pruning would drop them): Ignore drops them silently, Warn returns one warning each
   * ({@code unknown field "spec.foo"}), Strict refuses the body as the apiserver's strict decoding does.
   *
   * @throws ApiException 400 under Strict: {@code CronTab in version "stable.example.com/v1" cannot be handled as a
   *     CronTab: strict decoding error: unknown field "spec.foo"}
   */
  public List<String> unknownFields(List<String> paths, String apiVersion, String kind) {
    if (this == IGNORE || paths.isEmpty()) {
      return List.of();
    }
    List<String> problems = paths.stream().map(path -> "unknown field \"" + path + "\"").toList();
    if (this == STRICT) {
      throw cannotBeHandled(apiVersion, kind, kind, "strict decoding error: " + String.join(", ", problems));
    }
    return problems;
  }

  /**
   * Checks an object for values of the wrong JSON type, as decoding it into its Go type would (a kind without a known
   * schema passes).
   *
   * @throws ApiException 400 as the apiserver answers a body with such a value: {@code ConfigMap in version "v1"
   *     cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.data of type
   *     map[string]string}
   */
  public static void checkTypes(String apiVersion, String kind, JsonNode object) {
    List<String> typeErrors = StrictValidator.typeErrors(apiVersion, kind, object);
    if (!typeErrors.isEmpty()) {
      throw cannotBeHandled(apiVersion, kind, typeErrors.get(0));
    }
  }

  /** The package name Go gives the apiserver's internal types of a group: core, apps, rbac, ... */
  static String internalPackage(String group) {
    if (group.isEmpty() || group.equals("events.k8s.io")) {
      return "core";
    }
    int dot = group.indexOf('.');
    return dot < 0 ? group : group.substring(0, dot);
  }

  private static String versionOf(String apiVersion) {
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }

  private static String parseErrorMessage(IOException e) {
    String message = e instanceof JsonProcessingException processing && processing.getOriginalMessage() != null
        ? processing.getOriginalMessage() : String.valueOf(e.getMessage());
    if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
      return "unexpected end of JSON input";
    }
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }

  /**
   * {@code the object provided is unrecognized (must be of type <Kind>): <detail> (<summary>)}: the apiserver's answer
   * to a body whose apiVersion and kind it could not read. The summary is the body's first 30 bytes, as text when it
   * starts with '{', else in hex, " ..." marking a cut, {@code <empty>} for no body.
   */
  public static ApiException unrecognized(String targetKind, String detail, byte[] body) {
    return ApiException.badRequest("the object provided is unrecognized (must be of type " + targetKind + "): "
        + detail + " (" + summary(body) + ")");
  }

  private static String summary(byte[] body) {
    if (body.length == 0) {
      return "<empty>";
    }
    byte[] head = Arrays.copyOf(body, Math.min(body.length, SUMMARY_LENGTH));
    String text = body[0] == '{' ? new String(head, StandardCharsets.UTF_8) : HexFormat.of().formatHex(head);
    return body.length > SUMMARY_LENGTH ? text + " ..." : text;
  }

  /** The apiserver's wording for a body of its own type its decoder rejected (handlers/rest.go transformDecodeError). */
  public static ApiException cannotBeHandled(String apiVersion, String kind, String detail) {
    return cannotBeHandled(apiVersion, kind, kind, detail);
  }

  /** {@code <Kind> in version "<v>" cannot be handled as a <TargetKind>: <detail>}. */
  public static ApiException cannotBeHandled(String apiVersion, String kind, String targetKind, String detail) {
    return ApiException.badRequest(kind + " in version \"" + versionOf(apiVersion) + "\" cannot be handled as a "
        + targetKind + ": " + detail);
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
