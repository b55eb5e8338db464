package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.apiextensions.schema.StructuralSchema;
import io.minicluster.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OpenAPI of the served custom resources beside the built-in one, as apiextensions-apiserver publishes it
 * (controller/openapi/builder): per served version a schema named after the reversed group ({@code
 * com.example.stable.v1.CronTab}), the version's openAPIV3Schema with apiVersion, kind and metadata (a reference to
 * ObjectMeta) and its x-kubernetes-group-version-kind, and the List schema; one v3 document per group-version, listed
 * in the v3 root, and the definitions added to v2. Documents are rebuilt when the served definitions change. No
 * operations are published (kubectl then patches custom resources with a JSON merge patch, as it must).
 */
public final class CustomResourceOpenApi {
  private static final String API_VERSION_DESCRIPTION = "APIVersion defines the versioned schema of this "
      + "representation of an object. Servers should convert recognized schemas to the latest internal value, and may "
      + "reject unrecognized values. More info: "
      + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
  private static final String KIND_DESCRIPTION = "Kind is a string value representing the REST resource this object "
      + "represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In "
      + "CamelCase. More info: "
      + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
  private static final String METADATA_DESCRIPTION = "Standard object's metadata. More info: "
      + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
  private static final String LIST_METADATA_DESCRIPTION = "Standard list metadata. More info: "
      + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#lists-and-kinds";
  private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  private static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

  private final OpenApi builtIn;
  private final SwaggerV2 v2;
  private final CustomResources resources;
  private volatile Documents documents;

  /** The documents of the moment: v3 root, v3 documents by path, v2 JSON and protobuf. */
  private record Documents(ObjectNode root, Map<String, byte[]> v3, byte[] v2Json, byte[] v2Protobuf) {}

  public CustomResourceOpenApi(OpenApi builtIn, CustomResources resources) {
    this.builtIn = requireNonNull(builtIn, "builtIn is null");
    this.v2 = new SwaggerV2(builtIn);
    this.resources = requireNonNull(resources, "resources is null");
    resources.addListener(() -> documents = null);
  }

  /** The v3 root: the built-in group-versions, then those of the custom resources. */
  public ObjectNode root() {
    return documents().root().deepCopy();
  }

  /** The v3 document at a root path ("apis/stable.example.com/v1"), built-in or custom. */
  public Optional<byte[]> documentBytes(String path) {
    byte[] custom = documents().v3().get(path);
    return custom != null ? Optional.of(custom.clone()) : builtIn.documentBytes(path);
  }

  /** The v2 document in JSON. */
  public byte[] v2Json() {
    return documents().v2Json().clone();
  }

  /** The v2 document in gnostic's protobuf. */
  public byte[] v2Protobuf() {
    return documents().v2Protobuf().clone();
  }

  private Documents documents() {
    Documents current = documents;
    if (current == null) {
      current = build();
      documents = current;
    }
    return current;
  }

  private synchronized Documents build() {
    List<CustomResourceDefinition> definitions = resources.definitions();
    Map<String, ObjectNode> builtInSchemas = builtIn.allSchemas();
    Map<String, Map<String, ObjectNode>> byPath = new TreeMap<>();
    Map<String, ObjectNode> pathsByPath = new TreeMap<>();
    for (CustomResourceDefinition definition : definitions) {
      for (CustomResourceDefinition.Version version : definition.versions()) {
        if (!version.served()) {
          continue;
        }
        ResourceType type = definition.type(version);
        Map<String, ObjectNode> schemas = byPath.computeIfAbsent(OpenApi.path(type.group(), type.version()),
            p -> new TreeMap<>());
        schemas.put(schemaName(type, type.kind()), objectSchema(type, version.schema()));
        addPaths(pathsByPath.computeIfAbsent(OpenApi.path(type.group(), type.version()), p -> Json.object()), type,
            definition.names().listKind());
        schemas.put(schemaName(type, definition.names().listKind()), listSchema(type, definition.names().listKind()));
      }
    }
    ObjectNode root = builtIn.root();
    ObjectNode rootPaths = (ObjectNode) root.get("paths");
    Map<String, byte[]> v3 = new LinkedHashMap<>();
    Map<String, ObjectNode> allCustom = new TreeMap<>();
    for (Map.Entry<String, Map<String, ObjectNode>> entry : byPath.entrySet()) {
      Map<String, ObjectNode> schemas = new TreeMap<>(entry.getValue());
      addReferenced(schemas, builtInSchemas);
      allCustom.putAll(schemas);
      ObjectNode document = Json.object();
      document.put("openapi", "3.0.0");
      ObjectNode info = document.putObject("info");
      info.put("title", "Kubernetes CRD Swagger");
      info.put("version", "v0.1.0");
      document.set("paths", pathsByPath.get(entry.getKey()));
      ObjectNode components = document.putObject("components").putObject("schemas");
      schemas.forEach(components::set);
      byte[] bytes = Json.bytes(document);
      v3.put(entry.getKey(), bytes);
      rootPaths.putObject(entry.getKey()).put("serverRelativeURL", "/openapi/v3/" + entry.getKey() + "?hash="
          + Integer.toHexString(Arrays.hashCode(bytes)).toUpperCase(Locale.ROOT));
    }
    ObjectNode swagger = v2.tree();
    ObjectNode definitionsNode = (ObjectNode) swagger.get("definitions");
    allCustom.forEach((name, schema) -> {
      if (!definitionsNode.has(name)) {
        definitionsNode.set(name, SwaggerV2.convert(schema));
      }
    });
    return new Documents(root, Map.copyOf(v3), Json.bytes(swagger), SwaggerV2.Protobuf.document(swagger));
  }

  /**
   * The operations of a version, as the apiserver publishes them: each with its x-kubernetes-action and
   * x-kubernetes-group-version-kind, the query parameters (fieldValidation among them: kubectl validates on the
   * server when the PATCH operation has it) and a PATCH body in the patch types custom resources take (no strategic
   * merge patch, so kubectl applies with a JSON merge patch).
   */
  private static void addPaths(ObjectNode paths, ResourceType type, String listKind) {
    String prefix = "/" + OpenApi.path(type.group(), type.version());
    String collection = prefix + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
    String id = OpenApi.operationGroup(type.group()) + capitalize(type.version())
        + (type.namespaced() ? "Namespaced" : "") + type.kind();
    String schema = ComponentSchemas.REF_PREFIX + schemaName(type, type.kind());
    String list = ComponentSchemas.REF_PREFIX + schemaName(type, listKind);
    ObjectNode collectionItem = paths.putObject(collection);
    collectionItem.set("get", operation("list" + id, "list", type, listKind, List.of("labelSelector",
        "fieldSelector", "limit", "continue", "resourceVersion", "watch"), null, list));
    collectionItem.set("post", operation("create" + id, "post", type, type.kind(), List.of("dryRun",
        "fieldManager", "fieldValidation"), List.of("application/json", "application/yaml"), schema));
    ObjectNode item = paths.putObject(collection + "/{name}");
    item.set("get", operation("read" + id, "get", type, type.kind(), List.of(), null, schema));
    item.set("put", operation("replace" + id, "put", type, type.kind(), List.of("dryRun", "fieldManager",
        "fieldValidation"), List.of("application/json", "application/yaml"), schema));
    item.set("patch", operation("patch" + id, "patch", type, type.kind(), List.of("dryRun", "fieldManager",
        "fieldValidation", "force"), List.of("application/json-patch+json", "application/merge-patch+json",
        "application/apply-patch+yaml"), schema));
    item.set("delete", operation("delete" + id, "delete", type, type.kind(), List.of("dryRun",
        "gracePeriodSeconds", "propagationPolicy"), null, null));
  }

  private static ObjectNode operation(String operationId, String action, ResourceType type, String kind,
      List<String> queryParameters, List<String> bodyTypes, String response) {
    ObjectNode operation = OpenApi.operationHead(operationId, action, kind, queryParameters);
    if (bodyTypes != null) {
      ObjectNode content = operation.putObject("requestBody").put("required", true).putObject("content");
      for (String bodyType : bodyTypes) {
        ObjectNode schema = content.putObject(bodyType).putObject("schema");
        if (action.equals("patch")) {
          schema.put("type", "object");
        } else {
          schema.put("$ref", response);
        }
      }
    }
    ObjectNode ok = operation.putObject("responses").putObject("200");
    ok.put("description", "OK");
    if (response != null) {
      ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", response);
    }
    operation.put("x-kubernetes-action", action);
    ObjectNode gvk = operation.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", type.group());
    gvk.put("version", type.version());
    gvk.put("kind", kind);
    return operation;
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** "com.example.stable.v1.CronTab": the group reversed, the version, the kind. */
  static String schemaName(ResourceType type, String kind) {
    List<String> parts = new ArrayList<>(List.of(type.group().split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts) + "." + type.version() + "." + kind;
  }

  private static ObjectNode objectSchema(ResourceType type, JsonNode versionSchema) {
    // the schema as the apiserver publishes it (the structural form), the stored one when it is not structural
    StructuralSchema.Parsed parsed = versionSchema == null ? null : StructuralSchema.parse(versionSchema, "");
    ObjectNode schema = parsed != null && parsed.valid() ? parsed.schema().openAPIV3()
        : versionSchema instanceof ObjectNode object ? object.deepCopy() : Json.object();
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    ObjectNode properties = schema.get("properties") instanceof ObjectNode p ? p : schema.putObject("properties");
    ObjectNode typed = Json.object();
    typed.set("apiVersion", stringProperty(API_VERSION_DESCRIPTION));
    typed.set("kind", stringProperty(KIND_DESCRIPTION));
    typed.set("metadata", reference(OBJECT_META, METADATA_DESCRIPTION));
    properties.fields().forEachRemaining(field -> {
      if (!typed.has(field.getKey())) {
        typed.set(field.getKey(), field.getValue());
      }
    });
    schema.set("properties", typed);
    groupVersionKind(schema, type, type.kind());
    return schema;
  }

  private static ObjectNode listSchema(ResourceType type, String listKind) {
    ObjectNode schema = Json.object();
    schema.put("description", listKind + " is a list of " + type.kind());
    schema.putArray("required").add("items");
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.set("apiVersion", stringProperty(API_VERSION_DESCRIPTION));
    ObjectNode items = properties.putObject("items");
    items.put("description", "List of " + type.plural() + ". More info: "
        + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md");
    items.put("type", "array");
    items.putObject("items").put("$ref", ComponentSchemas.REF_PREFIX + schemaName(type, type.kind()));
    properties.set("kind", stringProperty(KIND_DESCRIPTION));
    properties.set("metadata", reference(LIST_META, LIST_METADATA_DESCRIPTION));
    groupVersionKind(schema, type, listKind);
    return schema;
  }

  private static ObjectNode stringProperty(String description) {
    ObjectNode property = Json.object();
    property.put("description", description);
    property.put("type", "string");
    return property;
  }

  private static ObjectNode reference(String name, String description) {
    ObjectNode property = Json.object();
    property.putArray("allOf").addObject().put("$ref", ComponentSchemas.REF_PREFIX + name);
    property.put("description", description);
    return property;
  }

  private static void groupVersionKind(ObjectNode schema, ResourceType type, String kind) {
    ArrayNode gvks = schema.putArray("x-kubernetes-group-version-kind");
    ObjectNode gvk = gvks.addObject();
    gvk.put("group", type.group());
    gvk.put("kind", kind);
    gvk.put("version", type.version());
  }

  /** Adds the built-in schemas the custom ones refer to (ObjectMeta, ListMeta and theirs), transitively. */
  private static void addReferenced(Map<String, ObjectNode> schemas, Map<String, ObjectNode> builtIn) {
    Deque<JsonNode> pending = new ArrayDeque<>(schemas.values());
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      String ref = node.isObject() ? Json.textOrNull(node, "$ref") : null;
      if (ref != null && ref.startsWith(ComponentSchemas.REF_PREFIX)) {
        String name = ref.substring(ComponentSchemas.REF_PREFIX.length());
        ObjectNode target = builtIn.get(name);
        if (target != null && !schemas.containsKey(name)) {
          schemas.put(name, target);
          pending.push(target);
        }
      }
      node.elements().forEachRemaining(pending::push);
    }
  }
}
