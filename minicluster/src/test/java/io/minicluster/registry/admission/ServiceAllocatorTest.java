package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The allocator alone, over a fake list of stored services: what writes in flight hold, and the port rules. */
class ServiceAllocatorTest {
  private static final WriteOptions WRITE = WriteOptions.DEFAULT;
  private static final WriteOptions DRY_RUN = new WriteOptions(true, null);

  private final List<ObjectNode> stored = new ArrayList<>();
  // a /29: .2 to .6 are handed out (.0 network, .1 kubernetes, .7 broadcast)
  private final ServiceAllocator allocator = new ServiceAllocator("10.0.0.0/29", () -> List.copyOf(stored));

  private static ObjectNode service(String name, String spec) {
    return Json.parseObject(("{'metadata':{'name':'" + name + "','namespace':'default'},'spec':" + spec + "}")
        .replace('\'', '"'));
  }

  private ObjectNode admit(String name, String spec, WriteOptions options) {
    ObjectNode service = service(name, spec);
    allocator.admitCreate(ResourceTypes.SERVICES, service, options);
    return service;
  }

  private static String ip(ObjectNode service) {
    return Json.textOrNull(service, "spec", "clusterIP");
  }

  private static int nodePort(ObjectNode service, int index) {
    return service.path("spec").path("ports").path(index).path("nodePort").asInt();
  }

  @Test
  void writesInFlightHoldWhatTheyWereGivenUntilTheyFinish() {
    Set<String> given = new HashSet<>();
    List<ObjectNode> inFlight = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ObjectNode service = admit("s" + i, "{'ports':[{'port':80}]}", WRITE);
      inFlight.add(service);
      given.add(ip(service));
    }
    assertThat(given).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
    assertThatThrownBy(() -> admit("full", "{'ports':[{'port':80}]}", WRITE))
        .isInstanceOf(ApiException.class)
        .hasMessage("Internal error occurred: failed to allocate a serviceIP: range is full");

    // one write stored its service, another failed: only the failed one's address is free again
    stored.add(inFlight.get(0));
    allocator.writeFinished(ResourceTypes.SERVICES, inFlight.get(0));
    allocator.writeFinished(ResourceTypes.SERVICES, inFlight.get(1));
    assertThat(ip(admit("next", "{'ports':[{'port':80}]}", WRITE))).isEqualTo(ip(inFlight.get(1)));
    assertThatThrownBy(() -> admit("taken", "{'clusterIP':'" + ip(inFlight.get(0)) + "','ports':[{'port':80}]}",
        WRITE)).hasMessageEndingWith("provided IP is already allocated");
  }

  @Test
  void anExplicitNodePortInFlightIsTakenUntilItsWriteFinishes() {
    ObjectNode first = admit("a", "{'type':'NodePort','ports':[{'port':80,'nodePort':30100}]}", WRITE);
    assertThatThrownBy(() -> admit("b", "{'type':'NodePort','ports':[{'port':80,'nodePort':30100}]}", WRITE))
        .hasMessage("Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30100: provided port is "
            + "already allocated");
    allocator.writeFinished(ResourceTypes.SERVICES, first);
    assertThat(nodePort(admit("b", "{'type':'NodePort','ports':[{'port':80,'nodePort':30100}]}", WRITE), 0))
        .isEqualTo(30100);
  }

  @Test
  void aDryRunIsGivenAddressesButHoldsNone() {
    ObjectNode dry = admit("a", "{'type':'NodePort','clusterIP':'10.0.0.3','ports':[{'port':80,'nodePort':30100}]}",
        DRY_RUN);
    assertThat(ip(dry)).isEqualTo("10.0.0.3");
    ObjectNode real = admit("b", "{'type':'NodePort','clusterIP':'10.0.0.3','ports':[{'port':80,'nodePort':30100}]}",
        WRITE);
    assertThat(nodePort(real, 0)).isEqualTo(30100);
  }

  @Test
  void portsWithTheSameNumberShareANodePort() {
    ObjectNode dns = admit("dns", "{'type':'NodePort','ports':[{'name':'udp','port':53,'protocol':'UDP'},"
        + "{'name':'tcp','port':53,'protocol':'TCP','nodePort':30053},{'name':'web','port':80}]}", WRITE);
    assertThat(nodePort(dns, 0)).isEqualTo(30053);
    assertThat(nodePort(dns, 1)).isEqualTo(30053);
    assertThat(nodePort(dns, 2)).isBetween(30000, 32767).isNotEqualTo(30053);
  }

  @Test
  void loadBalancersMayGoWithoutNodePortsAndLocalOnesGetAHealthCheckPort() {
    ObjectNode without = admit("lb", "{'type':'LoadBalancer','allocateLoadBalancerNodePorts':false,"
        + "'ports':[{'port':80},{'port':81,'nodePort':30081}]}", WRITE);
    assertThat(without.path("spec").path("ports").path(0).has("nodePort")).isFalse();
    assertThat(nodePort(without, 1)).isEqualTo(30081);

    ObjectNode local = admit("local", "{'type':'LoadBalancer','externalTrafficPolicy':'Local',"
        + "'ports':[{'port':80}]}", WRITE);
    int healthCheck = local.path("spec").path("healthCheckNodePort").asInt();
    assertThat(healthCheck).isBetween(30000, 32767).isNotEqualTo(nodePort(local, 0));
    assertThatThrownBy(() -> admit("other", "{'type':'NodePort','ports':[{'port':80,'nodePort':" + healthCheck
        + "}]}", WRITE)).hasMessageEndingWith("provided port is already allocated");
  }

  @Test
  void addressesOutsideTheRangeAreRefused() {
    assertThatThrownBy(() -> admit("a", "{'clusterIP':'10.0.0.0','ports':[{'port':80}]}", WRITE))
        .hasMessage("Service \"a\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.0\"}: failed to "
            + "allocate IP 10.0.0.0: the provided IP (10.0.0.0) is not in the valid range. The range of valid IPs "
            + "is 10.0.0.0/29");
    // the cluster IP was given before the node port was refused
    assertThatThrownBy(() -> admit("a", "{'type':'NodePort','clusterIP':'10.0.0.2',"
        + "'ports':[{'port':80,'nodePort':8080}]}", WRITE))
        .hasMessage("Service \"a\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not "
            + "in the valid range. The range of valid ports is 30000-32767");
    // nothing of a refused write is held
    assertThat(ip(admit("b", "{'clusterIP':'10.0.0.2','ports':[{'port':80}]}", WRITE))).isEqualTo("10.0.0.2");
  }

  @Test
  void nodePortsRunOutAndComeBackWhenTheirServiceGoes() {
    StringBuilder ports = new StringBuilder();
    for (int port = 30000; port <= 32767; port++) {
      ports.append(ports.length() == 0 ? "" : ",").append("{'name':'p").append(port).append("','port':").append(port)
          .append(",'nodePort':").append(port).append('}');
    }
    ObjectNode holder = service("holder", "{'type':'NodePort','clusterIP':'10.0.0.2','ports':[" + ports + "]}");
    stored.add(holder);

    ObjectNode failed = service("web", "{'type':'NodePort','ports':[{'port':80}]}");
    assertThatThrownBy(() -> allocator.admitCreate(ResourceTypes.SERVICES, failed, WRITE))
        .isInstanceOf(ApiException.class)
        .hasMessage("Internal error occurred: failed to allocate a nodePort: range is full");
    allocator.writeFinished(ResourceTypes.SERVICES, failed);

    // once the holder is gone every port is free again, and the failed write kept no address: five are free
    stored.remove(holder);
    ObjectNode web = admit("web", "{'type':'NodePort','ports':[{'port':80},{'port':81}]}", WRITE);
    assertThat(nodePort(web, 0)).isBetween(30000, 32767);
    assertThat(nodePort(web, 1)).isBetween(30000, 32767).isNotEqualTo(nodePort(web, 0));
    for (int i = 0; i < 4; i++) {
      admit("more" + i, "{'ports':[{'port':80}]}", WRITE);
    }
  }
}
