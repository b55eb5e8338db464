package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.agent.runtime.DockerRuntimeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's wiring registers a liveness check for every reconcile loop it runs: each controller's runner, the
 * scheduler's and the simulated node's (the node agent's pod workers are checked by the ITs, which run the agent on an
 * engine).
 */
class MiniclusterLivezTest {
  @TempDir
  Path directory;

  @Test
  void livezListsTheRunnerOfEveryControllerAndOfTheScheduler() throws Exception {
    ServerConfig config = new ServerConfig(directory.resolve("data"), "127.0.0.1", 0, "livez-node",
        ServerConfig.DEFAULT_POD_CIDR, ServerConfig.DEFAULT_SERVICE_CIDR, -1, "127.0.0.1", null, List.of(), List.of(),
        false, true, DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE, true, ServerConfig.CLUSTER_DOMAIN,
        DockerRuntimeConfig.DEFAULT_NETWORK);
    try (Minicluster minicluster = new Minicluster(config)) {
      minicluster.start();
      HttpClient http = HttpClient.newBuilder().sslContext(minicluster.pki().jdkClientSslContext(false)).build();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
          "https://127.0.0.1:" + minicluster.apiAddress().getPort() + "/livez?verbose")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().lines().filter(line -> line.startsWith("[+]controller-")))
          .containsExactlyInAnyOrder("[+]controller-namespace ok", "[+]controller-garbage-collector ok",
              "[+]controller-serviceaccount ok", "[+]controller-serviceaccount-token ok",
              "[+]controller-root-ca-cert-publisher ok", "[+]controller-replicaset ok",
              "[+]controller-replicationcontroller ok", "[+]controller-deployment ok", "[+]controller-endpoints ok",
              "[+]controller-endpointslice ok", "[+]controller-job ok", "[+]controller-cronjob ok",
              "[+]controller-daemonset ok", "[+]controller-statefulset ok",
              "[+]controller-scheduler ok", "[+]controller-persistentvolume-binder ok",
              "[+]controller-horizontal-pod-autoscaler ok", "[+]controller-nodelifecycle ok", "[+]controller-disruption ok", "[+]controller-clusterrole-aggregation ok", "[+]controller-csrsigning ok", "[+]controller-apiservice-registration ok", "[+]controller-resourcequota ok", "[+]controller-customresourcedefinition ok");
    }
  }

  @Test
  void theSimulatedNodesRunnerIsCheckedToo() throws Exception {
    ServerConfig config = new ServerConfig(directory.resolve("data"), "127.0.0.1", 0, "livez-node",
        ServerConfig.DEFAULT_POD_CIDR, ServerConfig.DEFAULT_SERVICE_CIDR, -1, "127.0.0.1", null, List.of(), List.of(),
        true, true, DockerRuntimeConfig.DEFAULT_SANDBOX_IMAGE, true, ServerConfig.CLUSTER_DOMAIN,
        DockerRuntimeConfig.DEFAULT_NETWORK).withSimulatedNode(true);
    try (Minicluster minicluster = new Minicluster(config)) {
      minicluster.start();
      HttpClient http = HttpClient.newBuilder().sslContext(minicluster.pki().jdkClientSslContext(false)).build();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
          "https://127.0.0.1:" + minicluster.apiAddress().getPort() + "/livez?verbose")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().lines()).contains("[+]controller-simulated-node ok");
    }
  }
}
