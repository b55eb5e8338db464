package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.registry.Requester;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Decodes the options of a request from its query and body, as the apiserver decodes metav1.CreateOptions,
 * ListOptions and DeleteOptions: the registry gets them as its own option records.
 */
final class RequestOptions {
  private final Plugins.FilterFactory filters;
  private final Plugins.ProtobufDecoder protobuf;

  RequestOptions(Plugins.FilterFactory filters, Plugins.ProtobufDecoder protobuf) {
    this.filters = requireNonNull(filters, "filters is null");
    this.protobuf = requireNonNull(protobuf, "protobuf is null");
  }

  /**
   * The options of a create, update or patch: dryRun, fieldManager and the requester, whose admission warnings go to
   * {@code warnings}.
   */
  static WriteOptions write(ApiRequest request, List<String> warnings) {
    return new WriteOptions(dryRun(request.params("dryRun")), request.param("fieldManager"),
        requester(request, warnings));
  }

  /** The request's user as admission sees it; admission warnings are added to {@code warnings}. */
  static Requester requester(ApiRequest request, List<String> warnings) {
    return requester(request.user(), warnings::add);
  }

  /** A user as admission sees it (null: the daemon itself). */
  static Requester requester(UserInfo user, Consumer<String> warnings) {
    if (user == null) {
      return new Requester(Requester.IN_PROCESS.name(), "", Requester.IN_PROCESS.groups(), Map.of(), warnings);
    }
    return new Requester(user.name(), user.uid(), user.groups(), user.extra(), warnings);
  }

  private static boolean dryRun(List<String> values) {
    boolean dry = false;
    for (String value : values) {
      if (value.equals("All")) {
        dry = true;
      } else if (!value.isEmpty()) {
        throw new ApiException(400, "BadRequest", "Invalid dry run value: " + value + " (supported values: All)",
            null, null, null, null);
      }
    }
    return dry;
  }

  /** The options of a list or watch: selectors, paging, resourceVersion, streaming list, bookmarks, timeout. */
  ListOptions list(ApiRequest request, ResourceType type) {
    Predicate<ObjectNode> filter = filters.filter(type, request.param("labelSelector"), request.param("fieldSelector"));
    int limit = 0;
    String limitParam = request.param("limit");
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid limit: " + limitParam);
      }
      if (limit < 0) {
        limit = 0;
      }
    }
    Boolean sendInitialEvents = null;
    if (request.param("sendInitialEvents") != null) {
      sendInitialEvents = request.flag("sendInitialEvents");
    }
    String resourceVersion = request.param("resourceVersion");
    String match = request.param("resourceVersionMatch");
    if (Boolean.TRUE.equals(sendInitialEvents)) {
      List<FieldError> errors = new ArrayList<>();
      if (!"NotOlderThan".equals(match)) {
        errors.add(FieldError.forbidden("resourceVersionMatch",
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
      }
      if (!errors.isEmpty()) {
        throw invalidList(errors);
      }
    }
    long timeout = 0;
    String timeoutParam = request.param("timeoutSeconds");
    if (timeoutParam != null && !timeoutParam.isEmpty()) {
      try {
        timeout = Long.parseLong(timeoutParam);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid timeoutSeconds: " + timeoutParam);
      }
    }
    return new ListOptions(filter, limit, request.param("continue"), resourceVersion, sendInitialEvents,
        request.flag("allowWatchBookmarks"), timeout);
  }

  private static ApiException invalidList(List<FieldError> errors) {
    StringBuilder message = new StringBuilder("ListOptions.meta.k8s.io \"\" is invalid: ");
    message.append(errors.size() == 1 ? errors.get(0).message()
        : "[" + String.join(", ", errors.stream().map(FieldError::message).toList()) + "]");
    return new ApiException(422, "Invalid", message.toString(), "", "meta.k8s.io", "ListOptions",
        errors.stream().map(e -> new ApiException.Cause(e.type().reason(), e.body(), e.field())).toList());
  }

  /** An Eviction's name and delete options (deleteOptions of the body, dryRun of the query or the body). */
  record Eviction(String name, DeleteOptions options) {}

  /** The options of a delete: query parameters, overridden by a DeleteOptions body. */
  DeleteOptions delete(ApiRequest request) {
    Long grace = null;
    String propagation = request.param("propagationPolicy");
    String graceParam = request.param("gracePeriodSeconds");
    if (graceParam != null && !graceParam.isEmpty()) {
      try {
        grace = Long.parseLong(graceParam);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid gracePeriodSeconds: " + graceParam);
      }
    }
    if (request.param("orphanDependents") != null && propagation == null) {
      propagation = request.flag("orphanDependents") ? "Orphan" : "Background";
    }
    DeleteOptions options = new DeleteOptions(grace, propagation, null, null, dryRun(request.params("dryRun")));
    return request.body().length > 0 ? withBody(options, body(request)) : options;
  }

  /** The Eviction of a pods/eviction request. */
  Eviction eviction(ApiRequest request) {
    DeleteOptions options = new DeleteOptions(null, null, null, null, dryRun(request.params("dryRun")));
    if (request.body().length == 0) {
      return new Eviction(null, options);
    }
    JsonNode body = body(request);
    JsonNode deleteOptions = body.get("deleteOptions");
    return new Eviction(Json.textOrNull(body, "metadata", "name"),
        deleteOptions == null ? options : withBody(options, deleteOptions));
  }

  private JsonNode body(ApiRequest request) {
    String media = BodyDecoder.mediaType(request.header("Content-Type"));
    return media.equals(BodyDecoder.PROTOBUF) ? protobuf.decode(request.body())
        : BodyDecoder.parseAny(media, request.body());
  }

  /** The options with what a DeleteOptions object sets: grace period, propagation, preconditions, dryRun. */
  private static DeleteOptions withBody(DeleteOptions options, JsonNode body) {
    if (body == null || !body.isObject()) {
      return options;
    }
    Long grace = options.gracePeriodSeconds();
    String propagation = options.propagationPolicy();
    String uid = null;
    String resourceVersion = null;
    boolean dry = options.dryRun();
    if (body.hasNonNull("gracePeriodSeconds")) {
      grace = body.get("gracePeriodSeconds").asLong();
    }
    if (body.hasNonNull("propagationPolicy")) {
      propagation = body.get("propagationPolicy").asText();
    } else if (body.hasNonNull("orphanDependents")) {
      propagation = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
    }
    JsonNode preconditions = body.get("preconditions");
    if (preconditions != null && preconditions.isObject()) {
      uid = Json.textOrNull(preconditions, "uid");
      resourceVersion = Json.textOrNull(preconditions, "resourceVersion");
    }
    JsonNode dryRun = body.get("dryRun");
    if (dryRun != null && dryRun.isArray()) {
      List<String> values = new ArrayList<>();
      dryRun.forEach(v -> values.add(v.asText()));
      dry |= dryRun(values);
    }
    return new DeleteOptions(grace, propagation, uid, resourceVersion, dry);
  }
}
