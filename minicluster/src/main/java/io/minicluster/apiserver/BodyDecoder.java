package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Turns request bodies (JSON, YAML, protobuf) into objects, applying fieldValidation (Strict, Warn, Ignore) as the
 * apiserver does: unknown and duplicate fields are errors under Strict, warnings under Warn.
 */
public final class BodyDecoder {
  public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  private final Plugins.ProtobufDecoder protobuf;

  public BodyDecoder(Plugins.ProtobufDecoder protobuf) {
    this.protobuf = requireNonNull(protobuf, "protobuf is null");
  }

  /** A decoded body and the warnings it produced. */
  public record Decoded(ObjectNode object, List<String> warnings) {}

  /** The media type without parameters, lower case; "application/json" when absent. */
  public static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return "application/json";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Decodes a create/update body for a resource type, with the apiserver's errors for bodies it cannot decode into
   * that type (see {@link FieldValidation#decode(byte[], String, String)}).
   *
   * @param fieldValidation Strict, Warn or Ignore (null or empty = Warn, the apiserver's default)
   */
  public Decoded decode(ResourceType type, String contentType, byte[] body, String fieldValidation) {
    return decode(type.apiVersion(), type.kind(), contentType, body, fieldValidation);
  }

  /** As {@link #decode(ResourceType, String, byte[], String)} for a type addressed by apiVersion and kind. */
  public Decoded decode(String apiVersion, String kind, String contentType, byte[] body, String fieldValidation) {
    FieldValidation mode = FieldValidation.parse(fieldValidation);
    String media = mediaType(contentType);
    if (body.length == 0) {
      throw FieldValidation.unrecognized(kind,
          "couldn't get version/kind; json parse error: unexpected end of JSON input", body);
    }
    byte[] json;
    switch (media) {
      case "application/json", "*/*", "text/plain" -> json = body;
      case "application/yaml", "application/x-yaml", "text/yaml" -> json = Json.bytes(parseYaml(apiVersion, kind,
          body));
      case PROTOBUF -> {
        return new Decoded(protobuf.decode(body), List.of());
      }
      default -> throw ApiException.unsupportedMediaType(contentType);
    }
    FieldValidation.Decoded decoded = mode.decode(json, apiVersion, kind);
    return new Decoded(decoded.object(), decoded.warnings());
  }

  /** Parses any JSON or YAML object body without schema checks (patches, options). */
  public static JsonNode parseAny(String contentType, byte[] body) {
    String media = mediaType(contentType);
    try {
      if (media.contains("yaml")) {
        return yamlToJson(body);
      }
      return Json.MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest("the request body is nested too deeply");
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest("error decoding request body: " + shortMessage(e));
    }
  }

  /** A YAML body as a JSON object; YAML the apiserver could not turn into one is "unrecognized", as there. */
  private ObjectNode parseYaml(String apiVersion, String kind, byte[] body) {
    JsonNode node;
    try {
      node = yamlToJson(body);
    } catch (RuntimeException e) {
      String message = shortMessage(e);
      if (message.contains("found duplicate key")) {
        throw FieldValidation.cannotBeHandled(apiVersion, kind, "strict decoding error: yaml: " + message);
      }
      throw FieldValidation.unrecognized(kind, "yaml: " + message, body);
    }
    if (node instanceof ObjectNode object) {
      return object;
    }
    if (node == null || node.isNull()) {
      return Json.object();
    }
    throw FieldValidation.unrecognized(kind, "couldn't get version/kind; json parse error: json: cannot "
        + "unmarshal " + (node.isArray() ? "array" : node.isTextual() ? "string" : node.isBoolean() ? "bool"
        : "number") + " into Go value of type " + FieldValidation.TYPE_META_STRUCT, body);
  }

  /** YAML (one document) to a JSON tree, with limits against alias bombs and deep nesting. */
  public static JsonNode yamlToJson(byte[] body) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(100);
    options.setNestingDepthLimit(Json.MAX_NESTING_DEPTH);
    options.setCodePointLimit(4 * 1024 * 1024);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    Object value = yaml.load(new String(body, StandardCharsets.UTF_8));
    // aliases share nodes: count nodes as they are expanded so that an alias bomb cannot exhaust memory
    long[] budget = {Math.max(100_000L, 4L * body.length)};
    return Json.MAPPER.valueToTree(normalizeYaml(value, 0, budget));
  }

  /** Converts SnakeYAML values to JSON-compatible ones (dates to strings, non-string keys to strings). */
  private static Object normalizeYaml(Object value, int depth, long[] budget) {
    if (depth > Json.MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException("the document is nested too deeply");
    }
    if (--budget[0] < 0) {
      throw new IllegalArgumentException("the document expands to too many nodes (YAML aliases)");
    }
    if (value instanceof Map<?, ?> map) {
      LinkedHashMap<String, Object> result = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        result.put(String.valueOf(entry.getKey()), normalizeYaml(entry.getValue(), depth + 1, budget));
      }
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>(list.size());
      for (Object item : list) {
        result.add(normalizeYaml(item, depth + 1, budget));
      }
      return result;
    }
    if (value instanceof Date date) {
      return DateTimeFormatter.ISO_INSTANT.format(date.toInstant());
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return value;
  }

  static String shortMessage(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }
}
