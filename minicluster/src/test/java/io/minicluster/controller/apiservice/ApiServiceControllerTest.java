package io.minicluster.controller.apiservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ApiServiceControllerTest extends ClusterTest {
  private JsonNode find(String name) {
    return client.find(ResourceTypes.API_SERVICES, null, name).orElse(null);
  }

  @Test
  void everyServedGroupVersionHasAnAvailableLocalApiServiceAndUsersServicesAreNotProxied() {
    List<String> served = new CopyOnWriteArrayList<>(List.of("v1", "v1beta3", "apps/v1", "stable.example.com/v1"));
    client.create(ResourceTypes.API_SERVICES, null, Json.parseObject(("{'metadata':{'name':'v1beta1.metrics.example"
        + ".com'},'spec':{'group':'metrics.example.com','version':'v1beta1','groupPriorityMinimum':100,"
        + "'versionPriority':100,'service':{'namespace':'kube-system','name':'metrics'}}}").replace('\'', '"')));
    ApiServiceController controller = cluster.run("apiservice-registration", 1, queue -> new ApiServiceController(
        client, cluster.informers(), queue, () -> served, Clock.systemUTC()));

    Eventually.assertThat(() -> {
      assertThat(find("v1.")).isNotNull();
      assertThat(find("v1.").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(18000);
      assertThat(find("v1.apps").at("/spec/versionPriority").asInt()).isEqualTo(15);
      assertThat(find("v1.stable.example.com").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(1000);
      assertThat(find("v1.apps").at("/status/conditions/0/reason").asText()).isEqualTo("Local");
      assertThat(find("v1.apps").at("/status/conditions/0/status").asText()).isEqualTo("True");
      assertThat(client.list(ResourceTypes.API_SERVICES, null, ListOptions.ALL).items()).hasSize(4);
      JsonNode notProxied = find("v1beta1.metrics.example.com").at("/status/conditions/0");
      assertThat(notProxied.path("status").asText()).isEqualTo("False");
      assertThat(notProxied.path("reason").asText()).isEqualTo("FailedDiscoveryCheck");
      assertThat(notProxied.path("message").asText()).startsWith("minicluster does not proxy to aggregated API");
    });

    // a group discovery stops serving loses its APIService at the next sync
    served.remove("stable.example.com/v1");
    controller.reconcile(ApiServiceController.SYNC);
    Eventually.assertThat(() -> assertThat(find("v1.stable.example.com")).isNull());
    assertThat(find("v1beta1.metrics.example.com")).isNotNull();
  }
}
