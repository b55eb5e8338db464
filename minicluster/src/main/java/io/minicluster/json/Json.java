package io.minicluster.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** The one JSON codec of the project: Kubernetes objects are handled as Jackson trees (like client-go's unstructured). */
public final class Json {
  /** Maximum nesting accepted in request bodies; deeper input is rejected as malformed, never a stack overflow. */
  public static final int MAX_NESTING_DEPTH = 200;

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
  }

  /** Go's encoding/json string escaping: HTML characters and the JavaScript line separators too, hex in lower case. */
  private static final ObjectWriter GO_WRITER = MAPPER.writer().with(new GoEscapes())
      .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE);

  /** json.MarshalIndent(v, "", "  "): two-space indentation, "key": value, one array element a line. */
  private static final ObjectWriter GO_INDENTED_WRITER = GO_WRITER.with(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  public static ObjectNode parseObject(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode parseObject(String text) {
    return parseObject(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The bytes Go's {@code json.NewEncoder(w).Encode(v)} writes, as the apiserver's JSON serializer sends objects,
   * lists, Status errors and watch events: compact, '<', '>', '&', U+2028 and U+2029 escaped as \\u003c and so on,
   * and a newline at the end.
   */
  public static byte[] encoded(JsonNode node) {
    try {
      byte[] bytes = GO_WRITER.writeValueAsBytes(node);
      byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
      line[bytes.length] = '\n';
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of Go's {@code json.MarshalIndent(v, "", "  ")}: indented, escaped as {@link #encoded}, no newline. */
  public static byte[] indented(JsonNode node) {
    try {
      return GO_INDENTED_WRITER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String string(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text of a field, or null when the field is absent or JSON null. */
  public static String text(JsonNode node, String... path) {
    JsonNode current = at(node, path);
    return current == null || current.isNull() || current.isMissingNode() ? null : current.asText();
  }

  /** The node at a path of field names, or null when any step is missing. */
  public static JsonNode at(JsonNode node, String... path) {
    JsonNode current = node;
    for (String name : path) {
      if (current == null || !current.isObject()) {
        return null;
      }
      current = current.get(name);
    }
    return current;
  }

  /** The object at a path, created (replacing non-objects) where missing. */
  public static ObjectNode with(ObjectNode node, String... path) {
    ObjectNode current = node;
    for (String name : path) {
      JsonNode child = current.get(name);
      if (!(child instanceof ObjectNode)) {
        child = current.putObject(name);
      }
      current = (ObjectNode) child;
    }
    return current;
  }

  /** The characters Go's encoder escapes beyond JSON's own: {@code <}, {@code >}, {@code &}, U+2028, U+2029. */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final int[] ASCII = asciiEscapes();
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    private static int[] asciiEscapes() {
      int[] escapes = standardAsciiEscapesForJSON();
      escapes['<'] = ESCAPE_STANDARD;
      escapes['>'] = ESCAPE_STANDARD;
      escapes['&'] = ESCAPE_STANDARD;
      return escapes;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case 0x2028 -> LINE_SEPARATOR;
        case 0x2029 -> PARAGRAPH_SEPARATOR;
        default -> null;
      };
    }
  }
}
