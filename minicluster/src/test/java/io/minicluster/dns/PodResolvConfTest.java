package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.dns.PodResolvConf.Option;
import io.minicluster.dns.PodResolvConf.PodDnsConfig;
import io.minicluster.dns.PodResolvConf.Warning;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodResolvConfTest {
  private static final ResolvConf HOST = new ResolvConf(List.of("192.0.2.53", "192.0.2.54"),
      List.of("corp.example", "cluster.local"), List.of("edns0", "timeout:2"));
  private static final List<String> CLUSTER_DNS = List.of("10.96.0.10");

  private static PodResolvConf build(DnsPolicy policy, boolean hostNetwork, PodDnsConfig dnsConfig) {
    return PodResolvConf.build(policy, hostNetwork, "shop", CLUSTER_DNS, "cluster.local", HOST, dnsConfig);
  }

  @Test
  void clusterFirstUsesTheClusterDnsAndTheClusterSearchPathThenTheHosts() {
    PodResolvConf conf = build(DnsPolicy.CLUSTER_FIRST, false, null);
    assertThat(conf.render()).isEqualTo("""
        search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
        nameserver 10.96.0.10
        options ndots:5
        """);
    assertThat(conf.warnings()).isEmpty();
    assertThat(PodResolvConf.build(null, false, "shop", CLUSTER_DNS, "cluster.local", HOST, null))
        .isEqualTo(conf);
  }

  @Test
  void clusterFirstOnTheHostNetworkIsDefaultButClusterFirstWithHostNetIsNot() {
    assertThat(build(DnsPolicy.CLUSTER_FIRST, true, null).render()).isEqualTo("""
        search corp.example cluster.local
        nameserver 192.0.2.53
        nameserver 192.0.2.54
        options edns0 timeout:2
        """);
    assertThat(build(DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET, true, null).nameservers()).isEqualTo(CLUSTER_DNS);
    assertThat(build(DnsPolicy.DEFAULT, false, null).nameservers()).isEqualTo(HOST.nameservers());
  }

  @Test
  void defaultWithoutAHostResolvConfIsLocalhost() {
    PodResolvConf conf = PodResolvConf.build(DnsPolicy.DEFAULT, false, "shop", CLUSTER_DNS, "cluster.local", null,
        null);
    assertThat(conf.render()).isEqualTo("search .\nnameserver 127.0.0.1\n");
  }

  @Test
  void withoutAClusterDnsClusterFirstFallsBackToDefaultWithAWarning() {
    PodResolvConf conf = PodResolvConf.build(DnsPolicy.CLUSTER_FIRST, false, "shop", List.of(), "cluster.local",
        HOST, null);
    assertThat(conf.nameservers()).isEqualTo(HOST.nameservers());
    assertThat(conf.warnings()).extracting(Warning::reason).containsExactly("MissingClusterDNS");
  }

  @Test
  void noneIsOnlyThePodsDnsConfig() {
    PodResolvConf conf = build(DnsPolicy.NONE, false, new PodDnsConfig(List.of("192.0.2.99"),
        List.of("my.example"), List.of(new Option("ndots", "2"), new Option("edns0", null))));
    assertThat(conf.render()).isEqualTo("search my.example\nnameserver 192.0.2.99\noptions ndots:2 edns0\n");
    assertThat(build(DnsPolicy.NONE, false, null).render()).isEmpty();
  }

  @Test
  void dnsConfigIsAppendedWithoutDuplicatesAndItsOptionsWin() {
    PodResolvConf conf = build(DnsPolicy.CLUSTER_FIRST, false, new PodDnsConfig(List.of("10.96.0.10", "192.0.2.9"),
        List.of("svc.cluster.local", "extra.example"), List.of(new Option("ndots", "1"), new Option("rotate",
        null))));
    assertThat(conf.nameservers()).containsExactly("10.96.0.10", "192.0.2.9");
    assertThat(conf.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
        "corp.example", "extra.example");
    assertThat(conf.options()).containsExactly("ndots:1", "rotate");
  }

  @Test
  void limitsCutNameserversAndSearchesWithWarnings() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add("d" + i + ".example");
    }
    many.add("x".repeat(254));
    PodResolvConf conf = build(DnsPolicy.CLUSTER_FIRST, false, new PodDnsConfig(List.of("192.0.2.1", "192.0.2.2",
        "192.0.2.3"), many, List.of()));
    assertThat(conf.nameservers()).containsExactly("10.96.0.10", "192.0.2.1", "192.0.2.2");
    assertThat(conf.searches()).hasSize(32).startsWith("shop.svc.cluster.local");
    assertThat(conf.warnings()).extracting(Warning::message).containsExactly(
        "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: "
            + "10.96.0.10 192.0.2.1 192.0.2.2",
        "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: "
            + String.join(" ", conf.searches()));

    List<String> longOnes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      longOnes.add(i + "y".repeat(200));
    }
    PodResolvConf tooLong = build(DnsPolicy.NONE, false, new PodDnsConfig(List.of(), longOnes, List.of()));
    assertThat(String.join(" ", tooLong.searches()).length()).isLessThanOrEqualTo(2048);
    assertThat(tooLong.searches()).hasSize(10);
  }
}
