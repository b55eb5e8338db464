package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.apiserver.schema.Schemas;
import io.minicluster.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code paths} of the Swagger 2.0 document: for every served resource the operations of its verbs on the
 * collection, the object, its namespaced and all-namespaces lists and its subresources, shaped as the apiserver
 * publishes them (operationId, consumes and produces, query and body parameters, responses, tags, and the
 * {@code x-kubernetes-action} and {@code x-kubernetes-group-version-kind} extensions).
 *
 * <p>kubectl reads them through {@code x-kubernetes-group-version-kind}: the media types a PATCH consumes decide
 * whether {@code kubectl apply} builds a strategic merge patch from the document's definitions, and the query
 * parameters of a PATCH whether the server validates fields.
 */
final class SwaggerPaths {
  static final String REF_PREFIX = "#/definitions/";
  /** The body of a PATCH, which the apiserver documents as a definition of its own. */
  static final String PATCH_DEFINITION = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

  private static final List<String> PRODUCES = List.of("application/json", "application/yaml",
      "application/vnd.kubernetes.protobuf");
  private static final List<String> WATCH_PRODUCES = List.of("application/json", "application/yaml",
      "application/vnd.kubernetes.protobuf", "application/json;stream=watch",
      "application/vnd.kubernetes.protobuf;stream=watch");
  private static final List<String> PATCH_CONSUMES = List.of("application/json-patch+json",
      "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");
  private static final List<String> ANY = List.of("*/*");

  private static final List<String> LIST = List.of("allowWatchBookmarks", "continue", "fieldSelector",
      "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds",
      "watch");
  private static final List<String> WRITE = List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> PATCH = List.of("dryRun", "fieldManager", "fieldValidation", "force");
  private static final List<String> DELETE = List.of("dryRun", "gracePeriodSeconds", "orphanDependents",
      "propagationPolicy");
  private static final List<String> DELETE_COLLECTION = List.of("continue", "dryRun", "fieldSelector",
      "gracePeriodSeconds", "labelSelector", "limit", "orphanDependents", "propagationPolicy", "resourceVersion",
      "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds");
  private static final Map<String, List<String>> CONNECT_PARAMETERS = Map.of(
      "exec", List.of("command", "container", "stderr", "stdin", "stdout", "tty"),
      "attach", List.of("container", "stderr", "stdin", "stdout", "tty"),
      "portforward", List.of("ports"),
      "log", List.of("container", "follow", "insecureSkipTLSVerifyBackend", "limitBytes", "previous",
          "sinceSeconds", "tailLines", "timestamps"));
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("allowWatchBookmarks", "boolean"), Map.entry("watch", "boolean"),
      Map.entry("sendInitialEvents", "boolean"), Map.entry("force", "boolean"),
      Map.entry("orphanDependents", "boolean"), Map.entry("limit", "integer"), Map.entry("timeoutSeconds", "integer"),
      Map.entry("gracePeriodSeconds", "integer"), Map.entry("stderr", "boolean"), Map.entry("stdin", "boolean"),
      Map.entry("stdout", "boolean"), Map.entry("tty", "boolean"), Map.entry("follow", "boolean"),
      Map.entry("insecureSkipTLSVerifyBackend", "boolean"), Map.entry("previous", "boolean"),
      Map.entry("timestamps", "boolean"), Map.entry("limitBytes", "integer"), Map.entry("sinceSeconds", "integer"),
      Map.entry("tailLines", "integer"), Map.entry("ports", "integer"));
  private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry("allowWatchBookmarks", "Ask for BOOKMARK events on a watch; the server may send them or not."),
      Map.entry("continue", "The continue token of the previous page of a list."),
      Map.entry("fieldSelector", "Only objects whose fields match this selector. Defaults to everything."),
      Map.entry("labelSelector", "Only objects whose labels match this selector. Defaults to everything."),
      Map.entry("limit", "The most objects a list response holds; a continue token gives the rest."),
      Map.entry("resourceVersion", "Which version of the objects to read; see resourceVersionMatch."),
      Map.entry("resourceVersionMatch", "How resourceVersion applies to a list: Exact or NotOlderThan."),
      Map.entry("sendInitialEvents", "Begin a watch with ADDED events for the current objects, then a bookmark."),
      Map.entry("timeoutSeconds", "End the list or watch call after this many seconds."),
      Map.entry("watch", "Watch for changes instead of listing: the response is a stream of events."),
      Map.entry("dryRun", "All: check and process the request without storing anything."),
      Map.entry("fieldManager", "The name of the actor making the change, for managed fields."),
      Map.entry("fieldValidation", "What to do with unknown or duplicate fields: Ignore, Warn or Strict."),
      Map.entry("force", "Take the conflicting fields from their other managers (apply requests only)."),
      Map.entry("gracePeriodSeconds", "Seconds to wait before the object is deleted; 0 deletes it at once."),
      Map.entry("orphanDependents", "Deprecated: use propagationPolicy."),
      Map.entry("propagationPolicy", "What happens to dependents: Orphan, Background or Foreground."),
      Map.entry("command", "The command to run, one argument per parameter."),
      Map.entry("container", "The container to use; defaults to the only one of the pod."),
      Map.entry("stderr", "Stream standard error."), Map.entry("stdin", "Stream standard input."),
      Map.entry("stdout", "Stream standard output."), Map.entry("tty", "Allocate a terminal."),
      Map.entry("ports", "The ports of the pod to forward to."),
      Map.entry("follow", "Keep streaming the log as it grows."),
      Map.entry("insecureSkipTLSVerifyBackend", "Do not verify the certificate of the serving kubelet."),
      Map.entry("limitBytes", "Stop after this many bytes of log."),
      Map.entry("previous", "The log of the previous, terminated instance of the container."),
      Map.entry("sinceSeconds", "Only log lines newer than this many seconds."),
      Map.entry("tailLines", "Only this many lines from the end of the log."),
      Map.entry("timestamps", "Begin every line with its RFC3339 timestamp."),
      Map.entry("path", "The path to proxy the request to."),
      Map.entry("pretty", "If 'true', the output is indented."));

  private final ObjectNode paths = Json.object();
  private final Map<String, Schema> schemas = new LinkedHashMap<>();

  /** The paths of these resource types. */
  static SwaggerPaths of(List<ResourceType> types) {
    SwaggerPaths built = new SwaggerPaths();
    // kinds without a Go type model here have no definition to refer to
    types.stream().filter(type -> Schemas.forKind(type.apiVersion(), type.kind()).isPresent()).forEach(built::add);
    return built;
  }

  /** The {@code paths} object. */
  ObjectNode paths() {
    return paths;
  }

  /** The schemas of the kinds the operations refer to, by definition name. */
  Map<String, Schema> schemas() {
    return schemas;
  }

  /** The definition name of a kind, e.g. {@code io.k8s.api.apps.v1.Deployment}, noting its schema. */
  private String definitionOf(String group, String version, String kind) {
    String apiVersion = group.isEmpty() ? version : group + "/" + version;
    Schema schema = Schemas.forKind(apiVersion, kind)
        .orElseThrow(() -> new IllegalStateException("no schema for " + apiVersion + " " + kind));
    schemas.put(schema.definitionName(), schema);
    return schema.definitionName();
  }

  private void add(ResourceType type) {
    String prefix = "/" + OpenApi.path(type.group(), type.version());
    String collection = prefix + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
    String item = collection + "/{name}";
    Names names = new Names(type);
    List<String> verbs = type.verbs();
    String kind = definitionOf(type.group(), type.version(), type.kind());
    String list = verbs.contains("list") ? definitionOf(type.group(), type.version(), type.kind() + "List") : null;
    String deleteOptions = definitionOf("", "v1", "DeleteOptions");
    String status = definitionOf("", "v1", "Status");
    if (verbs.contains("list") || verbs.contains("create") || verbs.contains("deletecollection")) {
      ObjectNode path = pathItem(collection, type, false);
      if (verbs.contains("list")) {
        path.set("get", names.operation("list" + names.scoped(""), "list or watch objects of kind " + type.kind(),
            "list", WATCH_PRODUCES, LIST, null, false, responses(list, "200")));
      }
      if (verbs.contains("create")) {
        path.set("post", names.operation("create" + names.scoped(""), "create a " + type.kind(), "post", PRODUCES,
            WRITE, kind, true, responses(kind, "200", "201", "202")));
      }
      if (verbs.contains("deletecollection")) {
        path.set("delete", names.operation("delete" + names.gv() + "Collection" + names.scope() + type.kind(),
            "delete collection of " + type.kind(), "deletecollection", PRODUCES, DELETE_COLLECTION, deleteOptions,
            false, responses(status, "200")));
      }
    }
    if (verbs.contains("get")) {
      ObjectNode path = pathItem(item, type, true);
      path.set("get", names.operation("read" + names.scoped(""), "read the specified " + type.kind(), "get",
          PRODUCES, List.of(), null, false, responses(kind, "200")));
      if (verbs.contains("update")) {
        path.set("put", names.operation("replace" + names.scoped(""), "replace the specified " + type.kind(), "put",
            PRODUCES, WRITE, kind, true, responses(kind, "200", "201")));
      }
      if (verbs.contains("patch")) {
        path.set("patch", names.patch(names.scoped(""), "partially update the specified " + type.kind(),
            responses(kind, "200", "201")));
      }
      if (verbs.contains("delete")) {
        path.set("delete", names.operation("delete" + names.scoped(""), "delete a " + type.kind(), "delete",
            PRODUCES, DELETE, deleteOptions, false, responses(status, "200", "202")));
      }
    }
    if (type.namespaced() && verbs.contains("list")) {
      ObjectNode path = pathItem(prefix + "/" + type.plural(), type, false);
      path.set("get", names.operation("list" + names.gv() + type.kind() + "ForAllNamespaces",
          "list or watch objects of kind " + type.kind(), "list", WATCH_PRODUCES, LIST, null, false,
          responses(list, "200")));
    }
    for (ResourceType.Subresource subresource : type.subresources()) {
      addSubresource(type, names, item, subresource);
    }
  }

  private void addSubresource(ResourceType type, Names names, String item, ResourceType.Subresource subresource) {
    String name = subresource.name();
    String suffix = capitalize(name);
    List<String> verbs = subresource.verbs();
    switch (name) {
      case "status", "scale", "finalize", "binding", "eviction", "token" -> {
        String body = definitionOf(subresource.group(), subresource.version(), subresource.kind());
        // the status subresource works on the resource's own kind; the others on theirs
        Names on = name.equals("status") || name.equals("finalize") ? names
            : names.withKind(subresource.group(), subresource.version(), subresource.kind());
        ObjectNode path = pathItem(item + "/" + name, type, true);
        String described = name.equals("status") ? "status of the specified " + type.kind()
            : name + " of the specified " + type.kind();
        if (verbs.contains("get")) {
          path.set("get", on.operation("read" + names.scoped(suffix), "read " + described, "get", PRODUCES,
              List.of(), null, false, responses(body, "200")));
        }
        if (verbs.contains("create")) {
          path.set("post", on.operation("create" + names.scoped(suffix), "create " + name + " of a "
              + type.kind(), "post", PRODUCES, WRITE, body, true, responses(body, "200", "201", "202")));
        }
        if (verbs.contains("update")) {
          path.set("put", on.operation("replace" + names.scoped(suffix), "replace " + described, "put", PRODUCES,
              WRITE, body, true, responses(body, "200", "201")));
        }
        if (verbs.contains("patch")) {
          path.set("patch", on.patch(names.scoped(suffix), "partially update " + described,
              responses(body, "200", "201")));
        }
      }
      case "log" -> {
        ObjectNode path = pathItem(item + "/log", type, true);
        query(path.withArray("parameters"), CONNECT_PARAMETERS.get("log"));
        path.set("get", names.operation("read" + names.scoped("Log"), "read log of the specified " + type.kind(),
            "get", List.of("text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"),
            List.of(), null, false, stringResponse()));
      }
      default -> {
        // exec, attach, portforward and proxy: connections, one operation per HTTP method
        Names on = names.withKind(subresource.group(), subresource.version(), subresource.kind());
        ObjectNode path = pathItem(item + "/" + name, type, true);
        query(path.withArray("parameters"), CONNECT_PARAMETERS.getOrDefault(name, List.of("path")));
        connect(path, on, names, suffix, name, type, verbs);
        if (name.equals("proxy")) {
          ObjectNode withPath = pathItem(item + "/proxy/{path}", type, true);
          withPath.withArray("parameters").add(pathParameter("path", DESCRIPTIONS.get("path")));
          connect(withPath, on, names, suffix + "WithPath", name, type, verbs);
        }
      }
    }
  }

  private void connect(ObjectNode path, Names on, Names names, String suffix, String name, ResourceType type,
      List<String> verbs) {
    Map<String, String> methods = new LinkedHashMap<>();
    methods.put("delete", "delete");
    methods.put("get", "get");
    methods.put("patch", "patch");
    methods.put("create", "post");
    methods.put("update", "put");
    methods.forEach((verb, method) -> {
      if (verbs.contains(verb)) {
        path.set(method, on.operation("connect" + names.gv() + capitalize(method) + names.scope() + type.kind()
            + suffix, "connect " + method.toUpperCase(Locale.ROOT) + " requests to " + name + " of "
            + type.kind(), "connect", ANY, List.of(), null, false, stringResponse()));
      }
    });
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
    query(parameters, List.of("pretty"));
    return item;
  }

  private static ObjectNode pathParameter(String name, String description) {
    ObjectNode parameter = Json.object();
    parameter.put("description", description);
    parameter.put("in", "path");
    parameter.put("name", name);
    parameter.put("required", true);
    parameter.put("type", "string");
    parameter.put("uniqueItems", true);
    return parameter;
  }

  private static void query(ArrayNode parameters, List<String> names) {
    for (String name : names) {
      ObjectNode parameter = parameters.addObject();
      parameter.put("description", DESCRIPTIONS.getOrDefault(name, ""));
      parameter.put("in", "query");
      parameter.put("name", name);
      parameter.put("type", TYPES.getOrDefault(name, "string"));
      parameter.put("uniqueItems", true);
    }
  }

  private ObjectNode responses(String definition, String... codes) {
    ObjectNode responses = Json.object();
    for (String code : codes) {
      ObjectNode response = responses.putObject(code);
      response.put("description", switch (code) {
        case "201" -> "Created";
        case "202" -> "Accepted";
        default -> "OK";
      });
      if (definition != null) {
        response.putObject("schema").put("$ref", reference(definition));
      }
    }
    responses.putObject("401").put("description", "Unauthorized");
    return responses;
  }

  private static ObjectNode stringResponse() {
    ObjectNode responses = Json.object();
    ObjectNode ok = responses.putObject("200");
    ok.put("description", "OK");
    ok.putObject("schema").put("type", "string");
    responses.putObject("401").put("description", "Unauthorized");
    return responses;
  }

  private static String reference(String definition) {
    return REF_PREFIX + definition;
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** The naming of one resource's operations, and the group-version-kind they are tagged with. */
  private final class Names {
    private final ResourceType type;
    private final String group;
    private final String version;
    private final String kind;

    Names(ResourceType type) {
      this(type, type.group(), type.version(), type.kind());
    }

    private Names(ResourceType type, String group, String version, String kind) {
      this.type = requireNonNull(type, "type is null");
      this.group = group;
      this.version = version;
      this.kind = kind;
    }

    /** The same resource's operations tagged with another kind (a subresource's). */
    Names withKind(String group, String version, String kind) {
      return new Names(type, group, version, kind);
    }

    /** "CoreV1", "AppsV1". */
    String gv() {
      return OpenApi.operationGroup(type.group()) + capitalize(type.version());
    }

    String scope() {
      return type.namespaced() ? "Namespaced" : "";
    }

    /** "CoreV1NamespacedPod" + suffix. */
    String scoped(String suffix) {
      return gv() + scope() + type.kind() + suffix;
    }

    ObjectNode patch(String idSuffix, String description, ObjectNode responses) {
      ObjectNode operation = operation("patch" + idSuffix, description, "patch", PRODUCES, PATCH,
          PATCH_DEFINITION, true, responses);
      ArrayNode consumes = operation.putArray("consumes");
      PATCH_CONSUMES.forEach(consumes::add);
      return operation;
    }

    ObjectNode operation(String operationId, String description, String action, List<String> produces,
        List<String> queryParameters, String body, boolean bodyRequired, ObjectNode responses) {
      ObjectNode operation = Json.object();
      ArrayNode consumes = operation.putArray("consumes");
      ANY.forEach(consumes::add);
      operation.put("description", description);
      operation.put("operationId", operationId);
      ArrayNode parameters = operation.putArray("parameters");
      if (body != null) {
        ObjectNode parameter = parameters.addObject();
        parameter.put("in", "body");
        parameter.put("name", "body");
        if (bodyRequired) {
          parameter.put("required", true);
        }
        parameter.putObject("schema").put("$ref", reference(body));
      }
      query(parameters, queryParameters);
      if (parameters.isEmpty()) {
        operation.remove("parameters");
      }
      ArrayNode producesNode = operation.putArray("produces");
      produces.forEach(producesNode::add);
      operation.set("responses", responses);
      operation.putArray("schemes").add("https");
      String tag = OpenApi.operationGroup(type.group());
      operation.putArray("tags").add(Character.toLowerCase(tag.charAt(0)) + tag.substring(1) + "_"
          + type.version());
      operation.put("x-kubernetes-action", action);
      ObjectNode gvk = operation.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", group);
      gvk.put("kind", kind);
      gvk.put("version", version);
      return operation;
    }
  }

}
