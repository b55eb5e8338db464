package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {
  @TempDir
  Path dir;

  @Test
  void readsAsTheKubeletReads() {
    ResolvConf conf = ResolvConf.parse("""
        # comment
        nameserver 192.0.2.1
        search first.example
        nameserver fd00::53
          options ndots:2 edns0
        search corp.example. lab.example
        nameserver
        domain ignored.example
        options timeout:1
        """);
    assertThat(conf.nameservers()).containsExactly("192.0.2.1", "fd00::53");
    assertThat(conf.searches()).containsExactly("corp.example", "lab.example");
    assertThat(conf.options()).containsExactly("timeout:1");
    assertThat(conf.upstreams()).containsExactly(new InetSocketAddress(IpAddresses.parse("192.0.2.1"), 53),
        new InetSocketAddress(IpAddresses.parse("fd00::53"), 53));
  }

  @Test
  void nameserversThatAreNotAddressesAreNoUpstreams() {
    assertThat(ResolvConf.parse("nameserver dns.example\nnameserver 192.0.2.1\n").upstreams())
        .containsExactly(new InetSocketAddress(IpAddresses.parse("192.0.2.1"), 53));
  }

  @Test
  void behindSystemdResolvedsStubTheUpstreamsAreWhatItForwardsTo() throws Exception {
    Path stub = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\noptions edns0 trust-ad\n"
        + "search home.example\n");
    Path real = Files.writeString(dir.resolve("systemd-resolv.conf"), "nameserver 192.0.2.53\n"
        + "nameserver 192.0.2.54\nsearch home.example\n");
    ResolvConf host = ResolvConf.host(stub, real);
    assertThat(host.nameservers()).containsExactly("192.0.2.53", "192.0.2.54");
    assertThat(host.searches()).containsExactly("home.example");
  }

  @Test
  void theStubStaysWhenSystemdResolvedsFileIsMissingOrEmptyOrOtherServersAreListed() throws Exception {
    Path stub = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
    assertThat(ResolvConf.host(stub, dir.resolve("missing")).nameservers()).containsExactly("127.0.0.53");
    Path empty = Files.writeString(dir.resolve("empty"), "# no servers\n");
    assertThat(ResolvConf.host(stub, empty).nameservers()).containsExactly("127.0.0.53");
    Path mixed = Files.writeString(dir.resolve("mixed"), "nameserver 127.0.0.53\nnameserver 192.0.2.1\n");
    Path real = Files.writeString(dir.resolve("real"), "nameserver 192.0.2.53\n");
    assertThat(ResolvConf.host(mixed, real).nameservers()).containsExactly("127.0.0.53", "192.0.2.1");
    assertThat(ResolvConf.host(Files.writeString(dir.resolve("plain"), "nameserver 192.0.2.9\n"), real)
        .nameservers()).isEqualTo(List.of("192.0.2.9"));
  }

  @Test
  void podsNeverGetANameserverOnTheHostsLoopback() {
    ResolvConf mixed = ResolvConf.parse("nameserver 127.0.0.1\nnameserver 192.0.2.1\nnameserver ::1\nsearch lan\n");
    assertThat(mixed.forPods(List.of("10.96.0.10")).nameservers()).containsExactly("192.0.2.1");
    ResolvConf stub = ResolvConf.parse("nameserver 127.0.0.53\nsearch lan\noptions edns0\n");
    assertThat(stub.forPods(List.of("10.96.0.10")))
        .isEqualTo(new ResolvConf(List.of("10.96.0.10"), List.of("lan"), List.of("edns0")));
    ResolvConf plain = ResolvConf.parse("nameserver 192.0.2.1\n");
    assertThat(plain.forPods(List.of("10.96.0.10"))).isSameAs(plain);
  }
}
