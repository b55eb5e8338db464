package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.health.Liveness;
import io.minicluster.json.Json;
import io.minicluster.serviceaccount.ServiceAccountTokens;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Top-level routing of API paths: health, version, discovery, OpenAPI, metrics, metrics.k8s.io and resources. */
public final class ApiRouter {
  /** Serves OpenAPI documents: the v3 root, one v3 group-version document, or v2. */
  public interface OpenApiSource {
    /** Returns the document for a path below /openapi/ (e.g. "v3", "v3/api/v1", "v3/apis/apps/v1", "v2"). */
    ApiResponse document(String path, String accept);
  }

  private final ResourceEndpoints resources;
  private final Discovery discovery;
  private final OpenApiSource openApi;
  private final Supplier<String> metrics;
  private final BooleanSupplier ready;
  private final String gitVersion;
  private final HealthChecks health;
  private final MetricsEndpoints resourceMetrics;
  private final ServiceAccountTokens serviceAccountIssuer;

  /**
   * @param metrics the daemon's own metrics (Prometheus text at /metrics)
   * @param resourceMetrics the metrics.k8s.io API (node and pod usage)
   * @param serviceAccountIssuer the issuer of service-account tokens, whose discovery documents are served, or null
   */
  public ApiRouter(ResourceEndpoints resources, Discovery discovery, OpenApiSource openApi, Supplier<String> metrics,
      BooleanSupplier ready, String gitVersion, Liveness liveness, MetricsEndpoints resourceMetrics,
      ServiceAccountTokens serviceAccountIssuer) {
    this.serviceAccountIssuer = serviceAccountIssuer;
    this.resources = requireNonNull(resources, "resources is null");
    this.resourceMetrics = requireNonNull(resourceMetrics, "resourceMetrics is null");
    this.discovery = requireNonNull(discovery, "discovery is null");
    this.openApi = requireNonNull(openApi, "openApi is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.ready = requireNonNull(ready, "ready is null");
    this.gitVersion = requireNonNull(gitVersion, "gitVersion is null");
    this.health = new HealthChecks(liveness);
  }

  public void handle(ApiRequest request, ResponseChannel channel) {
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String accept = request.header("Accept");
    boolean get = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
    for (String endpoint : new String[] {"livez", "healthz"}) {
      Optional<ApiResponse> answer = health.handle(endpoint, path, request);
      if (answer.isPresent()) {
        channel.respond(answer.get());
        return;
      }
    }
    switch (path) {
      case "/readyz", "/readyz/ping" -> {
        channel.respond(ready.getAsBoolean() ? ApiResponse.text(200, "ok")
            : ApiResponse.text(500, "[-]minicluster not ready\nreadyz check failed"));
        return;
      }
      case "/version" -> {
        channel.respond(ApiResponse.rawJson(200, version()));
        return;
      }
      case "/metrics" -> {
        channel.respond(ApiResponse.text(200, metrics.get()));
        return;
      }
      case "/api" -> {
        requireGet(get);
        channel.respond(discovery.api(accept));
        return;
      }
      case "/apis" -> {
        requireGet(get);
        channel.respond(discovery.apis(accept));
        return;
      }
      case "/.well-known/openid-configuration", "/openid/v1/jwks" -> {
        // service-account issuer discovery, as the apiserver serves it (jwk-set+json for the key set)
        requireGet(get);
        if (serviceAccountIssuer == null) {
          throw ApiException.notFoundPath();
        }
        channel.respond(path.startsWith("/openid/")
            ? ApiResponse.json(200, serviceAccountIssuer.jwks(), "application/jwk-set+json")
            : ApiResponse.json(200, serviceAccountIssuer.openIdConfiguration()));
        return;
      }
      default -> {
      }
    }
    if (path.startsWith("/openapi/")) {
      requireGet(get);
      channel.respond(openApi.document(path.substring("/openapi/".length()), accept));
      return;
    }
    String[] segments = path.substring(1).split("/");
    if (segments[0].equals("api") && segments.length == 2) {
      requireGet(get);
      channel.respond(discovery.resourceList("", segments[1]));
      return;
    }
    if (segments[0].equals("apis") && segments.length == 2) {
      requireGet(get);
      channel.respond(discovery.apiGroup(segments[1]));
      return;
    }
    if (segments[0].equals("apis") && segments.length == 3) {
      requireGet(get);
      channel.respond(discovery.resourceList(segments[1], segments[2]));
      return;
    }
    if (MetricsEndpoints.serves(path)) {
      channel.respond(resourceMetrics.handle(request, path));
      return;
    }
    resources.handle(request, channel);
  }

  private static void requireGet(boolean get) {
    if (!get) {
      throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  private ObjectNode version() {
    ObjectNode version = Json.object();
    String[] parts = gitVersion.substring(1).split("\\.");
    version.put("major", parts[0]);
    version.put("minor", parts.length > 1 ? parts[1] : "0");
    version.put("emulationMajor", parts[0]);
    version.put("emulationMinor", parts.length > 1 ? parts[1] : "0");
    version.put("minCompatibilityMajor", parts[0]);
    version.put("minCompatibilityMinor", parts.length > 1 ? Integer.toString(Math.max(0,
        Integer.parseInt(parts[1]) - 1)) : "0");
    version.put("gitVersion", gitVersion + "-minicluster");
    version.put("gitCommit", "0000000000000000000000000000000000000000");
    version.put("gitTreeState", "clean");
    version.put("buildDate", "2026-11-21T00:00:00Z");
    version.put("goVersion", "go1.25.0");
    version.put("compiler", "gc");
    version.put("platform", "linux/amd64");
    return version;
  }
}
