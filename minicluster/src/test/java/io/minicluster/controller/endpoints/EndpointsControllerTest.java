package io.minicluster.controller.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.endpointslice.EndpointSliceController;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.Kubelet;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Endpoints and EndpointSlice controllers against the same pods. */
class EndpointsControllerTest extends ClusterTest {
  private static final String NS = "default";

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    cluster.run("endpoints", 1, queue -> new EndpointsController(client, cluster.informers(), queue));
    cluster.run("endpointslice", 1, queue -> new EndpointSliceController(client, cluster.informers(), queue));
  }

  private void pod(String name, String app, String ip, Boolean ready) {
    ObjectNode pod = TestCluster.pod(name, "app=" + app);
    pod.with("spec").put("nodeName", "node-1");
    ((ObjectNode) pod.at("/spec/containers/0")).putArray("ports").addObject().put("name", "http")
        .put("containerPort", 8080);
    client.create(ResourceTypes.PODS, NS, pod);
    if (ready != null) {
      Kubelet.setReady(client, NS, name, ready, Instant.now(), ip);
    }
  }

  private ObjectNode service(String name, String selectorJson) {
    return client.create(ResourceTypes.SERVICES, NS, Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\",\"labels\":{\"team\":\"a\"}},\"spec\":{" + selectorJson
        + "\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\"}]}}"));
  }

  private List<ObjectNode> slicesOf(String service) {
    return cluster.list(ResourceTypes.ENDPOINT_SLICES, NS).stream()
        .filter(s -> service.equals(s.at("/metadata/labels/kubernetes.io~1service-name").asText())).toList();
  }

  @Test
  void readyAndNotReadyPodsWithResolvedNamedPorts() {
    pod("ready", "web", "10.1.0.5", true);
    pod("starting", "web", "10.1.0.6", false);
    pod("no-ip", "web", null, null);
    pod("other", "db", "10.1.0.7", true);
    ObjectNode service = service("web", "\"selector\":{\"app\":\"web\"},");

    Eventually.assertThat(() -> {
      ObjectNode endpoints = client.get(ResourceTypes.ENDPOINTS, NS, "web");
      assertThat(endpoints.at("/metadata/labels/team").asText()).isEqualTo("a");
      assertThat(endpoints.at("/subsets")).hasSize(1);
      ObjectNode subset = (ObjectNode) endpoints.at("/subsets/0");
      assertThat(subset.at("/addresses")).hasSize(1);
      assertThat(subset.at("/addresses/0/ip").asText()).isEqualTo("10.1.0.5");
      assertThat(subset.at("/addresses/0/nodeName").asText()).isEqualTo("node-1");
      assertThat(subset.at("/addresses/0/targetRef/kind").asText()).isEqualTo("Pod");
      assertThat(subset.at("/addresses/0/targetRef/name").asText()).isEqualTo("ready");
      assertThat(subset.at("/notReadyAddresses/0/ip").asText()).isEqualTo("10.1.0.6");
      assertThat(subset.at("/ports").toString()).isEqualTo("[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]");
    });
    Eventually.assertThat(() -> {
      List<ObjectNode> slices = slicesOf("web");
      assertThat(slices).hasSize(1);
      ObjectNode slice = slices.get(0);
      assertThat(slice.at("/metadata/name").asText()).matches("web-[a-z0-9]{5}");
      assertThat(slice.at("/metadata/labels/endpointslice.kubernetes.io~1managed-by").asText())
          .isEqualTo("endpointslice-controller.k8s.io");
      assertThat(slice.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(service.at("/metadata/uid").asText());
      assertThat(slice.at("/addressType").asText()).isEqualTo("IPv4");
      assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(8080);
      assertThat(slice.at("/endpoints")).hasSize(2);
      assertThat(slice.at("/endpoints/0/targetRef/name").asText()).isEqualTo("ready");
      assertThat(slice.at("/endpoints/0/conditions").toString())
          .isEqualTo("{\"ready\":true,\"serving\":true,\"terminating\":false}");
      assertThat(slice.at("/endpoints/1/conditions/ready").asBoolean()).isFalse();
    });

    // a terminating pod leaves the Endpoints and shows as terminating in its slice
    client.delete(ResourceTypes.PODS, NS, "ready", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> {
      ObjectNode subset = (ObjectNode) client.get(ResourceTypes.ENDPOINTS, NS, "web").at("/subsets/0");
      assertThat(subset.has("addresses")).isFalse();
      ObjectNode slice = slicesOf("web").get(0);
      assertThat(slice.at("/endpoints/0/conditions").toString())
          .isEqualTo("{\"ready\":false,\"serving\":true,\"terminating\":true}");
    });

    client.delete(ResourceTypes.SERVICES, NS, "web", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.ENDPOINTS, NS, "web")).isEmpty();
      assertThat(slicesOf("web")).isEmpty();
    });
  }

  @Test
  void servicesWithoutSelectorAndTheApiServerServiceAreLeftAlone() {
    pod("ready", "web", "10.1.0.5", true);
    service("manual", "");
    service("kubernetes", "\"selector\":{\"app\":\"web\"},");
    service("probe", "\"selector\":{\"app\":\"web\"},");
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.ENDPOINTS, NS, "probe")).isPresent());
    Eventually.assertThat(() -> assertThat(slicesOf("probe")).hasSize(1));
    assertThat(client.find(ResourceTypes.ENDPOINTS, NS, "manual")).isEmpty();
    assertThat(client.find(ResourceTypes.ENDPOINTS, NS, "kubernetes")).isEmpty();
    assertThat(slicesOf("manual")).isEmpty();
    assertThat(slicesOf("kubernetes")).isEmpty();
  }
}
