package io.minicluster.api.discovery;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.core.ObjectReference;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceTest {

  @Test
  void decodesTheStoredSlice() {
    EndpointSlice slice = EndpointSlice.from(fixture("discovery/endpointslice.json"));

    assertThat(slice.metadata().labels()).containsEntry("kubernetes.io/service-name", "web");
    assertThat(slice.addressType()).isEqualTo("IPv4");
    assertThat(slice.endpoints().get(0)).isEqualTo(new Endpoint(List.of("10.88.0.5"),
        new EndpointConditions(true, true, false), null,
        new ObjectReference("Pod", "default", "web-7d4b9c8f6-x2k9p", "0b3c1a52-6f7e-4a3b-8c0d-1e2f3a4b5c6d", "", "",
            ""),
        "minicluster", null, new EndpointHints(List.of(new ForZone("zone-a")), List.of())));
    assertThat(slice.endpoints().get(1).conditions()).isEqualTo(new EndpointConditions(false, null, null));
    assertThat(slice.endpoints().get(1).targetRef()).isNull();
    assertThat(slice.ports()).containsExactly(new EndpointPort("http", "TCP", 80, "http"));
    assertThat(assertDeeplyImmutable(slice)).isGreaterThan(3);
  }

  @Test
  void unsetPortFieldsAreNull() {
    EndpointSlice slice = EndpointSlice.from(Json.parseObject("{\"ports\":[{}],\"endpoints\":[{}]}"));

    assertThat(slice.ports()).containsExactly(new EndpointPort(null, null, null, null));
    assertThat(slice.endpoints().get(0).conditions()).isEqualTo(new EndpointConditions(null, null, null));
    assertThat(slice.endpoints().get(0).addresses()).isEmpty();
    assertThat(slice.addressType()).isEmpty();
  }
}
