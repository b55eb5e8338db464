package io.minicluster.proxy;

import static io.minicluster.proxy.Fixtures.CHAINS;
import static io.minicluster.proxy.Fixtures.firstPort;
import static io.minicluster.proxy.Fixtures.service;
import static io.minicluster.proxy.Fixtures.slice;
import static io.minicluster.proxy.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.SharedInformers;
import io.minicluster.testing.ScriptedListWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component on shared informers over a scripted API, applying to a fake iptables. */
class ServiceProxyTest {
  private final ScriptedListWatch api = new ScriptedListWatch();
  private final SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10));
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final IptablesApplierTest.FakeIptables iptables = new IptablesApplierTest.FakeIptables();
  private ServiceProxy proxy;
  @TempDir
  Path sys;

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    informers.close();
    executor.shutdownNow();
  }

  private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      Thread.sleep(10);
    }
  }

  private List<String> natRules() {
    RuleSet applied = proxy.lastApplied();
    return applied == null ? List.of() : applied.chains(Table.NAT).stream()
        .flatMap(chain -> applied.rules(Table.NAT, chain).stream()).toList();
  }

  @Test
  void servicesEndpointsAndTheNodesAddressBecomeRulesAndFollowChanges() throws Exception {
    ObjectNode web = service("default", "web", "10.96.0.20", 80);
    spec(web).put("type", "NodePort");
    firstPort(web).put("nodePort", 30080);
    api.put(ResourceTypes.SERVICES, web);
    api.put(ResourceTypes.ENDPOINT_SLICES, slice("default", "web", "10.244.0.11", "10.244.0.12"));
    ObjectNode node = ScriptedListWatch.object(null, "node-a",
        "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"192.168.1.10\"},"
            + "{\"type\":\"Hostname\",\"address\":\"node-a\"}]}}");
    api.put(ResourceTypes.NODES, node);

    proxy = new ServiceProxy(informers, new ProxyConfig("node-a", "10.244.0.0/16", Duration.ofMillis(20),
        Duration.ofSeconds(30), CHAINS, 0, ""), new IptablesApplier(iptables, IptablesBackend.NFT, CHAINS,
        new Conntrack(iptables)), new BridgeHairpin(sys, "10.244.0.0/16", name -> List.of("10.244.0.1")),
        SyncRunner.Timer.of(executor));
    Files.createDirectories(sys.resolve("br-pods/brif/veth1"));
    Files.writeString(sys.resolve("br-pods/brif/veth1/hairpin_mode"), "0\n");
    proxy.start();
    waitUntil("the first sync", () -> proxy.lastApplied() != null);
    assertThat(natRules()).anyMatch(rule -> rule.contains("DNAT --to-destination 10.244.0.11:8080"))
        .anyMatch(rule -> rule.contains("DNAT --to-destination 10.244.0.12:8080"))
        .anyMatch(rule -> rule.contains("-d 192.168.1.10/32 -j " + CHAINS.nodePorts()))
        .noneMatch(rule -> rule.contains("node-a/32"));
    assertThat(iptables.save()).contains("10.96.0.20/32");

    api.put(ResourceTypes.ENDPOINT_SLICES, slice("default", "web", "10.244.0.12"));
    waitUntil("the removed endpoint to leave the rules",
        () -> natRules().stream().noneMatch(rule -> rule.contains("10.244.0.11:8080")));
    api.delete(ResourceTypes.SERVICES, "default", "web");
    waitUntil("the deleted service to leave the rules",
        () -> natRules().stream().noneMatch(rule -> rule.contains("10.96.0.20")));

    // the pod bridge's ports are in hairpin mode, a pod's new port too
    assertThat(Files.readString(sys.resolve("br-pods/brif/veth1/hairpin_mode"))).isEqualTo("1");

    // stopping leaves the installed rules in place
    proxy.close();
    assertThat(iptables.save()).contains(":" + CHAINS.services() + " ");
  }
}
