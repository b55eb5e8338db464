package io.minicluster.apiextensions.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The published forms of a schema: OpenAPI v3 as it is, and OpenAPI v2 as apiextensions-apiserver's
 * ToStructuralOpenAPIV2 converts it for kubectl (no allOf/anyOf/oneOf/not; nullable and preserve-unknown-fields
 * values untyped and without items or properties; nullable properties not required).
 */
final class OpenApi {
  private OpenApi() {}

  static ObjectNode v2(JsonNode schema) {
    ObjectNode out = schema.deepCopy();
    toV2(out);
    return out;
  }

  private static void toV2(ObjectNode s) {
    s.remove("allOf");
    s.remove("oneOf");
    s.remove("anyOf");
    s.remove("not");
    if (Nodes.flag(s, "nullable")) {
      s.remove("type");
      s.remove("nullable");
      s.remove("items");
      s.remove("properties");
    }
    boolean preserve = Nodes.flag(s, Nodes.PRESERVE_UNKNOWN_FIELDS);
    if (preserve) {
      s.remove("items");
      s.remove("properties");
    }
    if (Nodes.type(s).equals("array") && !s.has("items")) {
      s.remove("type");
    }
    if (preserve && Nodes.type(s).equals("object")) {
      s.remove("type");
    }
    JsonNode properties = Nodes.properties(s);
    if (properties != null && s.get("required") instanceof ArrayNode required) {
      for (int i = required.size() - 1; i >= 0; i--) {
        JsonNode property = properties.get(required.get(i).asText());
        if (property != null && Nodes.flag(property, "nullable")) {
          required.remove(i);
        }
      }
      if (required.isEmpty()) {
        s.remove("required");
      }
    }
    JsonNode additional = Nodes.additionalSchema(s);
    if (additional != null && Nodes.flag(additional, "nullable")) {
      s.remove("required");
    }
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        if (it.next().getValue() instanceof ObjectNode property) {
          toV2(property);
        }
      }
    }
    if (s.get("items") instanceof ObjectNode items) {
      toV2(items);
    }
    if (additional instanceof ObjectNode additionalSchema) {
      toV2(additionalSchema);
    }
  }
}
