package io.minicluster.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.List;

/** A failed API call, rendered to the client as a {@code Status} object (k8s.io/apimachinery/pkg/api/errors). */
public class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final String name;
  private final String group;
  private final String kind;
  private final List<Cause> causes;
  private final Integer retryAfterSeconds;

  /** One entry of {@code details.causes}. */
  public record Cause(String reason, String message, String field) {}

  public ApiException(int code, String reason, String message, String name, String group, String kind,
      List<Cause> causes) {
    this(code, reason, message, name, group, kind, causes, null);
  }

  public ApiException(int code, String reason, String message, String name, String group, String kind,
      List<Cause> causes, Integer retryAfterSeconds) {
    super(requireNonNull(message, "message is null"));
    this.code = code;
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
    this.causes = causes == null ? List.of() : List.copyOf(causes);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public List<Cause> causes() {
    return causes;
  }

  /** The Status details' retryAfterSeconds, 0 when it has none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds == null ? 0 : retryAfterSeconds;
  }

  /** The Status object for this error. */
  public ObjectNode toStatus() {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", getMessage());
    if (reason != null && !reason.isEmpty()) {
      status.put("reason", reason);
    }
    if (name != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null) {
      ObjectNode details = status.putObject("details");
      // as metav1.StatusDetails' omitempty fields: "" is left out (a 403 on a path has "details":{})
      if (name != null && !name.isEmpty()) {
        details.put("name", name);
      }
      if (group != null && !group.isEmpty()) {
        details.put("group", group);
      }
      if (kind != null && !kind.isEmpty()) {
        details.put("kind", kind);
      }
      if (!causes.isEmpty()) {
        ArrayNode array = details.putArray("causes");
        for (Cause cause : causes) {
          ObjectNode c = array.addObject();
          if (cause.reason() != null) {
            c.put("reason", cause.reason());
          }
          if (cause.message() != null) {
            c.put("message", cause.message());
          }
          if (cause.field() != null) {
            c.put("field", cause.field());
          }
        }
      }
      if (retryAfterSeconds != null) {
        details.put("retryAfterSeconds", retryAfterSeconds);
      }
    }
    status.put("code", code);
    return status;
  }

  private static String qualified(ResourceType type) {
    return type.groupResource();
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(404, "NotFound", qualified(type) + " \"" + name + "\" not found", name, type.group(),
        type.plural(), null);
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(409, "AlreadyExists", qualified(type) + " \"" + name + "\" already exists", name,
        type.group(), type.plural(), null);
  }

  public static ApiException conflict(ResourceType type, String name, String detail) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(type) + " \"" + name
        + "\": " + detail, name, type.group(), type.plural(), null);
  }

  public static ApiException modified(ResourceType type, String name) {
    return conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null, null, null, null);
  }

  public static ApiException notFoundPath() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null,
        null);
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message, null, null, null, null);
  }

  public static ApiException expired(String message) {
    return new ApiException(410, "Expired", message, null, null, null, null);
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "Gone", message, null, null, null, null);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, "RequestEntityTooLarge", message, null, null, null, null);
  }

  public static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
        + "accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
        null, null, null, null);
  }

  public static ApiException notAcceptable(String message) {
    return new ApiException(406, "NotAcceptable", message, null, null, null, null);
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, null);
  }

  public static ApiException forbidden(ResourceType type, String name, String detail) {
    String what = qualified(type) + (name == null ? "" : " \"" + name + "\"");
    return new ApiException(403, "Forbidden", what + " is forbidden: " + detail, name, type.group(), type.plural(),
        null);
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null, null);
  }

  public static ApiException serviceUnavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message, null, null, null, null);
  }

  public static ApiException invalid(ResourceType type, String name, List<FieldError> errors) {
    // the apiserver names the kind qualified by its group (NewInvalid's GroupKind: "Deployment.apps"); kubectl's own
    // "The Deployment ... is invalid" is built from the details
    String qualifiedKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    StringBuilder message = new StringBuilder(qualifiedKind).append(" \"").append(name).append("\" is invalid: ");
    if (errors.size() == 1) {
      message.append(errors.get(0).message());
    } else {
      message.append('[');
      for (int i = 0; i < errors.size(); i++) {
        message.append(i == 0 ? "" : ", ").append(errors.get(i).message());
      }
      message.append(']');
    }
    List<Cause> causes = errors.stream()
        .map(e -> new Cause(e.type().reason(), e.body(), e.field()))
        .toList();
    return new ApiException(422, "Invalid", message.toString(), name, type.group(), type.kind(), causes);
  }
}
