package io.minicluster.proxy;

import static io.minicluster.proxy.Fixtures.service;
import static io.minicluster.proxy.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.FakeClient;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.json.Json;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The single node's load balancer: ingress = the node's addresses, only for services it owns. */
class LoadBalancerStatusWriterTest {
  private final FakeClient client = new FakeClient();
  private final SharedInformers informers = new SharedInformers(client);
  private final WorkQueue queue = new WorkQueue("service-lb");

  @AfterEach
  void tearDown() {
    informers.close();
    queue.close();
  }

  private LoadBalancerStatusWriter started() throws InterruptedException {
    LoadBalancerStatusWriter writer = new LoadBalancerStatusWriter(client.as(LoadBalancerStatusWriter.MANAGER),
        informers, "node-a", queue);
    for (Informer<?> informer : writer.informers()) {
      informer.start();
      assertThat(informer.waitForSync(10, TimeUnit.SECONDS)).isTrue();
    }
    return writer;
  }

  private ObjectNode seedService(String name, String type) {
    ObjectNode service = service("default", name, "10.96.0.30", 80);
    spec(service).put("type", type);
    return client.seed(ResourceTypes.SERVICES, Json.parseObject(service.toString()));
  }

  private String ingress(String name) {
    return client.get(ResourceTypes.SERVICES, "default", name).path("status").path("loadBalancer").path("ingress")
        .toString();
  }

  @Test
  void aLoadBalancerGetsTheNodesAddressesOthersNoneAndAClassIsLeftToItsImplementation() throws Exception {
    client.seed(ResourceTypes.NODES, Json.parseObject("{\"metadata\":{\"name\":\"node-a\"},\"status\":{\"addresses\":["
        + "{\"type\":\"InternalIP\",\"address\":\"192.168.1.10\"},{\"type\":\"Hostname\",\"address\":\"node-a\"},"
        + "{\"type\":\"InternalIP\",\"address\":\"fd00::10\"}]}}"));
    seedService("lb", "LoadBalancer");
    ObjectNode wasLoadBalancer = seedService("was-lb", "ClusterIP");
    wasLoadBalancer.putObject("status").putObject("loadBalancer").putArray("ingress").addObject()
        .put("ip", "192.168.1.10");
    client.seed(ResourceTypes.SERVICES, wasLoadBalancer);
    ObjectNode classed = seedService("classed", "LoadBalancer");
    spec(classed).put("loadBalancerClass", "example.com/other");
    client.seed(ResourceTypes.SERVICES, classed);
    LoadBalancerStatusWriter writer = started();

    writer.reconcile("default/lb");
    assertThat(ingress("lb")).isEqualTo("[{\"ip\":\"192.168.1.10\",\"ipMode\":\"VIP\"}]");
    writer.reconcile("default/was-lb");
    assertThat(ingress("was-lb")).isEmpty();
    writer.reconcile("default/classed");
    assertThat(ingress("classed")).isEmpty();
    assertThat(statusWrites()).containsExactly("modifyStatus services default/lb",
        "modifyStatus services default/was-lb");

    // once the informer has seen the write, a reconcile writes nothing; a deleted service is no error
    waitUntilSeen(writer);
    writer.reconcile("default/lb");
    writer.reconcile("default/gone");
    assertThat(statusWrites()).hasSize(2);
  }

  private List<String> statusWrites() {
    return client.calls().stream().filter(call -> call.startsWith("modifyStatus")).toList();
  }

  private void waitUntilSeen(LoadBalancerStatusWriter writer) throws InterruptedException {
    Informer<?> services = writer.informers().get(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!services.list().toString().contains("VIP") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
