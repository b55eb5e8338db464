package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete (non-streaming) response.
 *
 * @param retryAfterSeconds the {@code Retry-After} header's value when above 0, as the apiserver sets it for a
 *     Status whose details carry retryAfterSeconds
 */
public record ApiResponse(int status, String contentType, byte[] body, List<String> warnings, int retryAfterSeconds) {
  public static final String JSON = "application/json";

  public ApiResponse {
    requireNonNull(contentType, "contentType is null");
    requireNonNull(body, "body is null");
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public ApiResponse(int status, String contentType, byte[] body, List<String> warnings) {
    this(status, contentType, body, warnings, 0);
  }

  /** An object, list or Status as the apiserver's JSON serializer writes it: see {@link Json#encoded}. */
  public static ApiResponse json(int status, JsonNode node) {
    return json(status, node, JSON);
  }

  public static ApiResponse json(int status, JsonNode node, String contentType) {
    return new ApiResponse(status, contentType, Json.encoded(node), List.of());
  }

  /** A value written as the apiserver's responsewriters.WriteRawJSON does (/version): indented, no newline. */
  public static ApiResponse rawJson(int status, JsonNode node) {
    return new ApiResponse(status, JSON, Json.indented(node), List.of());
  }

  public static ApiResponse text(int status, String text) {
    return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), List.of());
  }

  public static ApiResponse error(ApiException error) {
    return new ApiResponse(error.code(), JSON, Json.encoded(error.toStatus()), List.of(),
        error.retryAfterSeconds());
  }

  public ApiResponse withWarnings(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(warnings);
    all.addAll(more);
    return new ApiResponse(status, contentType, body, all, retryAfterSeconds);
  }
}
