package io.minicluster.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

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
}
