package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  private final Plugins.UnknownFieldFinder unknownFields;

  public BodyDecoder(Plugins.ProtobufDecoder protobuf, Plugins.UnknownFieldFinder unknownFields) {
    this.protobuf = requireNonNull(protobuf, "protobuf is null");
    this.unknownFields = requireNonNull(unknownFields, "unknownFields is null");
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
   * Decodes a create/update body for a resource type.
   *
   * @param fieldValidation Strict, Warn or Ignore (null = Warn, the apiserver's default)
   */
  public Decoded decode(ResourceType type, String contentType, byte[] body, String fieldValidation) {
    String mode = fieldValidation == null || fieldValidation.isEmpty() ? "Warn" : fieldValidation;
    if (!mode.equals("Strict") && !mode.equals("Warn") && !mode.equals("Ignore")) {
      throw ApiException.badRequest("fieldValidation must be one of Ignore, Warn, Strict (got " + mode + ")");
    }
    String media = mediaType(contentType);
    List<String> problems = new ArrayList<>();
    ObjectNode object;
    switch (media) {
      case "application/json", "*/*", "text/plain" -> object = parseJson(type, body, problems);
      case "application/yaml", "application/x-yaml", "text/yaml" -> object = parseYaml(type, body, problems);
      case PROTOBUF -> object = protobuf.decode(body);
      default -> throw ApiException.unsupportedMediaType(contentType);
    }
    if (!mode.equals("Ignore") && !media.equals(PROTOBUF)) {
      String apiVersion = Json.text(object, "apiVersion");
      String kind = Json.text(object, "kind");
      for (String field : unknownFields.unknownFields(
          apiVersion == null ? type.apiVersion() : apiVersion, kind == null ? type.kind() : kind, object)) {
        problems.add("unknown field \"" + field + "\"");
      }
    }
    if (problems.isEmpty() || mode.equals("Ignore")) {
      return new Decoded(object, List.of());
    }
    if (mode.equals("Strict")) {
      throw ApiException.badRequest(cannotHandle(type) + "strict decoding error: " + String.join(", ", problems));
    }
    return new Decoded(object, problems);
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

  private static String cannotHandle(ResourceType type) {
    return type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
  }

  private ObjectNode parseJson(ResourceType type, byte[] body, List<String> problems) {
    if (body.length == 0) {
      throw ApiException.badRequest(cannotHandle(type) + "no body was provided");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest(cannotHandle(type) + "the object is nested too deeply");
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
        // parse again without duplicate detection; report the duplicate (last one wins, as in Go)
        problems.add("duplicate field \"" + duplicateName(e) + "\"");
        node = parseLenient(type, body);
      } else {
        throw ApiException.badRequest(cannotHandle(type) + "json parse error: " + shortMessage(e));
      }
    } catch (IOException e) {
      throw ApiException.badRequest(cannotHandle(type) + "json parse error: " + shortMessage(e));
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest(cannotHandle(type) + "the body must be a JSON object");
    }
    return object;
  }

  private static String duplicateName(com.fasterxml.jackson.core.JsonParseException e) {
    String message = e.getOriginalMessage();
    int first = message.indexOf('\'');
    int last = message.lastIndexOf('\'');
    String field = first >= 0 && last > first ? message.substring(first + 1, last) : "?";
    StringBuilder path = new StringBuilder();
    try {
      JsonParser parser = e.getProcessor();
      if (parser != null) {
        com.fasterxml.jackson.core.JsonStreamContext context = parser.getParsingContext().getParent();
        List<String> parts = new ArrayList<>();
        while (context != null && !context.inRoot()) {
          if (context.inArray()) {
            parts.add(0, "[" + context.getCurrentIndex() + "]");
          } else if (context.getCurrentName() != null) {
            parts.add(0, "." + context.getCurrentName());
          }
          context = context.getParent();
        }
        for (String part : parts) {
          path.append(part);
        }
      }
    } catch (RuntimeException ignored) {
      // best effort
    }
    String prefix = path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  private static ObjectNode parseLenient(ResourceType type, byte[] body) {
    try {
      JsonParser parser = Json.MAPPER.getFactory().createParser(body);
      parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonNode node = Json.MAPPER.readTree(parser);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw ApiException.badRequest(cannotHandle(type) + "the body must be a JSON object");
    } catch (IOException e) {
      throw ApiException.badRequest(cannotHandle(type) + "json parse error: " + shortMessage(e));
    }
  }

  private ObjectNode parseYaml(ResourceType type, byte[] body, List<String> problems) {
    try {
      JsonNode node = yamlToJson(body);
      if (!(node instanceof ObjectNode object)) {
        throw ApiException.badRequest(cannotHandle(type) + "the body must be a YAML mapping");
      }
      return object;
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      String message = shortMessage(e);
      if (message.contains("found duplicate key")) {
        throw ApiException.badRequest(cannotHandle(type) + "strict decoding error: yaml: " + message);
      }
      throw ApiException.badRequest(cannotHandle(type) + "yaml: " + message);
    }
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
    return Json.MAPPER.valueToTree(normalizeYaml(value, 0));
  }

  /** Converts SnakeYAML values to JSON-compatible ones (dates to strings, non-string keys to strings). */
  private static Object normalizeYaml(Object value, int depth) {
    if (depth > Json.MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException("the document is nested too deeply");
    }
    if (value instanceof java.util.Map<?, ?> map) {
      java.util.LinkedHashMap<String, Object> result = new java.util.LinkedHashMap<>();
      for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
        result.put(String.valueOf(entry.getKey()), normalizeYaml(entry.getValue(), depth + 1));
      }
      return result;
    }
    if (value instanceof java.util.List<?> list) {
      List<Object> result = new ArrayList<>(list.size());
      for (Object item : list) {
        result.add(normalizeYaml(item, depth + 1));
      }
      return result;
    }
    if (value instanceof java.util.Date date) {
      return java.time.format.DateTimeFormatter.ISO_INSTANT.format(date.toInstant());
    }
    if (value instanceof byte[] bytes) {
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
    return value;
  }

  static String shortMessage(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }
}
