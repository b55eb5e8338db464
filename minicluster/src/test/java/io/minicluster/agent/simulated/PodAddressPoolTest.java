package io.minicluster.agent.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.agent.runtime.Ipv4Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodAddressPoolTest {
  @Test
  void givesNeitherTheNetworkNorTheGatewayNorTheBroadcastAddress() {
    PodAddressPool pool = new PodAddressPool(Ipv4Cidr.parse("10.1.0.0/29"));
    List<String> given = new ArrayList<>();
    for (String address = pool.allocate(); !address.isEmpty(); address = pool.allocate()) {
      given.add(address);
    }

    assertThat(pool.capacity()).isEqualTo(5);
    assertThat(given).containsExactly("10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6");
    assertThat(pool.inUse()).isEqualTo(5);
  }

  @Test
  void aReleasedAddressComesBackOnlyAfterTheOthers() {
    PodAddressPool pool = new PodAddressPool(Ipv4Cidr.parse("10.1.0.0/29"));
    String first = pool.allocate();
    pool.allocate();
    pool.release(first);

    assertThat(pool.allocate()).isEqualTo("10.1.0.4");
    assertThat(pool.allocate()).isEqualTo("10.1.0.5");
    assertThat(pool.allocate()).isEqualTo("10.1.0.6");
    assertThat(pool.allocate()).isEqualTo(first);
    assertThat(pool.allocate()).isEmpty();
  }

  @Test
  void reservesAnAddressOnlyOnceAndOnlyOfItsNetwork() {
    PodAddressPool pool = new PodAddressPool(Ipv4Cidr.parse("10.1.0.0/29"));

    assertThat(pool.reserve("10.1.0.3")).isTrue();
    assertThat(pool.reserve("10.1.0.3")).isFalse();
    assertThat(pool.reserve("10.1.0.1")).isFalse();
    assertThat(pool.reserve("10.1.0.7")).isFalse();
    assertThat(pool.reserve("10.2.0.3")).isFalse();
    assertThat(pool.reserve("fd00::3")).isFalse();
    assertThat(pool.reserve("")).isFalse();
    assertThat(pool.allocate()).isEqualTo("10.1.0.2");
    assertThat(pool.allocate()).isEqualTo("10.1.0.4");
  }
}
