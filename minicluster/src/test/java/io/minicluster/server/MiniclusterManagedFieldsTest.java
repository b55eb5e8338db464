package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.client.Client;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's components write under the field managers a cluster's show: the controllers as
 * kube-controller-manager, the scheduler as kube-scheduler, the (simulated) node's kubelet as kubelet, each Update
 * recording the subresource it wrote.
 */
class MiniclusterManagedFieldsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path directory;

  private static List<String> owners(ObjectNode object) {
    List<String> owners = new ArrayList<>();
    for (JsonNode entry : object.at("/metadata/managedFields")) {
      owners.add(entry.path("manager").asText() + " " + entry.path("operation").asText() + " "
          + entry.path("subresource").asText("-"));
    }
    return owners;
  }

  @Test
  void controllersTheSchedulerAndTheKubeletWriteUnderTheirComponentsNames() throws Exception {
    ServerConfig config = new ServerConfig(directory.resolve("data"), "127.0.0.1", 0, "fields-node",
        ServerConfig.DEFAULT_POD_CIDR, ServerConfig.DEFAULT_SERVICE_CIDR, -1, "127.0.0.1", null, List.of(), List.of(),
        true, true, DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE, true, ServerConfig.CLUSTER_DOMAIN,
        DockerRuntimeConfig.DEFAULT_NETWORK).withSimulatedNode(true);
    try (Minicluster minicluster = new Minicluster(config)) {
      minicluster.start();
      Client user = minicluster.client().as("kubectl-create");
      user.create(ResourceTypes.DEPLOYMENTS, "default", Json.parseObject("{\"metadata\":{\"name\":\"web\"},"
          + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
          + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"));
      user.create(ResourceTypes.PODS, "default", Json.parseObject("{\"metadata\":{\"name\":\"nowhere\"},\"spec\":{"
          + "\"nodeSelector\":{\"no\":\"such-node\"},\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"));

      Eventually.assertThat(TIMEOUT, () -> {
        ObjectNode replicaSet = user.list(ResourceTypes.REPLICA_SETS, "default", ListOptions.ALL).items().get(0);
        assertThat(owners(replicaSet)).contains("kube-controller-manager Update -",
            "kube-controller-manager Update status");
        ObjectNode pod = user.list(ResourceTypes.PODS, "default", ListOptions.ALL).items().stream()
            .filter(p -> p.at("/metadata/name").asText().startsWith("web-")).findFirst().orElseThrow();
        assertThat(pod.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(owners(pod)).containsExactlyInAnyOrder("kube-controller-manager Update -",
            "kubelet Update status");
        assertThat(owners(user.get(ResourceTypes.DEPLOYMENTS, "default", "web")))
            .contains("kubectl-create Update -", "kube-controller-manager Update status");
        assertThat(owners(user.get(ResourceTypes.PODS, "default", "nowhere")))
            .containsExactlyInAnyOrder("kubectl-create Update -", "kube-scheduler Update status");
        assertThat(owners(user.get(ResourceTypes.NODES, null, "fields-node"))).contains("kubelet Update -");
        assertThat(owners(user.get(ResourceTypes.LEASES, "kube-node-lease", "fields-node")))
            .containsExactly("kubelet Update -");
      });
    }
  }
}
