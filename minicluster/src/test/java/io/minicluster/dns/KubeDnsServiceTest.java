package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kube-dns service and its endpoints, written through a client to an API that validates them. */
class KubeDnsServiceTest extends InProcessApiTest {
  private KubeDnsService kubeDns;

  @BeforeEach
  void setUp() {
    ObjectNode namespace = Json.object();
    namespace.putObject("metadata").put("name", "kube-system");
    client.create(ResourceTypes.NAMESPACES, null, namespace);
    kubeDns = new KubeDnsService(client, "10.96.0.10", "node-a");
  }

  @Test
  void theServiceIsKubeadmsWithoutASelectorAndIsCreatedOnce() {
    assertThat(kubeDns.ensureService()).isEqualTo("10.96.0.10");
    Service service = Service.from(client.get(ResourceTypes.SERVICES, "kube-system", "kube-dns"));
    assertThat(service.metadata().labels()).containsEntry("k8s-app", "kube-dns");
    assertThat(service.spec().clusterIP()).isEqualTo("10.96.0.10");
    assertThat(service.spec().selector()).isEmpty();
    assertThat(service.spec().ports()).extracting(port -> port.name() + "/" + port.port() + "/" + port.protocol())
        .containsExactly("dns/53/UDP", "dns-tcp/53/TCP");
    String version = service.metadata().resourceVersion();

    assertThat(new KubeDnsService(client, "10.96.0.53", "node-a").ensureService()).isEqualTo("10.96.0.10");
    assertThat(Service.from(client.get(ResourceTypes.SERVICES, "kube-system", "kube-dns")).metadata()
        .resourceVersion()).isEqualTo(version);
  }

  @Test
  void theEndpointsAndTheSliceNameTheServersAddressAndFollowIt() {
    kubeDns.ensureService();
    kubeDns.publishEndpoint("10.244.0.1", 53);
    kubeDns.publishEndpoint("10.244.0.1", 53);
    Endpoints endpoints = Endpoints.from(client.get(ResourceTypes.ENDPOINTS, "kube-system", "kube-dns"));
    assertThat(endpoints.subsets()).singleElement().satisfies(subset -> {
      assertThat(subset.addresses()).extracting(address -> address.ip()).containsExactly("10.244.0.1");
      assertThat(subset.ports()).hasSize(2);
    });
    EndpointSlice slice = EndpointSlice.from(client.get(ResourceTypes.ENDPOINT_SLICES, "kube-system",
        KubeDnsService.SLICE_NAME));
    assertThat(slice.metadata().labels()).containsEntry("kubernetes.io/service-name", "kube-dns")
        .containsEntry("endpointslice.kubernetes.io/managed-by", KubeDnsService.MANAGED_BY);
    assertThat(slice.metadata().ownerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.kind()).isEqualTo("Service");
      assertThat(owner.name()).isEqualTo("kube-dns");
    });
    assertThat(slice.endpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.addresses()).containsExactly("10.244.0.1");
      assertThat(endpoint.conditions().ready()).isTrue();
    });
    assertThat(slice.ports()).extracting(port -> port.name() + "/" + port.port() + "/" + port.protocol())
        .containsExactly("dns/53/UDP", "dns-tcp/53/TCP");

    kubeDns.publishEndpoint("10.250.0.1", 5353);
    slice = EndpointSlice.from(client.get(ResourceTypes.ENDPOINT_SLICES, "kube-system", KubeDnsService.SLICE_NAME));
    assertThat(slice.endpoints().get(0).addresses()).containsExactly("10.250.0.1");
    assertThat(slice.ports().get(0).port()).isEqualTo(5353);
  }
}
