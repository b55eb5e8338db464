package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A server that cannot bind (the daemon tries again until the pod network's address exists) leaves no threads. */
class DnsServerStartTest {
  private static long dnsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("dns-")).count();
  }

  @Test
  void aFailedBindStopsTheServersEventLoops() throws Exception {
    long before = dnsThreads();
    // TEST-NET-1 is no address of this machine: the bind fails as it does before the bridge exists
    DnsServerConfig config = DnsServerConfig.defaults(IpAddresses.parse("192.0.2.1"), 0, List.of(), List.of());
    for (int attempt = 0; attempt < 5; attempt++) {
      assertThatThrownBy(() -> DnsServer.start(config, new InMemoryDirectory())).isInstanceOf(BindException.class);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (dnsThreads() > before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(dnsThreads()).isLessThanOrEqualTo(before);
  }
}
