package io.minicluster.controller.rootcacert;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import org.junit.jupiter.api.Test;

class RootCaCertPublisherTest extends ClusterTest {
  private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void everyNamespaceGetsTheCaAgainAfterDeletionOrChange() {
    cluster.createNamespace("existing");
    cluster.run("root-ca-cert-publisher", 1, queue -> new RootCaCertPublisher(client, cluster.informers(), queue,
        () -> PEM));
    cluster.createNamespace("created-later");

    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.CONFIG_MAPS, "existing", RootCaCertPublisher.NAME)
          .map(cm -> cm.at("/data/ca.crt").asText())).contains(PEM);
      assertThat(client.find(ResourceTypes.CONFIG_MAPS, "created-later", RootCaCertPublisher.NAME)).isPresent();
    });
    assertThat(client.get(ResourceTypes.CONFIG_MAPS, "existing", RootCaCertPublisher.NAME)
        .at("/metadata/annotations").get(RootCaCertPublisher.DESCRIPTION_ANNOTATION).asText())
        .startsWith("Contains a CA bundle");

    client.modify(ResourceTypes.CONFIG_MAPS, "existing", RootCaCertPublisher.NAME, cm -> {
      cm.with("data").put("ca.crt", "tampered");
      return cm;
    });
    client.delete(ResourceTypes.CONFIG_MAPS, "created-later", RootCaCertPublisher.NAME, DeleteOptions.DEFAULT);

    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.CONFIG_MAPS, "existing", RootCaCertPublisher.NAME)
          .map(cm -> cm.at("/data/ca.crt").asText())).contains(PEM);
      assertThat(client.find(ResourceTypes.CONFIG_MAPS, "created-later", RootCaCertPublisher.NAME)).isPresent();
    });
  }
}
