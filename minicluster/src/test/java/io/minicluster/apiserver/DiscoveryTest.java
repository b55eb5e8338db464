package io.minicluster.apiserver;

import static io.minicluster.apiserver.EndpointsHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Legacy and aggregated discovery, here of the core group's two versions: v1 (preferred) and v1beta3. */
class DiscoveryTest {
  private static final String LEGACY_ACCEPT = "application/json, */*";
  private static final String AGGREGATED_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;"
      + "as=APIGroupDiscoveryList,application/json";

  private final Discovery discovery = new Discovery(() -> "127.0.0.1:6443");

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(element -> values.add(field == null ? element.asText() : element.path(field).asText()));
    return values;
  }

  @Test
  void legacyCoreDiscoveryListsV1FirstThenV1beta3() {
    JsonNode versions = json(discovery.api(LEGACY_ACCEPT));
    assertThat(versions.path("kind").asText()).isEqualTo("APIVersions");
    assertThat(texts(versions.path("versions"), null)).containsExactly("v1", "v1beta3");
  }

  @Test
  void v1beta3ListsPodsServicesAndReplicationControllersWithTheirSubresources() {
    JsonNode list = json(discovery.resourceList("", "v1beta3"));
    assertThat(list.path("groupVersion").asText()).isEqualTo("v1beta3");
    assertThat(texts(list.path("resources"), "name")).containsExactly("pods", "pods/status", "pods/binding",
        "pods/log", "pods/exec", "pods/attach", "pods/portforward", "services", "services/status",
        "replicationcontrollers", "replicationcontrollers/status");
    JsonNode pods = list.path("resources").get(0);
    assertThat(pods.path("kind").asText()).isEqualTo("Pod");
    assertThat(texts(pods.path("shortNames"), null)).containsExactly("po");
    JsonNode v1Pods = json(discovery.resourceList("", "v1")).path("resources").get(
        texts(json(discovery.resourceList("", "v1")).path("resources"), "name").indexOf("pods"));
    assertThat(pods.path("storageVersionHash").asText()).as("one storage for both versions")
        .isEqualTo(v1Pods.path("storageVersionHash").asText());
    assertThat(texts(json(discovery.resourceList("", "v1")).path("resources"), "name"))
        .as("v1 unchanged").contains("pods", "configmaps", "replicationcontrollers/scale", "pods/eviction");
  }

  /** client-go's legacy discovery (kubectl 1.20) reads every core version but v1 at /apis/{version}. */
  @Test
  void v1beta3ResourcesAreAlsoAnsweredWhereClientGoLooksForThem() {
    assertThat(discovery.apiGroup("v1beta3").body()).isEqualTo(discovery.resourceList("", "v1beta3").body());
    assertThatThrownBy(() -> discovery.apiGroup("v1")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(404));
    assertThatThrownBy(() -> discovery.apiGroup("v2")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(404));
    assertThat(texts(json(discovery.apis(LEGACY_ACCEPT)).path("groups"), "name")).doesNotContain("v1beta3", "");
  }

  @Test
  void aggregatedCoreDiscoveryHasBothVersionsThePreferredFirst() {
    ApiResponse response = discovery.api(AGGREGATED_ACCEPT);
    assertThat(response.contentType()).isEqualTo(Discovery.AGGREGATED_V2);
    JsonNode core = json(response).path("items").get(0);
    JsonNode versions = core.path("versions");
    assertThat(texts(versions, "version")).containsExactly("v1", "v1beta3");
    JsonNode v1beta3 = versions.get(1);
    assertThat(v1beta3.path("freshness").asText()).isEqualTo("Current");
    assertThat(texts(v1beta3.path("resources"), "resource")).containsExactly("pods", "services",
        "replicationcontrollers");
    assertThat(v1beta3.at("/resources/0/responseKind")).isEqualTo(Json.parseObject(
        "{\"group\":\"\",\"version\":\"v1beta3\",\"kind\":\"Pod\"}"));
    assertThat(texts(v1beta3.at("/resources/0/subresources"), "subresource")).containsExactly("status",
        "binding", "log", "exec", "attach", "portforward");
    assertThat(texts(versions.get(0).path("resources"), "resource")).contains("pods", "configmaps");
  }
}
