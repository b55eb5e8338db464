package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minicluster.api.ApiException;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.apiserver.printers.TablePrinters;
import io.minicluster.apiserver.printers.Tables;
import io.minicluster.metrics.MetricsSnapshot;
import io.minicluster.metrics.NodeMetrics;
import io.minicluster.metrics.PodMetrics;
import io.minicluster.metrics.Usage;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsEndpointsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:05Z");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static PodMetrics pod(String namespace, String name, String app) {
    return new PodMetrics(namespace, name, Map.of("app", app), NOW, Duration.ofSeconds(10),
        List.of(new PodMetrics.ContainerMetrics("c", new Usage(1000, 4096))));
  }

  private final MetricsEndpoints endpoints = new MetricsEndpoints(() -> new MetricsSnapshot(
      new NodeMetrics("node1", Map.of("kubernetes.io/hostname", "node1"), NOW, Duration.ofSeconds(10),
          new Usage(5, 1024)),
      List.of(pod("default", "web", "web"), pod("default", "busy", "burn"), pod("kube-system", "dns", "dns"))),
      Clock.fixed(NOW, ZoneOffset.UTC), (type, objects, list, now, includeObject, noHeaders) -> Tables.build(
          TablePrinters.forType(type, CustomResources.none()), objects, now, includeObject, noHeaders, null, null,
          null));

  private JsonNode get(String uri) throws Exception {
    return get(uri, new DefaultHttpHeaders());
  }

  private JsonNode get(String uri, DefaultHttpHeaders headers) throws Exception {
    ApiRequest request = ApiRequest.of(HttpMethod.GET, uri, headers, null, null);
    ApiResponse response = endpoints.handle(request, request.path());
    assertThat(response.status()).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(item -> names.add(item.path("metadata").path("namespace").asText() + "/"
        + item.path("metadata").path("name").asText()));
    return names;
  }

  @Test
  void listsPodsOfANamespaceOrAllWithSelectors() throws Exception {
    String prefix = "/apis/metrics.k8s.io/v1beta1/";
    JsonNode all = get(prefix + "pods");
    assertThat(all.path("kind").asText()).isEqualTo("PodMetricsList");
    assertThat(all.path("apiVersion").asText()).isEqualTo("metrics.k8s.io/v1beta1");
    assertThat(names(all)).containsExactly("default/busy", "default/web", "kube-system/dns");
    assertThat(names(get(prefix + "namespaces/default/pods"))).containsExactly("default/busy", "default/web");
    assertThat(names(get(prefix + "namespaces/default/pods?labelSelector=app%3Dweb"))).containsExactly("default/web");
    assertThat(names(get(prefix + "pods?fieldSelector=metadata.name%3Ddns"))).containsExactly("kube-system/dns");
    assertThat(names(get(prefix + "pods?fieldSelector=metadata.namespace!%3Ddefault")))
        .containsExactly("kube-system/dns");
  }

  @Test
  void getsOnePodAndTheNode() throws Exception {
    JsonNode pod = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web");
    assertThat(pod.path("kind").asText()).isEqualTo("PodMetrics");
    assertThat(pod.at("/containers/0/usage/cpu").asText()).isEqualTo("1u");
    JsonNode nodes = get("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=kubernetes.io%2Fhostname%3Dnode1");
    assertThat(nodes.path("kind").asText()).isEqualTo("NodeMetricsList");
    assertThat(nodes.at("/items/0/usage/memory").asText()).isEqualTo("1Ki");
    assertThat(get("/apis/metrics.k8s.io/v1beta1/nodes/node1").path("kind").asText()).isEqualTo("NodeMetrics");
  }

  @Test
  void tablesAreMetricsServersAndWatchesAreRefused() throws Exception {
    DefaultHttpHeaders table = new DefaultHttpHeaders();
    table.add("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    JsonNode nodes = get("/apis/metrics.k8s.io/v1beta1/nodes", table);
    assertThat(nodes.path("kind").asText()).isEqualTo("Table");
    List<String> columns = new ArrayList<>();
    nodes.path("columnDefinitions").forEach(column -> columns.add(column.path("name").asText() + ":"
        + column.path("format").asText()));
    assertThat(columns).containsExactly("Name:name", "cpu:quantity", "memory:quantity", "Window:duration");
    assertThat(nodes.at("/rows/0/cells").toString()).isEqualTo("[\"node1\",\"5n\",\"1Ki\",\"10s\"]");
    assertThat(nodes.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
    JsonNode pod = get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web", table);
    assertThat(pod.at("/rows/0/cells").toString()).isEqualTo("[\"web\",\"1u\",\"4Ki\",\"10s\"]");

    ApiRequest watch = ApiRequest.of(HttpMethod.GET, "/apis/metrics.k8s.io/v1beta1/pods?watch=true",
        new DefaultHttpHeaders(), null, null);
    assertThatThrownBy(() -> endpoints.handle(watch, watch.path())).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(405);
      assertThat(e.getMessage()).isEqualTo("watch is not supported on resources of kind \"pods.metrics.k8s.io\"");
    });
  }

  @Test
  void aPodOrNodeWithoutMetricsIsNotFound() {
    assertThatThrownBy(() -> get("/apis/metrics.k8s.io/v1beta1/namespaces/other/pods/web"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("podmetrics.metrics.k8s.io \"other/web\" not found");
        });
    assertThatThrownBy(() -> get("/apis/metrics.k8s.io/v1beta1/nodes/other"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
            .isEqualTo("nodemetrics.metrics.k8s.io \"other\" not found"));
  }

  @Test
  void onlyReads() {
    ApiRequest delete = ApiRequest.of(HttpMethod.DELETE, "/apis/metrics.k8s.io/v1beta1/nodes/node1",
        new DefaultHttpHeaders(), null, null);
    assertThatThrownBy(() -> endpoints.handle(delete, delete.path()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(405));
  }

  @Test
  void discoveryListsMetricsNodesAndPodsWithGetAndList() throws Exception {
    Discovery discovery = new Discovery(() -> "127.0.0.1:6443");
    JsonNode list = MAPPER.readTree(discovery.resourceList("metrics.k8s.io", "v1beta1").body());
    assertThat(list.path("groupVersion").asText()).isEqualTo("metrics.k8s.io/v1beta1");
    assertThat(list.at("/resources/0/name").asText()).isEqualTo("nodes");
    assertThat(list.at("/resources/0/kind").asText()).isEqualTo("NodeMetrics");
    assertThat(list.at("/resources/0/namespaced").asBoolean()).isFalse();
    assertThat(list.at("/resources/1/name").asText()).isEqualTo("pods");
    assertThat(list.at("/resources/1/kind").asText()).isEqualTo("PodMetrics");
    assertThat(list.at("/resources/1/namespaced").asBoolean()).isTrue();
    assertThat(list.at("/resources/1/verbs").toString()).isEqualTo("[\"get\",\"list\"]");
    JsonNode groups = MAPPER.readTree(discovery.apis("application/json").body());
    assertThat(groups.toString()).contains("\"groupVersion\":\"metrics.k8s.io/v1beta1\"");
  }
}
