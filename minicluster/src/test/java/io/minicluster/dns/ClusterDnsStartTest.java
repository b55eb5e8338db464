package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.SharedInformers;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApiTest;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon's cluster DNS on an in-process API: the service at once, the endpoint once it serves, then answers. */
class ClusterDnsStartTest extends InProcessApiTest {
  @Test
  void theServiceComesFirstTheEndpointOnceTheServerListensAndItsOwnNameAnswers() throws Exception {
    ObjectNode namespace = Json.object();
    namespace.putObject("metadata").put("name", "kube-system");
    client.create(ResourceTypes.NAMESPACES, null, namespace);
    try (SharedInformers informers = new SharedInformers(client);
        ClusterDns dns = new ClusterDns(DnsServerConfig.defaults(InetAddress.getLoopbackAddress(), 0,
            List.of(IpAddresses.parse("10.96.0.10")), List.of()), new InformerDirectory(informers, Clock.systemUTC()),
            new KubeDnsService(client, "10.96.0.10", "node-a"), Duration.ofMillis(50))) {
      dns.start();
      assertThat(client.find(ResourceTypes.SERVICES, "kube-system", "kube-dns")).isPresent();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (client.find(ResourceTypes.ENDPOINT_SLICES, "kube-system", KubeDnsService.SLICE_NAME).isEmpty()) {
        assertThat(System.nanoTime()).as("waiting for the endpoint").isLessThan(deadline);
        Thread.sleep(20);
      }
      int port = dns.server().address().getPort();
      ObjectNode slice = client.get(ResourceTypes.ENDPOINT_SLICES, "kube-system", KubeDnsService.SLICE_NAME);
      assertThat(slice.at("/endpoints/0/addresses/0").asText()).isEqualTo("127.0.0.1");
      assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(port);
      List<String> answers = List.of();
      while (answers.isEmpty()) {
        assertThat(System.nanoTime()).as("waiting for the service's name").isLessThan(deadline);
        answers = TestDns.udp(dns.server().address(), TestDns.query(1, "kube-dns.kube-system.svc.cluster.local",
            RecordTypes.A, 0)).answers();
      }
      assertThat(answers).containsExactly("kube-dns.kube-system.svc.cluster.local. 5 A 10.96.0.10");
    }
  }
}
