package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.apiserver.schema.Schemas;
import io.minicluster.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OpenAPI v3 discovery served at {@code /openapi/v3} and {@code /openapi/v3/<api/v1 | apis/group/version>}.
 *
 * <p>kubectl {@code create -f}, {@code apply} and {@code edit} read it to decide whether the server validates fields:
 * it looks for the {@code patch} operation with the object's {@code x-kubernetes-group-version-kind} and a
 * {@code fieldValidation} query parameter. Patch operations carry no {@code requestBody}, so client-side apply goes
 * on to OpenAPI v2 ({@link SwaggerV2}) for its strategic merge patch. {@code kubectl explain} reads the
 * {@code components.schemas}, generated from the protobuf descriptors and documented with {@link Descriptions}; their
 * properties carry the patch strategies ({@link PatchStrategies}).
 *
 * <p>Documents are built once, on first use, and cached with their hash; instances are thread-safe.
 */
public final class OpenApi {
  /** The Kubernetes version announced in {@code info.version}. */
  public static final String KUBERNETES_VERSION = "v1.35.0";

  private static final List<String> LIST_PARAMETERS = List.of("allowWatchBookmarks", "continue", "fieldSelector",
      "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds",
      "watch");
  private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> PATCH_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation", "force");
  private static final List<String> DELETE_PARAMETERS =
      List.of("dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy");
  private static final Map<String, String> PARAMETER_TYPES = Map.of(
      "allowWatchBookmarks", "boolean", "watch", "boolean", "sendInitialEvents", "boolean", "force", "boolean",
      "orphanDependents", "boolean", "limit", "integer", "timeoutSeconds", "integer", "gracePeriodSeconds", "integer");

  private final List<ResourceType> types;
  private final Descriptions descriptions;
  private Map<String, Document> documents;
  private ObjectNode root;
  private PatchStrategies patchStrategies;

  /** One rendered group-version document. */
  private record Document(ObjectNode tree, byte[] bytes, String hash) {}

  /** Serves these resource types, documented with these descriptions. */
  public OpenApi(List<ResourceType> types, Descriptions descriptions) {
    this.types = List.copyOf(requireNonNull(types, "types is null"));
    this.descriptions = requireNonNull(descriptions, "descriptions is null");
  }

  /** Serves these resource types, with the bundled descriptions. */
  public OpenApi(List<ResourceType> types) {
    this(types, Descriptions.standard());
  }

  /** Serves {@link ResourceTypes#SERVED}, with the bundled descriptions. */
  public OpenApi() {
    this(ResourceTypes.SERVED);
  }

  /** The served resource types. */
  public List<ResourceType> types() {
    return types;
  }

  /** The {@code /openapi/v3} root: {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=H"}}}}. */
  public synchronized ObjectNode root() {
    build();
    return root.deepCopy();
  }

  /** The document of a group-version ("" group is core), or empty when none of its resources are served. */
  public Optional<ObjectNode> document(String group, String version) {
    return document(path(group, version)).map(JsonNode::deepCopy);
  }

  /** The serialized document at a root path such as "api/v1" or "apis/apps/v1" (ready to write as the body). */
  public Optional<byte[]> documentBytes(String path) {
    return document(path).map(tree -> documentOf(path).bytes().clone());
  }

  /** The hash of the document at a root path, as used in its serverRelativeURL and as an ETag. */
  public Optional<String> hash(String path) {
    return document(path).map(tree -> documentOf(path).hash());
  }

  /**
   * Every schema of every served group-version, by definition name, in the OpenAPI v3 form of
   * {@code components.schemas} (read-only views of the cached trees: copy before changing).
   */
  public synchronized Map<String, ObjectNode> allSchemas() {
    build();
    Map<String, ObjectNode> all = new TreeMap<>();
    for (Document document : documents.values()) {
      document.tree().path("components").path("schemas").fields()
          .forEachRemaining(entry -> all.putIfAbsent(entry.getKey(), (ObjectNode) entry.getValue()));
    }
    return all;
  }

  /**
   * The definitions of these schemas and of everything they refer to, in the OpenAPI v3 form of
   * {@code components.schemas}, documented as the served ones are.
   */
  synchronized Map<String, ObjectNode> schemasOf(Collection<Schema> roots) {
    build();
    ComponentSchemas components = new ComponentSchemas(descriptions, patchStrategies);
    roots.forEach(components::reference);
    return components.all();
  }

  /** "api/v1" or "apis/apps/v1". */
  public static String path(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  private Optional<ObjectNode> document(String path) {
    requireNonNull(path, "path is null");
    Document document = documentOf(path);
    return document == null ? Optional.empty() : Optional.of(document.tree());
  }

  private synchronized Document documentOf(String path) {
    build();
    return documents.get(path);
  }

  private void build() {
    if (documents != null) {
      return;
    }
    Map<String, List<ResourceType>> byPath = new LinkedHashMap<>();
    for (ResourceType type : types) {
      byPath.computeIfAbsent(path(type.group(), type.version()), p -> new ArrayList<>()).add(type);
    }
    Map<String, Document> built = new LinkedHashMap<>();
    ObjectNode rootTree = Json.object();
    ObjectNode rootPaths = rootTree.putObject("paths");
    patchStrategies = PatchStrategies.of(types);
    for (Map.Entry<String, List<ResourceType>> entry : byPath.entrySet()) {
      ObjectNode tree = new DocumentBuilder(entry.getValue(), new ComponentSchemas(descriptions, patchStrategies))
          .build();
      byte[] bytes = Json.bytes(tree);
      String hash = sha512(bytes);
      built.put(entry.getKey(), new Document(tree, bytes, hash));
      rootPaths.putObject(entry.getKey()).put("serverRelativeURL", "/openapi/v3/" + entry.getKey() + "?hash=" + hash);
    }
    documents = built;
    root = rootTree;
  }

  private static String sha512(byte[] bytes) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 unavailable", e);
    }
  }

  /** Builds one group-version document. */
  private static final class DocumentBuilder {
    private final List<ResourceType> types;
    private final ComponentSchemas components;
    private final ObjectNode paths = Json.object();

    DocumentBuilder(List<ResourceType> types, ComponentSchemas components) {
      this.types = types;
      this.components = components;
    }

    ObjectNode build() {
      for (ResourceType type : types) {
        addResource(type);
      }
      ObjectNode document = Json.object();
      document.put("openapi", "3.0.0");
      ObjectNode info = document.putObject("info");
      info.put("title", "Kubernetes");
      info.put("version", KUBERNETES_VERSION);
      document.set("paths", paths);
      ObjectNode schemas = document.putObject("components").putObject("schemas");
      components.all().forEach(schemas::set);
      return document;
    }

    private void addResource(ResourceType type) {
      String prefix = "/" + path(type.group(), type.version());
      String scope = type.namespaced() ? prefix + "/namespaces/{namespace}/" : prefix + "/";
      String collection = scope + type.plural();
      String item = collection + "/{name}";
      String kind = type.kind();
      Optional<Schema> schema = Schemas.forKind(type.apiVersion(), kind);
      Optional<Schema> list = Schemas.forKind(type.apiVersion(), kind + "List");
      Optional<Schema> deleteOptions = Schemas.forKind("v1", "DeleteOptions");
      String namespaced = type.namespaced() ? "Namespaced" : "";
      String id = operationGroup(type.group()) + capitalize(type.version()) + namespaced + kind;
      List<String> verbs = type.verbs();

      ObjectNode collectionItem = pathItem(collection, type, false);
      if (verbs.contains("list")) {
        collectionItem.set("get", operation("list" + id, "list", type, kind, LIST_PARAMETERS, null, list));
      }
      if (verbs.contains("create")) {
        collectionItem.set("post", operation("create" + id, "post", type, kind, WRITE_PARAMETERS, schema, schema));
      }
      if (verbs.contains("deletecollection")) {
        collectionItem.set("delete", operation("deletecollection" + id, "deletecollection", type, kind,
            concat(DELETE_PARAMETERS, LIST_PARAMETERS), deleteOptions, Schemas.forKind("v1", "Status")));
      }
      if (verbs.contains("get")) {
        ObjectNode itemPath = pathItem(item, type, true);
        itemPath.set("get", operation("read" + id, "get", type, kind, List.of(), null, schema));
        if (verbs.contains("update")) {
          itemPath.set("put", operation("replace" + id, "put", type, kind, WRITE_PARAMETERS, schema, schema));
        }
        if (verbs.contains("patch")) {
          itemPath.set("patch", operation("patch" + id, "patch", type, kind, PATCH_PARAMETERS, null, schema));
        }
        if (verbs.contains("delete")) {
          itemPath.set("delete", operation("delete" + id, "delete", type, kind, DELETE_PARAMETERS, deleteOptions,
              schema));
        }
      }
      if (type.namespaced() && verbs.contains("list")) {
        ObjectNode all = pathItem(prefix + "/" + type.plural(), type, false);
        all.set("get", operation("list" + operationGroup(type.group()) + capitalize(type.version()) + kind
            + "ForAllNamespaces", "list", type, kind, LIST_PARAMETERS, null, list));
      }
      for (ResourceType.Subresource subresource : type.subresources()) {
        if (!subresource.name().equals("status") && !subresource.name().equals("scale")) {
          continue;
        }
        Optional<Schema> subSchema = Schemas.forKind(
            subresource.group().isEmpty() ? subresource.version() : subresource.group() + "/" + subresource.version(),
            subresource.kind());
        ResourceType subType = new ResourceType(subresource.group(), subresource.version(), subresource.kind(),
            type.plural(), type.singular(), type.namespaced(), List.of(), List.of(), List.of());
        String suffix = capitalize(subresource.name());
        ObjectNode subPath = pathItem(item + "/" + subresource.name(), type, true);
        subPath.set("get", operation("read" + id + suffix, "get", subType, subresource.kind(), List.of(), null,
            subSchema));
        subPath.set("put", operation("replace" + id + suffix, "put", subType, subresource.kind(), WRITE_PARAMETERS,
            subSchema, subSchema));
        subPath.set("patch", operation("patch" + id + suffix, "patch", subType, subresource.kind(), PATCH_PARAMETERS,
            null, subSchema));
      }
    }

    private ObjectNode pathItem(String path, ResourceType type, boolean named) {
      ObjectNode item = paths.putObject(path);
      ArrayNode parameters = item.putArray("parameters");
      if (named) {
        parameters.add(pathParameter("name", "name of the " + type.kind()));
      }
      if (path.contains("{namespace}")) {
        parameters.add(pathParameter("namespace", "object name and auth scope, such as for teams and projects"));
      }
      ObjectNode pretty = parameters.addObject();
      pretty.put("name", "pretty");
      pretty.put("in", "query");
      pretty.put("description", "If 'true', then the output is pretty printed.");
      pretty.putObject("schema").put("type", "string");
      return item;
    }

    private static ObjectNode pathParameter(String name, String description) {
      ObjectNode parameter = Json.object();
      parameter.put("name", name);
      parameter.put("in", "path");
      parameter.put("description", description);
      parameter.put("required", true);
      parameter.putObject("schema").put("type", "string");
      return parameter;
    }

    private ObjectNode operation(String operationId, String action, ResourceType type, String kind,
        List<String> queryParameters, Optional<Schema> body, Optional<Schema> response) {
      ObjectNode operation = operationHead(operationId, action, kind, queryParameters);
      if (body != null && body.isPresent()) {
        ObjectNode requestBody = operation.putObject("requestBody");
        requestBody.putObject("content").putObject("*/*").set("schema", components.reference(body.get()));
        requestBody.put("required", !action.startsWith("delete"));
      }
      ObjectNode responses = operation.putObject("responses");
      ObjectNode ok = responses.putObject("200");
      ok.put("description", "OK");
      if (response.isPresent()) {
        ObjectNode content = ok.putObject("content");
        for (String mediaType : List.of("application/json", "application/yaml")) {
          content.putObject(mediaType).set("schema", components.reference(response.get()));
        }
      }
      if (action.equals("post") || action.equals("put") || action.equals("patch")) {
        responses.putObject("201").put("description", "Created");
      }
      responses.putObject("401").put("description", "Unauthorized");
      operation.put("x-kubernetes-action", action);
      ObjectNode gvk = operation.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", type.group());
      gvk.put("kind", kind);
      gvk.put("version", type.version());
      return operation;
    }
  }

  /** An operation's description, id and query parameters (typed as the apiserver's), shared with custom resources. */
  static ObjectNode operationHead(String operationId, String action, String kind, List<String> queryParameters) {
    ObjectNode operation = Json.object();
    operation.put("description", action + " " + kind);
    operation.put("operationId", operationId);
    if (!queryParameters.isEmpty()) {
      ArrayNode parameters = operation.putArray("parameters");
      for (String name : queryParameters) {
        ObjectNode parameter = parameters.addObject();
        parameter.put("name", name);
        parameter.put("in", "query");
        parameter.putObject("schema").put("type", PARAMETER_TYPES.getOrDefault(name, "string"));
      }
    }
    return operation;
  }

  /** "Core" for the core group; "discovery.k8s.io" → "Discovery"; "rbac.authorization.k8s.io" → "RbacAuthorization". */
  static String operationGroup(String group) {
    if (group.isEmpty()) {
      return "Core";
    }
    String trimmed = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
    StringBuilder name = new StringBuilder();
    for (String part : trimmed.split("\\.")) {
      name.append(capitalize(part));
    }
    return name.toString();
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
