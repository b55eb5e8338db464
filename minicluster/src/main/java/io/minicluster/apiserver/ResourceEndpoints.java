package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.apiserver.auth.SelfReviews;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.apiserver.authz.AccessReviews;
import io.minicluster.apiserver.authz.Authorization;
import io.minicluster.apiserver.authz.RbacAuthorizer;
import io.minicluster.apiserver.authz.RbacPolicy;
import io.minicluster.apiserver.fieldmanager.FieldManager;
import io.minicluster.apiserver.patch.Patches;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.registry.Registries;
import io.minicluster.registry.ServedVersion;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.serviceaccount.TokenRequestOperation;
import io.minicluster.registry.subresource.ScaleOperation;
import io.minicluster.registry.subresource.Subresources;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The HTTP mapping of resource URLs: routing of /api/v1/... and /apis/{group}/{version}/... to a registry call (the
 * verbs to {@code GenericRegistry}, binding, eviction, scale and finalize to the registry's {@link Subresources}),
 * the request's options ({@link RequestOptions}) and content negotiation of the answer (JSON, Table,
 * PartialObjectMetadata); watches stream through {@link WatchStream}. Bodies are decoded in the version of the URL and
 * converted to the stored version, answers converted back (see {@link ServedVersion}). Transport-independent: the
 * HTTP server hands it an {@link ApiRequest} and a {@link ResponseChannel}.
 */
public final class ResourceEndpoints {
  static final String TABLE = "Table";
  private static final String PARTIAL = "PartialObjectMetadata";
  private static final String INCLUDE_OBJECT = "Object";
  private static final int MAX_FIELD_MANAGER_BYTES = 128;

  private final Registries registries;
  private final Subresources subresources;
  private final BodyDecoder decoder;
  private final RequestOptions requestOptions;
  private final Plugins.TableConverter tables;
  private final Plugins.PatchApplier patches;
  private final WatchStream watchStream;
  private final Clock clock;
  private final PodStreams podStreams;
  private final Authorization authorization;

  /**
   * Without pod streams (no node agent): logs are refused; without RBAC objects: the access reviews allow
   * system:masters only.
   */
  public ResourceEndpoints(Registries registries, Subresources subresources, BodyDecoder decoder,
      Plugins.FilterFactory filters, Plugins.TableConverter tables, Plugins.PatchApplier patches,
      Plugins.ProtobufDecoder protobuf, ScheduledExecutorService timer, Clock clock) {
    this(registries, subresources, decoder, filters, tables, patches, protobuf, timer, clock, PodStreams.NONE,
        Authorization.of(new RbacAuthorizer(RbacPolicy.EMPTY)));
  }

  public ResourceEndpoints(Registries registries, Subresources subresources, BodyDecoder decoder,
      Plugins.FilterFactory filters, Plugins.TableConverter tables, Plugins.PatchApplier patches,
      Plugins.ProtobufDecoder protobuf, ScheduledExecutorService timer, Clock clock, PodStreams podStreams,
      Authorization authorization) {
    this.registries = requireNonNull(registries, "registries is null");
    this.subresources = requireNonNull(subresources, "subresources is null");
    this.decoder = requireNonNull(decoder, "decoder is null");
    this.requestOptions = new RequestOptions(requireNonNull(filters, "filters is null"),
        requireNonNull(protobuf, "protobuf is null"));
    this.tables = requireNonNull(tables, "tables is null");
    this.patches = requireNonNull(patches, "patches is null");
    this.watchStream = new WatchStream(requireNonNull(timer, "timer is null"));
    this.clock = requireNonNull(clock, "clock is null");
    this.podStreams = requireNonNull(podStreams, "podStreams is null");
    this.authorization = requireNonNull(authorization, "authorization is null");
  }

  /** A resolved resource URL. */
  public record Route(ResourceType type, String namespace, String name, String subresource, List<String> rest) {}

  /**
   * Resolves /api/v1/... or /apis/g/v/... below the group-version to a route, or null when the path is not a
   * resource path.
   */
  public static Route route(String path) {
    return route(path, (group, version, plural) -> ResourceTypes.find(group, version, plural).orElse(null));
  }

  /** Finds the type served at group/version/plural, or null. */
  private interface TypeLookup {
    ResourceType find(String group, String version, String plural);
  }

  /** {@link #route(String)} of the built-in types and the custom resources being served. */
  private Route routeServed(String path) {
    return route(path, (group, version, plural) -> ResourceTypes.find(group, version, plural)
        .or(() -> registries.customResources().find(group, version, plural).map(CustomResources.Served::type))
        .orElse(null));
  }

  private static Route route(String path, TypeLookup types) {
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    String group;
    String version;
    int index;
    if (segments.size() >= 3 && segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      index = 2;
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.get(2);
      index = 3;
    } else {
      return null;
    }
    List<String> rest = segments.subList(index, segments.size());
    String namespace = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")
        && !(group.isEmpty() && rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize")))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    ResourceType type = types.find(group, version, rest.get(0));
    if (type == null) {
      return null;
    }
    if (namespace != null && !type.namespaced()) {
      return null;
    }
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? rest.get(2) : null;
    List<String> tail = rest.size() > 3 ? List.copyOf(rest.subList(3, rest.size())) : List.of();
    if (subresource != null && !type.hasSubresource(subresource)) {
      return null;
    }
    if (!tail.isEmpty() && !"proxy".equals(subresource)) {
      return null;
    }
    return new Route(type, namespace, name, subresource, tail);
  }

  public void handle(ApiRequest request, ResponseChannel channel) {
    Route route = routeServed(request.path());
    if (route == null) {
      throw ApiException.notFoundPath();
    }
    HttpMethod method = request.method();
    ServedVersion version = registries.served(route.type());
    if (!route.type().stored()) {
      // create-only kinds, answered and never stored
      if (!method.equals(HttpMethod.POST) || route.name() != null) {
        throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      channel.respond(route.type().kind().equals("Binding") ? binding(request, route, null)
          : selfReview(request, route));
      return;
    }
    String sub = route.subresource();
    if (sub != null) {
      subresource(request, route, version, channel);
      return;
    }
    if (method.equals(HttpMethod.GET)) {
      if (route.name() == null) {
        if (request.flag("watch")) {
          watch(request, route, version, channel);
        } else {
          channel.respond(list(request, route, version));
        }
      } else if (request.flag("watch")) {
        throw ApiException.methodNotAllowed("watch of a single object needs a fieldSelector on metadata.name");
      } else {
        ObjectNode stored = version.registry().get(route.namespace(), route.name());
        channel.respond(encodeObject(request, version, stored, 200));
      }
    } else if (method.equals(HttpMethod.POST)) {
      if (route.name() != null) {
        throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      if (registries.customResources().find(route.type()).filter(c -> c.definition().terminating()).isPresent()) {
        // crdHandler: a definition being deleted takes no new objects
        throw ApiException.methodNotAllowed("create not allowed while custom resource definition is terminating");
      }
      channel.respond(create(request, route, version));
    } else if (method.equals(HttpMethod.PUT)) {
      requireName(route);
      channel.respond(update(request, route, version, UpdateKind.MAIN));
    } else if (method.equals(HttpMethod.PATCH)) {
      requireName(route);
      channel.respond(patch(request, route, version, UpdateKind.MAIN));
    } else if (method.equals(HttpMethod.DELETE)) {
      if (route.name() == null) {
        channel.respond(deleteCollection(request, route, version));
      } else {
        channel.respond(delete(request, route, version));
      }
    } else {
      throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  private static void requireName(Route route) {
    if (route.name() == null) {
      throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  // ---------------------------------------------------------------- options

  // ---------------------------------------------------------------- content negotiation

  /** What representation the client asked for: "Table", "PartialObjectMetadata" or null (the object). */
  static String representation(ApiRequest request) {
    String accept = request.header("Accept");
    if (accept == null) {
      return null;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "");
      if (p.contains("as=Table") && p.contains("g=meta.k8s.io") && (p.contains("v=v1;") || p.endsWith("v=v1")
          || p.contains("v=v1beta1"))) {
        return TABLE;
      }
      if (p.contains("as=PartialObjectMetadata") && p.contains("g=meta.k8s.io")) {
        return PARTIAL;
      }
      if (p.startsWith("application/json") && !p.contains("as=")) {
        return null;
      }
      if (p.startsWith("*/*") || p.startsWith("application/*")) {
        return null;
      }
    }
    return null;
  }

  /** A stored object as the client asked for it: in the served version, or as a Table or its metadata. */
  private ApiResponse encodeObject(ApiRequest request, ServedVersion version, ObjectNode stored, int status) {
    String representation = representation(request);
    if (TABLE.equals(representation)) {
      ObjectNode table = table(request, version, List.of(stored), null, false);
      table.putObject("metadata").put("resourceVersion", Meta.resourceVersion(stored));
      return ApiResponse.json(status, table);
    }
    if (PARTIAL.equals(representation)) {
      return ApiResponse.json(status, partial(stored));
    }
    return ApiResponse.json(status, version.toServed(stored));
  }

  /**
   * The Table of stored objects: rows are printed from the stored form (the built-in printers read the stored
   * version's fields), a custom resource's from the served form (its version's columns read that version's fields);
   * rows that include the whole object carry it in the served version.
   */
  private ObjectNode table(ApiRequest request, ServedVersion version, List<ObjectNode> stored, ObjectList list,
      boolean noHeaders) {
    String includeObject = request.param("includeObject");
    boolean servedForm = version.conversion().printsServedForm();
    List<ObjectNode> printed = servedForm ? version.toServed(stored) : stored;
    // printers are chosen by group and kind (every version of a built-in kind prints alike); a custom resource's
    // version has columns of its own
    ObjectNode table = tables.table(version.type(), printed, list, clock.instant(), includeObject, noHeaders);
    JsonNode rows = table.get("rows");
    if (!servedForm && !version.asStored() && INCLUDE_OBJECT.equals(includeObject) && rows != null) {
      for (int i = 0; i < rows.size() && i < stored.size(); i++) {
        ((ObjectNode) rows.get(i)).set("object", version.toServed(stored.get(i)));
      }
    }
    return table;
  }

  private static ObjectNode partial(ObjectNode object) {
    ObjectNode partial = Json.object();
    partial.put("kind", PARTIAL);
    partial.put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.get("metadata"));
    return partial;
  }

  // ---------------------------------------------------------------- verbs

  private ApiResponse list(ApiRequest request, Route route, ServedVersion version) {
    ListOptions options = requestOptions.list(request, route.type());
    ObjectList list = version.registry().list(route.namespace(), options);
    String representation = representation(request);
    if (TABLE.equals(representation)) {
      return ApiResponse.json(200, table(request, version, list.items(), list, false));
    }
    ObjectNode result = Json.object();
    boolean partial = PARTIAL.equals(representation);
    result.put("kind", partial ? "PartialObjectMetadataList" : route.type().kind() + "List");
    result.put("apiVersion", partial ? "meta.k8s.io/v1" : route.type().apiVersion());
    ObjectNode metadata = result.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(list.resourceVersion()));
    if (list.continueToken() != null) {
      metadata.put("continue", list.continueToken());
    }
    if (list.remainingItemCount() != null) {
      metadata.put("remainingItemCount", list.remainingItemCount());
    }
    ArrayNode items = result.putArray("items");
    for (ObjectNode item : partial ? list.items() : version.toServed(list.items())) {
      items.add(partial ? partial(item) : item);
    }
    return ApiResponse.json(200, result);
  }

  private ApiResponse create(ApiRequest request, Route route, ServedVersion version) {
    validateFieldManager(request, "CreateOptions");
    BodyDecoder.Decoded decoded = decoder.decode(route.type(), request.header("Content-Type"), request.body(),
        request.param("fieldValidation"));
    ObjectNode object = version.toStored(decoded.object());
    List<String> unknownFields = unknownFields(request, route, version, object);
    Requesters.stamp(route.type(), object, request.user());
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    ObjectNode created = version.registry().create(route.namespace(), checked(request, route, object),
        tracked(request, route, version, UpdateKind.MAIN, admissionWarnings));
    return encodeObject(request, version, created, 201).withWarnings(decoded.warnings()).withWarnings(unknownFields)
        .withWarnings(admissionWarnings);
  }

  private ApiResponse update(ApiRequest request, Route route, ServedVersion version, UpdateKind kind) {
    validateFieldManager(request, "UpdateOptions");
    BodyDecoder.Decoded decoded = decoder.decode(route.type(), request.header("Content-Type"), request.body(),
        request.param("fieldValidation"));
    ObjectNode object = version.toStored(decoded.object());
    List<String> unknownFields = unknownFields(request, route, version, object);
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    ObjectNode updated = version.registry().update(route.namespace(), route.name(), checked(request, route, object),
        tracked(request, route, version, kind, admissionWarnings), kind);
    return encodeObject(request, version, updated, 200).withWarnings(decoded.warnings()).withWarnings(unknownFields)
        .withWarnings(admissionWarnings);
  }

  /**
   * Field validation of the fields the kind's own schema does not know (custom resources, whose structural schema
   * prunes them): refused under Strict, warned about under Warn, as the apiserver's strict decoding of custom resources.
   */
  private List<String> unknownFields(ApiRequest request, Route route, ServedVersion version, ObjectNode stored) {
    return FieldValidation.parse(request.param("fieldValidation")).unknownFields(
        version.registry().strategy().unknownFields(stored), route.type().apiVersion(), route.type().kind());
  }

  private ApiResponse patch(ApiRequest request, Route route, ServedVersion version, UpdateKind kind) {
    String contentType = request.header("Content-Type");
    String media = BodyDecoder.mediaType(contentType);
    boolean applyPatch = media.equals("application/apply-patch+yaml") || media.equals("application/apply-patch+cbor");
    // ValidatePatchOptions, before the object is looked up
    if (!applyPatch && request.param("force") != null) {
      throw optionsInvalid("PatchOptions", FieldError.forbidden("force", "may not be specified for non-apply patch"));
    }
    if (applyPatch && (request.param("fieldManager") == null || request.param("fieldManager").isEmpty())) {
      throw optionsInvalid("PatchOptions", FieldError.required("fieldManager", "is required for apply patch"));
    }
    validateFieldManager(request, "PatchOptions");
    if (applyPatch) {
      return apply(request, route, version, kind);
    }
    if (!media.equals("application/json-patch+json") && !media.equals("application/merge-patch+json")
        && !media.equals("application/strategic-merge-patch+json")) {
      throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
          + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
          + "application/apply-patch+yaml, application/strategic-merge-patch+json", null, null, null, null);
    }
    FieldValidation validation = FieldValidation.parse(request.param("fieldValidation"));
    byte[] body = request.body();
    AtomicReference<List<String>> warnings = new AtomicReference<>(List.of());
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    // a patch applies to the object in the version of the request
    ObjectNode updated = version.registry().guaranteedUpdate(route.namespace(), route.name(), current -> {
      Plugins.Patched patched = patches.apply(media, version.toServed(current), body, route.type().apiVersion(),
          route.type().kind(), validation);
      ObjectNode stored = version.toStored(patched.object());
      // fields the kind's own schema does not know (custom resources): as the patcher's strict decoding
      List<String> unknownFields = Patches.unknownFieldsOfPatched(patched.object(),
          version.registry().strategy().unknownFields(stored), validation);
      warnings.set(unknownFields.isEmpty() ? patched.warnings()
          : Stream.concat(patched.warnings().stream(), unknownFields.stream()).toList());
      return checked(request, route, stored);
    }, tracked(request, route, version, kind, admissionWarnings), kind);
    return encodeObject(request, version, updated, 200).withWarnings(warnings.get()).withWarnings(admissionWarnings);
  }

  /**
   * Server-side apply: the applied configuration is merged into the live object (created when absent) by the field
   * manager, which owns the configuration's fields for the applier and fails on conflicts with other managers unless
   * {@code force} is set.
   */
  private ApiResponse apply(ApiRequest request, Route route, ServedVersion version, UpdateKind kind) {
    JsonNode applied = BodyDecoder.parseAny("application/yaml", request.body());
    if (!(applied instanceof ObjectNode appliedObject)) {
      throw ApiException.badRequest("the apply configuration must be an object");
    }
    JsonNode sentManagedFields = Json.at(appliedObject, "metadata", "managedFields");
    if (sentManagedFields != null && !sentManagedFields.isNull()) {
      throw ApiException.badRequest("metadata.managedFields must be nil");
    }
    patches.checkApplyConfiguration(appliedObject, route.type().apiVersion(), route.type().kind());
    FieldManager manager = fieldManager(request, route, route.type(), kind);
    boolean force = request.flag("force");
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    WriteOptions options = RequestOptions.write(request, admissionWarnings);
    GenericRegistry registry = version.registry();
    if (registry.find(route.namespace(), route.name()).isEmpty()) {
      if (kind != UpdateKind.MAIN) {
        throw ApiException.notFound(route.type(), route.name());
      }
      ObjectNode object = manager.apply(null, appliedObject, force);
      Meta.metadata(object).put("name", route.name());
      ObjectNode created = registry.create(route.namespace(), checked(request, route, version.toStored(object)),
          options);
      return encodeObject(request, version, created, 201).withWarnings(admissionWarnings);
    }
    ObjectNode updated = registry.guaranteedUpdate(route.namespace(), route.name(),
        current -> checked(request, route, version.toStored(manager.apply(version.toServed(current), appliedObject,
            force))), options, kind);
    return encodeObject(request, version, updated, 200).withWarnings(admissionWarnings);
  }

  /** ValidateFieldManager of the request's options: at most 128 bytes, printable characters only. */
  private static void validateFieldManager(ApiRequest request, String optionsKind) {
    String manager = request.param("fieldManager");
    if (manager == null) {
      return;
    }
    if (manager.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_MANAGER_BYTES) {
      throw optionsInvalid(optionsKind, FieldError.tooLong("fieldManager", manager, MAX_FIELD_MANAGER_BYTES));
    }
    int position = 0;
    for (int i = 0; i < manager.length(); ) {
      int codePoint = manager.codePointAt(i);
      if (!printable(codePoint)) {
        throw optionsInvalid(optionsKind, FieldError.invalid("fieldManager", manager,
            String.format("invalid character U+%04X (at position %d)", codePoint, position)));
      }
      position += Character.toString(codePoint).getBytes(StandardCharsets.UTF_8).length;
      i += Character.charCount(codePoint);
    }
  }

  /** Go's unicode.IsPrint, closely enough: no control, format, separator (but the space) or unassigned runes. */
  private static boolean printable(int codePoint) {
    if (codePoint == ' ') {
      return true;
    }
    int type = Character.getType(codePoint);
    return Character.isDefined(codePoint) && type != Character.CONTROL && type != Character.FORMAT
        && type != Character.SPACE_SEPARATOR && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR && type != Character.SURROGATE && type != Character.PRIVATE_USE;
  }

  /** The 422 of invalid request options: {@code PatchOptions.meta.k8s.io "" is invalid: force: ...}. */
  private static ApiException optionsInvalid(String optionsKind, FieldError error) {
    return new ApiException(422, "Invalid", optionsKind + ".meta.k8s.io \"\" is invalid: " + error.message(), "",
        "meta.k8s.io", optionsKind, List.of(new ApiException.Cause(error.type().reason(), error.body(),
            error.field())));
  }

  /**
   * The write options of a non-apply write, whose managed fields the field manager records; admission warnings go to
   * {@code admissionWarnings}.
   */
  private WriteOptions tracked(ApiRequest request, Route route, ServedVersion version, UpdateKind kind,
      List<String> admissionWarnings) {
    FieldManager manager = fieldManager(request, route, version.registry().type(), kind);
    return RequestOptions.write(request, admissionWarnings).withTracking(manager::update);
  }

  /**
   * The field manager of a request: its {@code fieldManager}, else the User-Agent up to its first "/" (printable
   * characters, at most 128 bytes), as the apiserver names an unnamed writer.
   */
  private FieldManager fieldManager(ApiRequest request, Route route, ResourceType schemaType, UpdateKind kind) {
    return FieldManager.forWrite(route.type(), schemaType,
        FieldManager.managerName(request.param("fieldManager"), request.header("User-Agent")),
        route.subresource() == null ? "" : route.subresource(), kind, clock.instant());
  }

  /** The object a request is about to store, once escalation prevention let it through (RBAC kinds). */
  private ObjectNode checked(ApiRequest request, Route route, ObjectNode object) {
    authorization.escalation().check(route.type(), route.namespace(), object, request.user());
    return object;
  }

  private ApiResponse delete(ApiRequest request, Route route, ServedVersion version) {
    DeleteOptions options = requestOptions.delete(request);
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    GenericRegistry.DeleteResult result = version.registry().delete(route.namespace(), route.name(), options,
        RequestOptions.requester(request, admissionWarnings));
    ResourceType stored = version.registry().type();
    boolean returnsObject = stored == ResourceTypes.PODS || stored == ResourceTypes.SERVICES
        || stored == ResourceTypes.NAMESPACES || !result.gone();
    if (returnsObject) {
      return encodeObject(request, version, result.object(), 200).withWarnings(admissionWarnings);
    }
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    ObjectNode details = status.putObject("details");
    details.put("name", route.name());
    if (!route.type().group().isEmpty()) {
      details.put("group", route.type().group());
    }
    details.put("kind", route.type().plural());
    details.put("uid", Meta.uid(result.object()));
    return ApiResponse.json(200, status).withWarnings(admissionWarnings);
  }

  /**
   * Deletes the collection and answers with the list of what was deleted or marked, each object encoded as its page of
   * deletions is done, so that the objects are not all held at once.
   */
  private ApiResponse deleteCollection(ApiRequest request, Route route, ServedVersion version) {
    DeleteOptions options = requestOptions.delete(request);
    ListOptions listOptions = requestOptions.list(request, route.type());
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    EncodedList deleted = new EncodedList(route.type(), version);
    version.registry().deleteCollection(route.namespace(), listOptions, options,
        RequestOptions.requester(request, admissionWarnings), deleted);
    return new ApiResponse(200, ApiResponse.JSON, deleted.finish(), List.of()).withWarnings(admissionWarnings);
  }

  /** The list a delete collection answers with, encoded object by object as they come. */
  private static final class EncodedList implements GenericRegistry.DeletedSink {
    private final ResourceType type;
    private final ServedVersion version;
    private Json.ArrayEncoder encoder;

    EncodedList(ResourceType type, ServedVersion version) {
      this.type = type;
      this.version = version;
    }

    @Override
    public void listed(long revision) {
      ObjectNode head = Json.object();
      head.put("kind", type.kind() + "List");
      head.put("apiVersion", type.apiVersion());
      head.putObject("metadata").put("resourceVersion", Long.toString(revision));
      encoder = Json.arrayEncoder(head, "items");
    }

    @Override
    public void deleted(ObjectNode object) {
      encoder.add(version.toServed(object));
    }

    byte[] finish() {
      return encoder.finish();
    }
  }

  // ---------------------------------------------------------------- subresources

  private void subresource(ApiRequest request, Route route, ServedVersion version, ResponseChannel channel) {
    HttpMethod method = request.method();
    String sub = route.subresource();
    GenericRegistry registry = version.registry();
    switch (sub) {
      case "status" -> {
        if (method.equals(HttpMethod.GET)) {
          channel.respond(encodeObject(request, version, registry.get(route.namespace(), route.name()), 200));
        } else if (method.equals(HttpMethod.PUT)) {
          channel.respond(update(request, route, version, UpdateKind.STATUS));
        } else if (method.equals(HttpMethod.PATCH)) {
          channel.respond(patch(request, route, version, UpdateKind.STATUS));
        } else {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
      }
      case "scale" -> channel.respond(scale(request, route, registry));
      case "approval" -> {
        if (method.equals(HttpMethod.GET)) {
          channel.respond(encodeObject(request, version, registry.get(route.namespace(), route.name()), 200));
        } else if (method.equals(HttpMethod.PUT)) {
          BodyDecoder.Decoded decoded = decoder.decode(route.type(), request.header("Content-Type"), request.body(),
              request.param("fieldValidation"));
          String signerName = Json.text(Json.get(registry.get(null, route.name()), "spec"), "signerName");
          authorization.signers().checkApprove(route.name(), signerName, request.user());
          List<String> admissionWarnings = new CopyOnWriteArrayList<>();
          ObjectNode updated = subresources.approval().update(route.name(), version.toStored(decoded.object()),
              RequestOptions.write(request, admissionWarnings));
          channel.respond(encodeObject(request, version, updated, 200).withWarnings(decoded.warnings())
              .withWarnings(admissionWarnings));
        } else {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
      }
      case "binding" -> {
        if (!method.equals(HttpMethod.POST)) {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        channel.respond(binding(request, route, route.name()));
      }
      case "eviction" -> {
        if (!method.equals(HttpMethod.POST)) {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        RequestOptions.Eviction eviction = requestOptions.eviction(request);
        subresources.eviction().evict(route.namespace(), route.name(), eviction.name(), eviction.options());
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        status.put("code", 201);
        channel.respond(ApiResponse.json(201, status));
      }
      case "finalize" -> {
        if (!method.equals(HttpMethod.PUT)) {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        BodyDecoder.Decoded decoded = decoder.decode(route.type(), request.header("Content-Type"), request.body(),
            "Ignore");
        List<String> finalizers = new ArrayList<>();
        JsonNode requested = Json.at(decoded.object(), "spec", "finalizers");
        if (requested != null && requested.isArray()) {
          requested.forEach(finalizer -> finalizers.add(finalizer.asText()));
        }
        ObjectNode updated = subresources.finalizeNamespace().update(route.name(), current -> finalizers,
            RequestOptions.write(request, new CopyOnWriteArrayList<>()));
        channel.respond(ApiResponse.json(200, updated));
      }
      case "token" -> {
        if (!method.equals(HttpMethod.POST)) {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        BodyDecoder.Decoded decoded = decoder.decode(TokenRequestOperation.API_VERSION, TokenRequestOperation.KIND,
            request.header("Content-Type"), request.body(), "Ignore");
        channel.respond(ApiResponse.json(201,
            subresources.token().create(route.namespace(), route.name(), decoded.object())));
      }
      case "log" -> {
        if (!method.equals(HttpMethod.GET)) {
          throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        podStreams.log(registry.get(route.namespace(), route.name()), request, channel);
      }
      default -> throw new ApiException(400, "BadRequest", "the subresource " + sub
          + " needs a connection upgrade (SPDY or WebSocket)", null, null, null, null);
    }
  }

  private ApiResponse selfReview(ApiRequest request, Route route) {
    BodyDecoder.Decoded decoded = decoder.decode(route.type(), request.header("Content-Type"), request.body(),
        request.param("fieldValidation"));
    UserInfo user = request.user() != null ? request.user() : UserInfo.ANONYMOUS;
    ObjectNode answered = AccessReviews.answers(route.type().kind())
        ? authorization.reviews().answer(route.type(), route.namespace(), decoded.object(), user)
        : SelfReviews.answer(route.type(), decoded.object(), user);
    return ApiResponse.json(201, answered).withWarnings(decoded.warnings());
  }

  private ApiResponse binding(ApiRequest request, Route route, String podName) {
    // a Binding of the version addressed: pods/binding of v1beta3 takes a v1beta3 Binding (same fields as v1's)
    String bindingVersion = podName == null ? ResourceTypes.BINDINGS.apiVersion() : route.type().apiVersion();
    BodyDecoder.Decoded decoded = decoder.decode(bindingVersion, ResourceTypes.BINDINGS.kind(),
        request.header("Content-Type"), request.body(), "Ignore");
    ObjectNode binding = decoded.object();
    subresources.binding().bind(route.namespace(), podName, binding,
        RequestOptions.write(request, new CopyOnWriteArrayList<>()));
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    status.put("code", 201);
    return ApiResponse.json(201, status);
  }

  private ApiResponse scale(ApiRequest request, Route route, GenericRegistry registry) {
    HttpMethod method = request.method();
    ScaleOperation scale = subresources.scale(registry.type());
    if (method.equals(HttpMethod.GET)) {
      return ApiResponse.json(200, scale.get(route.namespace(), route.name()));
    }
    if (!method.equals(HttpMethod.PUT) && !method.equals(HttpMethod.PATCH)) {
      throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
    // a Scale body is decoded (PUT) or patched (PATCH) as an autoscaling/v1 Scale, with that type's checks
    BodyDecoder.Decoded put = method.equals(HttpMethod.PUT) ? decoder.decode(ScaleOperation.API_VERSION,
        ScaleOperation.KIND, request.header("Content-Type"), request.body(), request.param("fieldValidation")) : null;
    FieldValidation validation = FieldValidation.parse(request.param("fieldValidation"));
    AtomicReference<List<String>> warnings = new AtomicReference<>(put == null ? List.of() : put.warnings());
    List<String> admissionWarnings = new CopyOnWriteArrayList<>();
    String media = BodyDecoder.mediaType(request.header("Content-Type"));
    ObjectNode updated = scale.update(route.namespace(), route.name(), current -> {
      if (put != null) {
        return put.object().deepCopy();
      }
      Plugins.Patched patched = patches.apply(media, current, request.body(), ScaleOperation.API_VERSION,
          ScaleOperation.KIND, validation);
      warnings.set(patched.warnings());
      return patched.object();
    }, RequestOptions.write(request, admissionWarnings).withTracking(
        fieldManager(request, route, registry.type(), UpdateKind.MAIN)::update));
    return ApiResponse.json(200, updated).withWarnings(warnings.get()).withWarnings(admissionWarnings);
  }

  // ---------------------------------------------------------------- watch

  private void watch(ApiRequest request, Route route, ServedVersion version, ResponseChannel channel) {
    ListOptions options = requestOptions.list(request, route.type());
    boolean table = TABLE.equals(representation(request));
    boolean partial = PARTIAL.equals(representation(request));
    WatchStream.Encoder encoder = new WatchStream.Encoder() {
      @Override
      public JsonNode object(ObjectNode stored, boolean first) {
        if (table) {
          ObjectNode t = table(request, version, List.of(stored), null, !first);
          t.putObject("metadata").put("resourceVersion", Meta.resourceVersion(stored));
          return t;
        }
        return partial ? partial(stored) : version.toServed(stored);
      }

      @Override
      public ObjectNode bookmark() {
        ObjectNode object = Json.object();
        object.put("kind", table ? TABLE : partial ? PARTIAL : route.type().kind());
        object.put("apiVersion", table || partial ? "meta.k8s.io/v1" : route.type().apiVersion());
        return object;
      }
    };
    watchStream.serve(channel, options.timeoutSeconds(), encoder,
        sink -> version.registry().watch(route.namespace(), options, sink));
  }
}
