package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void decodesSubsets() {
    Endpoints endpoints = Endpoints.from(fixture("core/endpoints.json"));

    assertThat(endpoints.metadata().name()).isEqualTo("web");
    EndpointSubset subset = endpoints.subsets().get(0);
    assertThat(subset.addresses()).containsExactly(new EndpointAddress("10.88.0.5", "web-0", "minicluster",
        new ObjectReference("Pod", "default", "web-7d4b9c8f6-x2k9p", "0b3c1a52-6f7e-4a3b-8c0d-1e2f3a4b5c6d", "", "",
            "")));
    assertThat(subset.notReadyAddresses()).containsExactly(new EndpointAddress("10.88.0.6", "", null, null));
    assertThat(subset.ports()).containsExactly(new EndpointPort("http", 80, "TCP", "http"));
    assertThat(assertDeeplyImmutable(endpoints)).isGreaterThan(3);
  }

  @Test
  void noSubsets() {
    assertThat(Endpoints.from(Json.parseObject("{\"metadata\":{\"name\":\"a\"}}")).subsets()).isEmpty();
  }
}
