package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.example;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.meta.IntOrString;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTest {

  @Test
  void decodesWhatTheServiceProxyAndEndpointsControllersRead() {
    Service service = Service.from(fixture("core/service.json"));
    ServiceSpec spec = service.spec();

    assertThat(spec.type()).isEqualTo("NodePort");
    assertThat(spec.selector()).isEqualTo(Map.of("app", "web"));
    assertThat(spec.clusterIP()).isEqualTo("10.96.0.42");
    assertThat(spec.clusterIPs()).containsExactly("10.96.0.42");
    assertThat(spec.isHeadless()).isFalse();
    assertThat(spec.ports()).containsExactly(
        new ServicePort("http", "TCP", "http", 80, IntOrString.of("http"), 30080),
        new ServicePort("metrics", "UDP", null, 9113, IntOrString.of(9113), 30913));
    assertThat(spec.externalIPs()).containsExactly("192.0.2.10");
    assertThat(spec.sessionAffinity()).isEqualTo("ClientIP");
    assertThat(spec.sessionAffinityConfig().clientIP().timeoutSeconds()).isEqualTo(10800);
    assertThat(spec.externalTrafficPolicy()).isEqualTo("Local");
    assertThat(spec.internalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(spec.healthCheckNodePort()).isEqualTo(31000);
    assertThat(spec.publishNotReadyAddresses()).isTrue();
    assertThat(spec.ipFamilies()).containsExactly("IPv4");
    assertThat(spec.ipFamilyPolicy()).isEqualTo("SingleStack");
    assertThat(spec.externalName()).isEmpty();
    assertThat(spec.allocateLoadBalancerNodePorts()).isNull();
    assertThat(service.status().loadBalancer().ingress()).containsExactly(
        new LoadBalancerIngress("192.0.2.10", "", "VIP", List.of(new PortStatus(80, "TCP", null))));
    assertThat(assertDeeplyImmutable(service)).isGreaterThan(5);
  }

  @Test
  void headlessAndExternalNameServices() {
    ServiceSpec headless = Service.from(Json.parseObject("{\"spec\":{\"clusterIP\":\"None\"}}")).spec();
    ServiceSpec external = Service.from(Json.parseObject(
        "{\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}}")).spec();

    assertThat(headless.isHeadless()).isTrue();
    assertThat(headless.selector()).isEmpty();
    assertThat(headless.sessionAffinityConfig()).isNull();
    assertThat(external.externalName()).isEqualTo("db.example.com");
    assertThat(external.ports()).isEmpty();
  }

  @Test
  void decodesTheMongoExample() {
    Service service = Service.from(example("mongo-service"));

    assertThat(service.spec().ports()).hasSize(1);
    assertThat(service.spec().ports().get(0).port()).isEqualTo(27017);
    assertThat(service.spec().selector()).isNotEmpty();
  }
}
