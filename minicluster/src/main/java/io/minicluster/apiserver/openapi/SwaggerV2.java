package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import io.minicluster.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Swagger 2.0 document served at {@code /openapi/v2}, as JSON or as the gnostic {@code openapi.v2.Document}
 * protobuf that kubectl up to 1.26 asks for ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}).
 *
 * <p>Old kubectl validates manifests against its {@code definitions} and explains fields from them: it finds each
 * object's model through the {@code x-kubernetes-group-version-kind} extension and reports unknown fields, wrong
 * types and missing required fields client-side, as against a real cluster. The definitions are the OpenAPI v3
 * schemas ({@link OpenApi#allSchemas}) in their v2 form, with their descriptions and patch strategies.
 *
 * <p>The {@code paths} ({@link SwaggerPaths}) list the operations of every served resource. {@code kubectl apply}
 * (1.20, and newer ones, whose v3 patch operations have no request body) builds its strategic merge patch from the
 * definitions when a PATCH consumes {@code application/strategic-merge-patch+json}: the
 * {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key} extensions make it merge lists by key
 * as the server does.
 *
 * <p>Built once on first use; thread-safe.
 */
public final class SwaggerV2 {
  /**
   * The Content-Type of the protobuf form, as the apiserver sends it: clients ask with
   * {@code ...spec.v2@v1.0+protobuf}, but Go's mime parser rejects the "@" in a response type.
   */
  public static final String PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private static final String V3_REF_PREFIX = ComponentSchemas.REF_PREFIX;
  private static final String V2_REF_PREFIX = "#/definitions/";

  private final OpenApi openApi;
  private ObjectNode document;
  private byte[] json;
  private byte[] protobuf;

  public SwaggerV2(OpenApi openApi) {
    this.openApi = requireNonNull(openApi, "openApi is null");
  }

  /** The document as a JSON tree (a copy). */
  public ObjectNode tree() {
    return build().deepCopy();
  }

  /** The JSON form, ready to send. */
  public synchronized byte[] json() {
    build();
    return json.clone();
  }

  /** The gnostic protobuf form, ready to send. */
  public synchronized byte[] protobuf() {
    build();
    return protobuf.clone();
  }

  private synchronized ObjectNode build() {
    if (document == null) {
      ObjectNode built = Json.object();
      built.put("swagger", "2.0");
      ObjectNode info = built.putObject("info");
      info.put("title", "Kubernetes");
      info.put("version", OpenApi.KUBERNETES_VERSION);
      SwaggerPaths paths = SwaggerPaths.of(openApi.types());
      built.set("paths", paths.paths());
      Map<String, ObjectNode> schemas = new TreeMap<>(openApi.allSchemas());
      openApi.schemasOf(paths.schemas().values()).forEach(schemas::putIfAbsent);
      ObjectNode patch = Json.object();
      patch.put("description", "The body of a PATCH request, in the format its Content-Type names: a JSON patch, "
          + "a JSON merge patch, a strategic merge patch or an apply configuration.");
      patch.put("type", "object");
      schemas.put(SwaggerPaths.PATCH_DEFINITION, patch);
      ObjectNode definitions = built.putObject("definitions");
      for (Map.Entry<String, ObjectNode> entry : schemas.entrySet()) {
        definitions.set(entry.getKey(), convert(entry.getValue()));
      }
      json = Json.bytes(built);
      protobuf = Protobuf.document(built);
      document = built;
    }
    return document;
  }

  /**
   * A v3 schema in its v2 form: references point at {@code #/definitions/} and stand alone (no {@code allOf}
   * wrapper), {@code oneOf} alternatives (Quantity, IntOrString) become the string they are sent as, and an object
   * without properties is a map of anything (old kubectl rejects an object with neither).
   */
  static ObjectNode convert(JsonNode v3) {
    ObjectNode v2 = Json.object();
    JsonNode allOf = v3.get("allOf");
    if (allOf != null && allOf.size() == 1 && allOf.get(0).has("$ref")) {
      v2.put("$ref", reference(allOf.get(0).get("$ref").asText()));
      v3.fields().forEachRemaining(field -> {
        if (field.getKey().equals("description") || field.getKey().startsWith("x-kubernetes-patch-")) {
          v2.set(field.getKey(), field.getValue().deepCopy());
        }
      });
      return v2;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = v3.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "$ref" -> v2.put("$ref", reference(value.asText()));
        case "oneOf" -> v2.put("type", "string");
        case "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields" -> {
          // v3-only markers: v2 says the same with format: int-or-string and a map of anything
        }
        case "items", "additionalProperties" -> v2.set(name, convert(value));
        case "properties" -> {
          ObjectNode properties = v2.putObject("properties");
          value.fields().forEachRemaining(property -> properties.set(property.getKey(), convert(property.getValue())));
        }
        default -> v2.set(name, value.deepCopy());
      }
    }
    if ("object".equals(v2.path("type").asText()) && !v2.has("properties") && !v2.has("additionalProperties")) {
      v2.putObject("additionalProperties");
    }
    return v2;
  }

  private static String reference(String v3Reference) {
    return v3Reference.startsWith(V3_REF_PREFIX)
        ? V2_REF_PREFIX + v3Reference.substring(V3_REF_PREFIX.length())
        : v3Reference;
  }

  /**
   * Encodes the Swagger tree as gnostic's {@code openapi.v2.Document} (field numbers from gnostic's
   * {@code openapiv2/OpenAPIv2.proto}). Only what the document uses is encoded: swagger, info, definitions and, in
   * schemas, $ref, format, description, required, enum-free primitives, additionalProperties, type, items,
   * properties and vendor extensions (whose values are carried as YAML; JSON text is valid YAML); paths with their
   * operations, body, query and path parameters and responses.
   */
  static final class Protobuf {
    private Protobuf() {}

    static byte[] document(ObjectNode document) {
      return message(out -> {
        out.writeString(1, document.path("swagger").asText());
        JsonNode info = document.path("info");
        out.writeByteArray(2, message(infoOut -> {
          infoOut.writeString(1, info.path("title").asText());
          infoOut.writeString(2, info.path("version").asText());
        }));
        JsonNode paths = document.path("paths");
        out.writeByteArray(8, message(pathsOut -> {
          Iterator<Map.Entry<String, JsonNode>> entries = paths.fields();
          while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            byte[] item = pathItem(entry.getValue());
            pathsOut.writeByteArray(2, message(named -> {
              named.writeString(1, entry.getKey());
              named.writeByteArray(2, item);
            }));
          }
        }));
        JsonNode definitions = document.path("definitions");
        out.writeByteArray(9, message(definitionsOut -> {
          Iterator<Map.Entry<String, JsonNode>> entries = definitions.fields();
          while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            definitionsOut.writeByteArray(1, namedSchema(entry.getKey(), entry.getValue()));
          }
        }));
      });
    }

    private static byte[] namedSchema(String name, JsonNode schema) throws IOException {
      return message(out -> {
        out.writeString(1, name);
        out.writeByteArray(2, schema(schema));
      });
    }

    static byte[] schema(JsonNode schema) throws IOException {
      return message(out -> {
        writeText(out, 1, schema.get("$ref"));
        writeText(out, 2, schema.get("format"));
        writeText(out, 4, schema.get("description"));
        JsonNode required = schema.get("required");
        if (required != null) {
          for (JsonNode name : required) {
            out.writeString(19, name.asText());
          }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
          byte[] value = schema(additional);
          out.writeByteArray(21, message(item -> item.writeByteArray(1, value)));
        }
        JsonNode type = schema.get("type");
        if (type != null) {
          out.writeByteArray(22, message(item -> item.writeString(1, type.asText())));
        }
        JsonNode items = schema.get("items");
        if (items != null) {
          byte[] value = schema(items);
          out.writeByteArray(23, message(item -> item.writeByteArray(1, value)));
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
          out.writeByteArray(25, message(propertiesOut -> {
            Iterator<Map.Entry<String, JsonNode>> entries = properties.fields();
            while (entries.hasNext()) {
              Map.Entry<String, JsonNode> entry = entries.next();
              propertiesOut.writeByteArray(1, namedSchema(entry.getKey(), entry.getValue()));
            }
          }));
        }
        writeExtensions(out, 31, schema);
      });
    }

    /** A PathItem: its operations by method, then the parameters they share. */
    private static byte[] pathItem(JsonNode item) {
      return message(out -> {
        String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
        for (int i = 0; i < methods.length; i++) {
          JsonNode operation = item.get(methods[i]);
          if (operation != null) {
            out.writeByteArray(2 + i, operation(operation));
          }
        }
        for (JsonNode parameter : item.path("parameters")) {
          out.writeByteArray(9, parameter(parameter));
        }
      });
    }

    private static byte[] operation(JsonNode operation) {
      return message(out -> {
        writeStrings(out, 1, operation.get("tags"));
        writeText(out, 3, operation.get("description"));
        writeText(out, 5, operation.get("operationId"));
        writeStrings(out, 6, operation.get("produces"));
        writeStrings(out, 7, operation.get("consumes"));
        for (JsonNode parameter : operation.path("parameters")) {
          out.writeByteArray(8, parameter(parameter));
        }
        JsonNode responses = operation.path("responses");
        out.writeByteArray(9, message(responsesOut -> {
          Iterator<Map.Entry<String, JsonNode>> codes = responses.fields();
          while (codes.hasNext()) {
            Map.Entry<String, JsonNode> code = codes.next();
            byte[] response = response(code.getValue());
            responsesOut.writeByteArray(1, message(named -> {
              named.writeString(1, code.getKey());
              named.writeByteArray(2, message(value -> value.writeByteArray(1, response)));
            }));
          }
        }));
        writeStrings(out, 10, operation.get("schemes"));
        writeExtensions(out, 13, operation);
      });
    }

    private static byte[] response(JsonNode response) throws IOException {
      JsonNode schema = response.get("schema");
      byte[] schemaBytes = schema == null ? null : schema(schema);
      return message(out -> {
        writeText(out, 1, response.get("description"));
        if (schemaBytes != null) {
          out.writeByteArray(2, message(item -> item.writeByteArray(1, schemaBytes)));
        }
      });
    }

    /** A ParametersItem holding a Parameter: a BodyParameter, or a query or path NonBodyParameter. */
    private static byte[] parameter(JsonNode parameter) throws IOException {
      String in = parameter.path("in").asText();
      byte[] inner;
      if (in.equals("body")) {
        byte[] schema = schema(parameter.path("schema"));
        inner = message(out -> out.writeByteArray(1, message(body -> {
          writeText(body, 1, parameter.get("description"));
          writeText(body, 2, parameter.get("name"));
          writeText(body, 3, parameter.get("in"));
          writeBool(body, 4, parameter.get("required"));
          body.writeByteArray(5, schema);
        })));
      } else {
        boolean query = in.equals("query");
        inner = message(out -> out.writeByteArray(2, message(nonBody -> nonBody.writeByteArray(query ? 3 : 4,
            message(sub -> {
              writeBool(sub, 1, parameter.get("required"));
              writeText(sub, 2, parameter.get("in"));
              writeText(sub, 3, parameter.get("description"));
              writeText(sub, 4, parameter.get("name"));
              writeText(sub, query ? 6 : 5, parameter.get("type"));
              writeBool(sub, query ? 20 : 19, parameter.get("uniqueItems"));
            })))));
      }
      return message(out -> out.writeByteArray(1, inner));
    }

    /** The x- fields of a node as NamedAny vendor extensions (values as YAML; JSON text is valid YAML). */
    private static void writeExtensions(CodedOutputStream out, int field, JsonNode node) throws IOException {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        if (entry.getKey().startsWith("x-")) {
          String yaml = new String(Json.bytes(entry.getValue()), StandardCharsets.UTF_8);
          out.writeByteArray(field, message(named -> {
            named.writeString(1, entry.getKey());
            named.writeByteArray(2, message(any -> any.writeString(2, yaml)));
          }));
        }
      }
    }

    private static void writeStrings(CodedOutputStream out, int field, JsonNode values) throws IOException {
      if (values != null) {
        for (JsonNode value : values) {
          out.writeString(field, value.asText());
        }
      }
    }

    private static void writeBool(CodedOutputStream out, int field, JsonNode value) throws IOException {
      if (value != null && value.asBoolean()) {
        out.writeBool(field, true);
      }
    }

    private static void writeText(CodedOutputStream out, int field, JsonNode value) throws IOException {
      if (value != null && !value.asText().isEmpty()) {
        out.writeString(field, value.asText());
      }
    }

    interface Fields {
      void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
