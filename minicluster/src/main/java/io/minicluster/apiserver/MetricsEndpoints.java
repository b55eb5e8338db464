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
 * NotFound, as metrics-server answers.
 */
public final class MetricsEndpoints {
  /** The path prefix served here. */
  public static final String PREFIX = "/apis/" + ResourceTypes.NODE_METRICS.apiVersion() + "/";

  private final Supplier<MetricsSnapshot> metrics;
  private final Clock clock;

  public MetricsEndpoints(Supplier<MetricsSnapshot> metrics, Clock clock) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
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
        return ApiResponse.json(200, MetricsJson.node(node, now));
      }
      return list(request, ResourceTypes.NODE_METRICS, "NodeMetricsList",
          snapshot.nodes().stream().map(node -> MetricsJson.node(node, now)).toList());
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
        return ApiResponse.json(200, MetricsJson.pod(pod, now));
      }
      return list(request, ResourceTypes.POD_METRICS, "PodMetricsList",
          snapshot.pods(namespace).stream().map(pod -> MetricsJson.pod(pod, now)).toList());
    }
    throw ApiException.notFoundPath();
  }

  private static ApiResponse list(ApiRequest request, ResourceType type, String kind, List<ObjectNode> objects) {
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
