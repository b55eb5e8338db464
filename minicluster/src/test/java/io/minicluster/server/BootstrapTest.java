package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.fieldmanager.ClientFieldTrackers;
import io.minicluster.testing.InProcessApiTest;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest extends InProcessApiTest {

  @Test
  void theKubernetesServiceHasAnEndpointSliceAtTheApiServerFollowingItsPort() {
    new Bootstrap(api.registries(), ApiserverWrites.UNTRACKED, "10.96.0.1", "192.0.2.2", 6443).run();
    new Bootstrap(api.registries(), ApiserverWrites.UNTRACKED, "10.96.0.1", "192.0.2.2", 7443).run();

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

  @Test
  void theApiServersOwnObjectsAreManagedByKubeApiserver() {
    ApiserverWrites writes = new ApiserverWrites(new ClientFieldTrackers(Clock.systemUTC()));
    new Bootstrap(api.registries(), writes, "10.96.0.1", "192.0.2.2", 6443).run();
    new PolicyBootstrap(api.registries(), writes).run();

    for (ObjectNode object : List.of(client.get(ResourceTypes.SERVICES, "default", "kubernetes"),
        client.get(ResourceTypes.NAMESPACES, null, "kube-system"),
        client.get(ResourceTypes.CLUSTER_ROLES, null, "cluster-admin"))) {
      assertThat(object.at("/metadata/managedFields/0/manager").asText()).isEqualTo("kube-apiserver");
      assertThat(object.at("/metadata/managedFields/0/operation").asText()).isEqualTo("Update");
      assertThat(object.at("/metadata/managedFields/0/fieldsV1").isObject()).isTrue();
    }
  }
}
