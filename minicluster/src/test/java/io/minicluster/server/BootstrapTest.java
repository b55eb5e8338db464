package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.testing.InProcessApiTest;
import org.junit.jupiter.api.Test;

class BootstrapTest extends InProcessApiTest {

  @Test
  void theKubernetesServiceHasAnEndpointSliceAtTheApiServerFollowingItsPort() {
    new Bootstrap(api.registries(), "10.96.0.1", "192.0.2.2", 6443).run();
    new Bootstrap(api.registries(), "10.96.0.1", "192.0.2.2", 7443).run();

    ObjectNode slice = client.get(ResourceTypes.ENDPOINT_SLICES, "default", "kubernetes");
    assertThat(slice.at("/metadata/labels").get("kubernetes.io/service-name").asText()).isEqualTo("kubernetes");
    assertThat(slice.get("addressType").asText()).isEqualTo("IPv4");
    assertThat(slice.at("/endpoints/0/addresses/0").asText()).isEqualTo("192.0.2.2");
    assertThat(slice.at("/endpoints/0/conditions/ready").asBoolean()).isTrue();
    assertThat(slice.at("/ports/0/name").asText()).isEqualTo("https");
    assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(7443);
    assertThat(client.get(ResourceTypes.ENDPOINTS, "default", "kubernetes").at("/subsets/0/ports/0/port").asInt())
        .isEqualTo(7443);
  }
}
