package io.minicluster.controller.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.api.meta.DeleteOptions;
import org.junit.jupiter.api.Test;

class ServiceAccountControllerTest extends ClusterTest {

  @Test
  void everyActiveNamespaceGetsADefaultServiceAccountAgainAfterDeletion() {
    cluster.createNamespace("existing");
    cluster.run("serviceaccount", 1, queue -> new ServiceAccountController(client, cluster.informers(), queue));
    cluster.createNamespace("created-later");

    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.SERVICE_ACCOUNTS, "existing", "default")).isPresent();
      assertThat(client.find(ResourceTypes.SERVICE_ACCOUNTS, "created-later", "default")).isPresent();
    });
    String firstUid = Meta.uid(client.get(ResourceTypes.SERVICE_ACCOUNTS, "existing", "default"));

    client.delete(ResourceTypes.SERVICE_ACCOUNTS, "existing", "default", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.SERVICE_ACCOUNTS, "existing", "default"))
        .hasValueSatisfying(account -> assertThat(Meta.uid(account)).isNotEqualTo(firstUid)));
    assertThat(cluster.list(ResourceTypes.SERVICE_ACCOUNTS, "existing")).hasSize(1);
  }

  @Test
  void terminatingNamespacesGetNone() {
    cluster.createNamespace("leaving");
    client.delete(ResourceTypes.NAMESPACES, null, "leaving", DeleteOptions.DEFAULT);
    cluster.createNamespace("staying");
    cluster.run("serviceaccount", 1, queue -> new ServiceAccountController(client, cluster.informers(), queue));
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.SERVICE_ACCOUNTS, "staying", "default"))
        .isPresent());
    assertThat(cluster.list(ResourceTypes.SERVICE_ACCOUNTS, "leaving")).isEmpty();
  }
}
