package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the daemon's cluster DNS forwards: the setting, else the host's resolvers, never back to itself. */
class ClusterDnsTest {
  @TempDir
  Path directory;

  @Test
  void configuredUpstreamsWinAndTheClusterDnsAddressIsNeverOne() throws IOException {
    Path host = Files.writeString(directory.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    assertThat(ClusterDns.upstreams(List.of("127.0.0.1:5353", "[::1]:53", "10.96.0.10", "10.96.0.10:5353"), host,
        directory.resolve("absent"), IpAddresses.parse("10.96.0.10"))).containsExactly(
            new InetSocketAddress(IpAddresses.parse("127.0.0.1"), 5353),
            new InetSocketAddress(IpAddresses.parse("::1"), 53),
            new InetSocketAddress(IpAddresses.parse("10.96.0.10"), 5353));
  }

  @Test
  void withoutASettingTheHostsResolversPastSystemdResolvedsStub() throws IOException {
    Path stub = Files.writeString(directory.resolve("resolv.conf"), "nameserver 127.0.0.53\noptions edns0\n");
    Path real = Files.writeString(directory.resolve("real.conf"), "nameserver 192.0.2.1\nnameserver 10.96.0.10\n");
    assertThat(ClusterDns.upstreams(List.of(), stub, real, IpAddresses.parse("10.96.0.10")))
        .containsExactly(new InetSocketAddress(IpAddresses.parse("192.0.2.1"), 53));
    assertThat(ClusterDns.upstreams(List.of(), directory.resolve("missing"), real, IpAddresses.parse("10.96.0.10")))
        .isEmpty();
  }

  @Test
  void anUpstreamIsAnAddressWithAnOptionalPort() {
    assertThat(ResolvConf.upstream("fd00::53")).isEqualTo(new InetSocketAddress(IpAddresses.parse("fd00::53"), 53));
    assertThat(ResolvConf.upstream("[fd00::53]:5300"))
        .isEqualTo(new InetSocketAddress(IpAddresses.parse("fd00::53"), 5300));
    assertThatThrownBy(() -> ResolvConf.upstream("dns.example:53")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"dns.example:53\" is not an IP address with an optional port: use e.g. 192.0.2.53, "
            + "127.0.0.1:5353 or [fd00::53]:5353");
    assertThatThrownBy(() -> ResolvConf.upstream("127.0.0.1:0")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"127.0.0.1:0\" has no valid port: use 1-65535");
  }
}
