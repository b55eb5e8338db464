package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.fields.FieldSelector;
import io.minicluster.api.labels.Selector;
import io.minicluster.metrics.MetricsJson;
import io.minicluster.metrics.MetricsSnapshot;
import io.minicluster.metrics.NodeMetrics;
import io.minicluster.metrics.PodMetrics;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: get and list of NodeMetrics ({@code nodes}) and PodMetrics
 * ({@code pods}, in a namespace or across all), from the last sampling round. Lists take a labelSelector and a
 * fieldSelector on {@code metadata.name} (and {@code metadata.namespace} for pods); an object without metrics yet is
 * NotFound, as metrics-server answers. Tables (kubectl get nodemetrics) come from metrics-server's convertor; a watch
 * is refused, as metrics-server implements none.
 */
public final class MetricsEndpoints {
  /** The path prefix served here. */
  public static final String PREFIX = "/apis/" + ResourceTypes.NODE_METRICS.apiVersion() + "/";

  private final Supplier<MetricsSnapshot> metrics;
  private final Clock clock;
  private final Plugins.TableConverter tables;

  public MetricsEndpoints(Supplier<MetricsSnapshot> metrics, Clock clock, Plugins.TableConverter tables) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.tables = requireNonNull(tables, "tables is null");
  }

  /** Whether {@code path} (without a trailing slash) is below metrics.k8s.io/v1beta1. */
  public static boolean serves(String path) {
    return path.startsWith(PREFIX);
  }

  /** Answers a request for a path {@link #serves} accepts. */
  public ApiResponse handle(ApiRequest request, String path) {
    String[] segments = path.substring(PREFIX.length()).split("/");
    boolean get = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
    MetricsSnapshot snapshot = metrics.get();
    Instant now = clock.instant();
    if (segments[0].equals("nodes") && segments.length <= 2) {
      requireGet(get);
      if (segments.length == 2) {
        NodeMetrics node = snapshot.node(segments[1])
            .orElseThrow(() -> notFound("nodemetrics", segments[1]));
        return object(request, ResourceTypes.NODE_METRICS, MetricsJson.node(node, now), now);
      }
      refuseWatch(request, "nodes");
      return list(request, ResourceTypes.NODE_METRICS, "NodeMetricsList",
          snapshot.nodes().stream().map(node -> MetricsJson.node(node, now)).toList(), now);
    }
    String namespace = null;
    int pods = 0;
    if (segments[0].equals("namespaces") && segments.length >= 3) {
      namespace = segments[1];
      pods = 2;
    }
    if (segments[pods].equals("pods") && segments.length <= pods + 2) {
      requireGet(get);
      if (segments.length == pods + 2) {
        if (namespace == null) {
          throw ApiException.notFoundPath();
        }
        String name = segments[pods + 1];
        String podNamespace = namespace;
        PodMetrics pod = snapshot.pod(namespace, name)
            .orElseThrow(() -> notFound("podmetrics", podNamespace + "/" + name));
        return object(request, ResourceTypes.POD_METRICS, MetricsJson.pod(pod, now), now);
      }
      refuseWatch(request, "pods");
      return list(request, ResourceTypes.POD_METRICS, "PodMetricsList",
          snapshot.pods(namespace).stream().map(pod -> MetricsJson.pod(pod, now)).toList(), now);
    }
    throw ApiException.notFoundPath();
  }

  /** One object, or its Table. */
  private ApiResponse object(ApiRequest request, ResourceType type, ObjectNode object, Instant now) {
    if (ResourceEndpoints.TABLE.equals(ResourceEndpoints.representation(request))) {
      return ApiResponse.json(200, tables.table(type, List.of(object), null, now, request.param("includeObject"),
          false));
    }
    return ApiResponse.json(200, object);
  }

  /** The apiserver's answer to a watch of a resource whose storage cannot watch (NewMethodNotSupported). */
  private static void refuseWatch(ApiRequest request, String resource) {
    String watch = request.param("watch");
    if (watch != null && (watch.equals("true") || watch.equals("1"))) {
      throw new ApiException(405, "MethodNotAllowed", "watch is not supported on resources of kind \"" + resource
          + "." + ResourceTypes.NODE_METRICS.group() + "\"", null, ResourceTypes.NODE_METRICS.group(), resource,
          null);
    }
  }

  private ApiResponse list(ApiRequest request, ResourceType type, String kind, List<ObjectNode> objects,
      Instant now) {
    String labelSelector = request.param("labelSelector");
    String fieldSelector = request.param("fieldSelector");
    Selector labels = labelSelector == null || labelSelector.isEmpty() ? Selector.everything()
        : Selector.parse(labelSelector);
    FieldSelector fields = fieldSelector == null || fieldSelector.isEmpty() ? FieldSelector.everything()
        : FieldSelector.parse(fieldSelector);
    for (FieldSelector.Requirement requirement : fields.requirements()) {
      boolean known = requirement.field().equals("metadata.name")
          || type.namespaced() && requirement.field().equals("metadata.namespace");
      if (!known) {
        throw ApiException.badRequest("field label not supported: " + requirement.field());
      }
    }
    List<ObjectNode> items = objects.stream()
        .filter(labels::matchesObject)
        .filter(object -> fields.matches(Map.of(
            "metadata.name", object.path("metadata").path("name").asText(),
            "metadata.namespace", object.path("metadata").path("namespace").asText())))
        .toList();
    if (ResourceEndpoints.TABLE.equals(ResourceEndpoints.representation(request))) {
      return ApiResponse.json(200, tables.table(type, items, null, now, request.param("includeObject"), false));
    }
    return ApiResponse.json(200, MetricsJson.list(kind, items));
  }

  /**
   * metrics-server's NotFound for an object it has no metrics of: its resource named as "nodemetrics" or "podmetrics",
   * a pod by namespace/name ({@code podmetrics.metrics.k8s.io "default/web" not found}).
   */
  private static ApiException notFound(String resource, String name) {
    return new ApiException(404, "NotFound", resource + "." + ResourceTypes.POD_METRICS.group() + " \"" + name
        + "\" not found", name, ResourceTypes.POD_METRICS.group(), resource, null);
  }

  private static void requireGet(boolean get) {
    if (!get) {
      throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  /** The snapshot of a sampler that is not running: nothing is reported. */
  public static Supplier<MetricsSnapshot> none() {
    return () -> MetricsSnapshot.EMPTY;
  }
}
