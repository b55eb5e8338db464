package io.minicluster.json;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The one JSON codec of the project: Kubernetes objects are handled as Jackson trees (like client-go's unstructured). */
public final class Json {
  /** Maximum nesting accepted in request bodies; deeper input is rejected as malformed, never a stack overflow. */
  public static final int MAX_NESTING_DEPTH = 200;

  /**
   * How many sets of parser and generator buffers the process keeps for reuse. Jackson's default keeps one set per
   * thread, softly referenced (so kept while the heap has room), each grown to the largest document that thread
   * handled: with a few hundred request, watch and controller threads that was megabytes of idle buffers. A bounded
   * pool shared by every thread keeps at most this many; a thread finding it empty allocates fresh buffers.
   */
  public static final int POOLED_BUFFERS = 8;

  private static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.newBoundedPool(POOLED_BUFFERS);

  public static final ObjectMapper MAPPER = JsonMapper.builder(factory().build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  /** Go's encoding/json string escaping: HTML characters and the JavaScript line separators too, hex in lower case. */
  private static final ObjectWriter GO_WRITER = MAPPER.writer().with(new GoEscapes())
      .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE);

  /** json.MarshalIndent(v, "", "  "): two-space indentation, "key": value, one array element a line. */
  private static final ObjectWriter GO_INDENTED_WRITER = GO_WRITER.with(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private Json() {}

  /**
   * The settings every JSON factory of the project starts from: the nesting bound and the one shared buffer pool
   * ({@link #POOLED_BUFFERS}).
   */
  public static JsonFactoryBuilder factory() {
    return new JsonFactoryBuilder()
        .recyclerPool(BUFFERS)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
  }

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
    return parseObject(text.getBytes(StandardCharsets.UTF_8));
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

  /**
   * Encodes, as {@link #encoded} would, {@code head} with one more field, the array {@code field}, whose elements are
   * {@linkplain ArrayEncoder#add added} one at a time: each is encoded as it comes, so a long array (a delete
   * collection's objects) is never held as one tree.
   */
  public static ArrayEncoder arrayEncoder(ObjectNode head, String field) {
    return new ArrayEncoder(head, field);
  }

  /** See {@link #arrayEncoder}; not thread-safe. */
  public static final class ArrayEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final JsonGenerator generator;

    private ArrayEncoder(ObjectNode head, String field) {
      try {
        generator = GO_WRITER.createGenerator(out);
        generator.writeStartObject();
        for (Map.Entry<String, JsonNode> headField : head.properties()) {
          generator.writeFieldName(headField.getKey());
          GO_WRITER.writeValue(generator, headField.getValue());
        }
        generator.writeArrayFieldStart(field);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public void add(JsonNode element) {
      try {
        GO_WRITER.writeValue(generator, element);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The bytes, ending the array and the object (and a newline, as {@link #encoded}). */
    public byte[] finish() {
      try {
        generator.writeEndArray();
        generator.writeEndObject();
        generator.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.write('\n');
      return out.toByteArray();
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

  /** Text at a path of fields, or null when any step is absent or JSON null (the one accessor that tells "unset" apart). */
  public static String textOrNull(JsonNode node, String... path) {
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

  // Field accessors of wire trees. The convention: absent and JSON null both read as unset, and unset reads as
  // Go's zero value ("" , 0, false, empty list); the ...OrNull accessors are the ones that report unset as null.


  /**
   * Deep equality of JSON values as Go compares decoded values: numbers by value (trees built in code hold longs where
   * parsed ones hold ints; 1.0 equals 1), objects by their members whatever their order; null only equals null.
   */
  public static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!sameValue(field.getValue(), b.get(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** The child, or null when node is not an object or the child is absent or JSON null. */
  public static JsonNode get(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode child = node.get(field);
    return child == null || child.isNull() || child.isMissingNode() ? null : child;
  }

  public static boolean has(JsonNode node, String field) {
    return get(node, field) != null;
  }

  /** The text of a scalar child, or "" when unset (Go's zero value). */
  public static String text(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child == null || child.isContainerNode() ? "" : child.asText();
  }

  /** The child object, or null when unset or not an object. */
  public static ObjectNode object(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child instanceof ObjectNode object ? object : null;
  }

  /** The child's elements, empty when unset or not an array. */
  public static List<JsonNode> elements(JsonNode node, String field) {
    JsonNode child = get(node, field);
    List<JsonNode> result = new ArrayList<>();
    if (child instanceof ArrayNode array) {
      array.forEach(result::add);
    }
    return result;
  }

  /** The child's object elements (non-objects skipped). */
  public static List<ObjectNode> objects(JsonNode node, String field) {
    List<ObjectNode> result = new ArrayList<>();
    for (JsonNode element : elements(node, field)) {
      if (element instanceof ObjectNode object) {
        result.add(object);
      }
    }
    return result;
  }

  /** A numeric child as long, or the fallback when unset or not integral. */
  public static long number(JsonNode node, String field, long fallback) {
    JsonNode child = get(node, field);
    if (child == null || !child.isNumber()) {
      return fallback;
    }
    return child.asLong();
  }

  /** A numeric child, or null when unset. */
  public static Long numberOrNull(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child == null || !child.isNumber() ? null : child.asLong();
  }

  public static boolean bool(JsonNode node, String field) {
    JsonNode child = get(node, field);
    return child != null && child.asBoolean(false);
  }

  /** Sets a text field when it is unset or "". */
  public static void defaultText(ObjectNode node, String field, String value) {
    if (text(node, field).isEmpty()) {
      node.put(field, value);
    }
  }

  /** Sets a number field when it is unset. */
  public static void defaultNumber(ObjectNode node, String field, long value) {
    if (get(node, field) == null) {
      putNumber(node, field, value);
    }
  }

  /** Sets a number as an int node when it fits (as parsed JSON would be), else a long node. */
  public static void putNumber(ObjectNode node, String field, long value) {
    if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      node.put(field, (int) value);
    } else {
      node.put(field, value);
    }
  }

  /** Sets a boolean field when it is unset. */
  public static void defaultBoolean(ObjectNode node, String field, boolean value) {
    if (get(node, field) == null) {
      node.put(field, value);
    }
  }

  /** The child's field names (keys of a map-valued field), in document order. */
  public static List<String> keys(JsonNode node, String field) {
    JsonNode child = get(node, field);
    List<String> result = new ArrayList<>();
    if (child != null && child.isObject()) {
      child.fieldNames().forEachRemaining(result::add);
    }
    return result;
  }

  /** A string list child, empty when unset. */
  public static List<String> strings(JsonNode node, String field) {
    List<String> result = new ArrayList<>();
    for (JsonNode element : elements(node, field)) {
      result.add(element.asText());
    }
    return result;
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
