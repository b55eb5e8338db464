package io.minicluster.dns;

import static io.minicluster.dns.InMemoryDirectory.notReady;
import static io.minicluster.dns.InMemoryDirectory.port;
import static io.minicluster.dns.InMemoryDirectory.ready;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterZoneTest {
  private static final String SOA = "cluster.local. 5 SOA ns.dns.cluster.local. hostmaster.cluster.local. ";

  private final InMemoryDirectory directory = new InMemoryDirectory()
      .clusterIp("default", "web", List.of("10.96.0.20"), port("http", 80, "TCP"), port("", 8080, "TCP"))
      .clusterIp("default", "dual", List.of("10.96.0.21", "fd00:96::21"), port("dns", 53, "UDP"))
      .headless("default", "db", false, port("mongo", 27017, "TCP"))
      .endpoints("default", "db", List.of(port("mongo", 27017, "TCP")),
          ready("10.244.0.5", "db-0"), ready("10.244.0.6", ""), notReady("10.244.0.7", "db-2"))
      .headless("default", "empty", false)
      .headless("default", "warm", true)
      .endpoints("default", "warm", List.of(), notReady("10.244.1.7", "warm-0"))
      .endpoints("default", "web", List.of(port("http", 8080, "TCP")), ready("10.244.0.9", "web-a"))
      .externalName("default", "ext", "www.example.com")
      .externalName("default", "alias", "web.default.svc.cluster.local")
      .externalName("default", "byip", "192.0.2.1")
      .pod("default", "db-0", "10.244.0.5")
      .pod("default", "lonely", "10.244.3.3");

  private final ClusterZone zone = zone(PodMode.INSECURE);

  private ClusterZone zone(PodMode mode) {
    return new ClusterZone("cluster.local", 5, mode, List.of(IpAddresses.parse("10.96.0.10")), directory);
  }

  private ZoneAnswer ask(String name, int type) {
    return zone.answer(new Question(name, type, RecordTypes.CLASS_IN));
  }

  private static List<String> answers(ZoneAnswer answer) {
    assertThat(answer.rcode()).isEqualTo(RecordTypes.NOERROR);
    return RecordText.of(answer.answers());
  }

  private static void assertNxdomain(ZoneAnswer answer) {
    assertThat(answer.rcode()).isEqualTo(RecordTypes.NXDOMAIN);
    assertThat(answer.answers()).isEmpty();
    assertThat(RecordText.of(answer.authority())).singleElement().asString().startsWith(SOA).endsWith(" 5");
  }

  private static void assertNodata(ZoneAnswer answer) {
    assertThat(answer.rcode()).isEqualTo(RecordTypes.NOERROR);
    assertThat(answer.answers()).isEmpty();
    assertThat(RecordText.of(answer.authority())).singleElement().asString().startsWith(SOA).endsWith(" 5");
  }

  @Test
  void clusterIpServiceAnswersItsClusterIps() {
    assertThat(answers(ask("web.default.svc.cluster.local", RecordTypes.A)))
        .containsExactly("web.default.svc.cluster.local. 5 A 10.96.0.20");
    assertThat(answers(ask("dual.default.svc.cluster.local.", RecordTypes.AAAA)))
        .containsExactly("dual.default.svc.cluster.local. 5 AAAA fd00:96::21");
    assertNodata(ask("web.default.svc.cluster.local", RecordTypes.AAAA));
  }

  @Test
  void namesCompareCaseInsensitivelyAndAnswerInTheQuestionsCase() {
    assertThat(answers(ask("WEB.Default.SVC.cluster.LOCAL", RecordTypes.A)))
        .containsExactly("WEB.Default.SVC.cluster.LOCAL. 5 A 10.96.0.20");
  }

  @Test
  void missingNamesAreNxdomainAndExistingNamesWithoutTheTypeNodata() {
    assertNxdomain(ask("nope.default.svc.cluster.local", RecordTypes.A));
    assertNxdomain(ask("web.nonamespace.svc.cluster.local", RecordTypes.A));
    assertNxdomain(ask("web.cluster.local", RecordTypes.A));
    assertNxdomain(ask("a.b._http._tcp.web.default.svc.cluster.local", RecordTypes.A));
    assertNodata(ask("default.svc.cluster.local", RecordTypes.A));
    assertNodata(ask("svc.cluster.local", RecordTypes.A));
    assertNodata(ask("cluster.local", RecordTypes.A));
    assertNodata(ask("web.default.svc.cluster.local", RecordTypes.MX));
    assertNodata(ask("web.default.svc.cluster.local", 13));
    assertNxdomain(ask("nope.default.svc.cluster.local", 13));
    // CoreDNS answers SOA questions below the apex with NODATA, whatever the name
    assertNodata(ask("nope.default.svc.cluster.local", RecordTypes.SOA));
  }

  @Test
  void beforeTheCachesSyncAMissingNameIsServfail() {
    directory.synced(false);
    assertThat(ask("nope.default.svc.cluster.local", RecordTypes.A).rcode()).isEqualTo(RecordTypes.SERVFAIL);
    assertThat(answers(ask("web.default.svc.cluster.local", RecordTypes.A))).hasSize(1);
  }

  @Test
  void headlessServiceAnswersItsReadyEndpoints() {
    assertThat(answers(ask("db.default.svc.cluster.local", RecordTypes.A))).containsExactly(
        "db.default.svc.cluster.local. 5 A 10.244.0.5", "db.default.svc.cluster.local. 5 A 10.244.0.6");
    assertThat(answers(ask("db-0.db.default.svc.cluster.local", RecordTypes.A)))
        .containsExactly("db-0.db.default.svc.cluster.local. 5 A 10.244.0.5");
    assertThat(answers(ask("10-244-0-6.db.default.svc.cluster.local", RecordTypes.A)))
        .containsExactly("10-244-0-6.db.default.svc.cluster.local. 5 A 10.244.0.6");
    assertNxdomain(ask("db-2.db.default.svc.cluster.local", RecordTypes.A));
    assertNxdomain(ask("empty.default.svc.cluster.local", RecordTypes.A));
  }

  @Test
  void publishNotReadyAddressesAnswersNotReadyEndpoints() {
    assertThat(answers(ask("warm.default.svc.cluster.local", RecordTypes.A)))
        .containsExactly("warm.default.svc.cluster.local. 5 A 10.244.1.7");
    assertThat(answers(ask("warm-0.warm.default.svc.cluster.local", RecordTypes.A))).hasSize(1);
    // an endpoint without ports has no SRV record, but exists
    assertNodata(ask("warm.default.svc.cluster.local", RecordTypes.SRV));
  }

  @Test
  void endpointHostnamesOfClusterIpServicesAnswerToo() {
    assertThat(answers(ask("web-a.web.default.svc.cluster.local", RecordTypes.A)))
        .containsExactly("web-a.web.default.svc.cluster.local. 5 A 10.244.0.9");
  }

  @Test
  void srvForNamedPortsOfAClusterIpService() {
    ZoneAnswer answer = ask("_http._tcp.web.default.svc.cluster.local", RecordTypes.SRV);
    assertThat(answers(answer)).containsExactly("_http._tcp.web.default.svc.cluster.local. 5 SRV 0 100 80 "
        + "web.default.svc.cluster.local.");
    assertThat(RecordText.of(answer.additional())).containsExactly("web.default.svc.cluster.local. 5 A 10.96.0.20");
    assertThat(answers(ask("_HTTP._TCP.web.default.svc.cluster.local", RecordTypes.SRV))).hasSize(1);
    assertNxdomain(ask("_http._udp.web.default.svc.cluster.local", RecordTypes.SRV));
    assertNxdomain(ask("_grpc._tcp.web.default.svc.cluster.local", RecordTypes.SRV));
    // without port and protocol labels: every port, the weight shared
    assertThat(answers(ask("web.default.svc.cluster.local", RecordTypes.SRV))).containsExactly(
        "web.default.svc.cluster.local. 5 SRV 0 50 80 web.default.svc.cluster.local.",
        "web.default.svc.cluster.local. 5 SRV 0 50 8080 web.default.svc.cluster.local.");
  }

  @Test
  void srvOfAHeadlessServiceNamesEachReadyEndpoint() {
    ZoneAnswer answer = ask("_mongo._tcp.db.default.svc.cluster.local", RecordTypes.SRV);
    assertThat(answers(answer)).containsExactly(
        "_mongo._tcp.db.default.svc.cluster.local. 5 SRV 0 50 27017 db-0.db.default.svc.cluster.local.",
        "_mongo._tcp.db.default.svc.cluster.local. 5 SRV 0 50 27017 10-244-0-6.db.default.svc.cluster.local.");
    assertThat(RecordText.of(answer.additional())).containsExactly(
        "db-0.db.default.svc.cluster.local. 5 A 10.244.0.5",
        "10-244-0-6.db.default.svc.cluster.local. 5 A 10.244.0.6");
  }

  @Test
  void externalNameIsACnameCompletedUpstream() {
    ZoneAnswer answer = ask("ext.default.svc.cluster.local", RecordTypes.A);
    assertThat(answers(answer)).containsExactly("ext.default.svc.cluster.local. 5 CNAME www.example.com.");
    assertThat(answer.chase()).isEqualTo(new ZoneAnswer.Chase("www.example.com", RecordTypes.A));
    assertThat(answers(ask("ext.default.svc.cluster.local", RecordTypes.CNAME)))
        .containsExactly("ext.default.svc.cluster.local. 5 CNAME www.example.com.");
    assertNodata(ask("ext.default.svc.cluster.local", RecordTypes.SRV));
    assertNxdomain(ask("_http._tcp.ext.default.svc.cluster.local", RecordTypes.SRV));
    // an ExternalName that is an IP is no CNAME
    assertNxdomain(ask("byip.default.svc.cluster.local", RecordTypes.A));
  }

  @Test
  void externalNameInsideTheZoneIsFollowedHere() {
    ZoneAnswer answer = ask("alias.default.svc.cluster.local", RecordTypes.A);
    assertThat(answers(answer)).containsExactly(
        "alias.default.svc.cluster.local. 5 CNAME web.default.svc.cluster.local.",
        "web.default.svc.cluster.local. 5 A 10.96.0.20");
    assertThat(answer.chase()).isNull();
  }

  @Test
  void podRecords() {
    assertThat(answers(ask("10-244-9-9.default.pod.cluster.local", RecordTypes.A)))
        .containsExactly("10-244-9-9.default.pod.cluster.local. 5 A 10.244.9.9");
    assertThat(answers(ask("fd00--9.default.pod.cluster.local", RecordTypes.AAAA)))
        .containsExactly("fd00--9.default.pod.cluster.local. 5 AAAA fd00::9");
    assertNxdomain(ask("10-244-9-999.default.pod.cluster.local", RecordTypes.A));
    assertNxdomain(ask("web.default.pod.cluster.local", RecordTypes.A));
    assertNxdomain(ask("10-244-9-9.nonamespace.pod.cluster.local", RecordTypes.A));
    assertNodata(ask("default.pod.cluster.local", RecordTypes.A));

    ClusterZone verified = zone(PodMode.VERIFIED);
    assertThat(verified.answer(new Question("10-244-3-3.default.pod.cluster.local", RecordTypes.A,
        RecordTypes.CLASS_IN)).answers()).hasSize(1);
    assertNxdomain(verified.answer(new Question("10-244-9-9.default.pod.cluster.local", RecordTypes.A,
        RecordTypes.CLASS_IN)));
    assertNxdomain(zone(PodMode.DISABLED).answer(new Question("10-244-3-3.default.pod.cluster.local",
        RecordTypes.A, RecordTypes.CLASS_IN)));
  }

  @Test
  void schemaVersionAndTxtElsewhere() {
    assertThat(answers(ask("dns-version.cluster.local", RecordTypes.TXT)))
        .containsExactly("dns-version.cluster.local. 28800 TXT \"1.1.0\"");
    assertNodata(ask("web.default.svc.cluster.local", RecordTypes.TXT));
    assertNxdomain(ask("nope.default.svc.cluster.local", RecordTypes.TXT));
  }

  @Test
  void apexSoaAndNs() {
    assertThat(answers(ask("cluster.local", RecordTypes.SOA))).singleElement().asString()
        .isEqualTo(SOA + directory.lastModified().getEpochSecond() + " 7200 1800 86400 5");
    ZoneAnswer ns = ask("cluster.local", RecordTypes.NS);
    assertThat(answers(ns)).containsExactly("cluster.local. 5 NS ns.dns.cluster.local.");
    assertThat(RecordText.of(ns.additional())).containsExactly("ns.dns.cluster.local. 5 A 10.96.0.10");
    assertThat(answers(ask("ns.dns.cluster.local", RecordTypes.A)))
        .containsExactly("ns.dns.cluster.local. 5 A 10.96.0.10");
    assertThat(ask("cluster.local", RecordTypes.AXFR).rcode()).isEqualTo(RecordTypes.REFUSED);
  }

  @Test
  void reverseNamesOfClusterIpsEndpointsAndPods() {
    assertThat(RecordText.of(reverse("20.0.96.10.in-addr.arpa")))
        .containsExactly("20.0.96.10.in-addr.arpa. 5 PTR web.default.svc.cluster.local.");
    assertThat(RecordText.of(reverse("5.0.244.10.in-addr.arpa")))
        .containsExactly("5.0.244.10.in-addr.arpa. 5 PTR db-0.db.default.svc.cluster.local.");
    assertThat(RecordText.of(reverse("6.0.244.10.in-addr.arpa")))
        .containsExactly("6.0.244.10.in-addr.arpa. 5 PTR 10-244-0-6.db.default.svc.cluster.local.");
    assertThat(RecordText.of(reverse("3.3.244.10.in-addr.arpa")))
        .containsExactly("3.3.244.10.in-addr.arpa. 5 PTR 10-244-3-3.default.pod.cluster.local.");
    String v6 = ReverseNames.of(IpAddresses.parse("fd00:96::21"));
    assertThat(RecordText.of(reverse(v6))).containsExactly(v6 + ". 5 PTR dual.default.svc.cluster.local.");
    // not the cluster's: the question goes upstream
    assertThat(zone.reverse(new Question("7.0.244.10.in-addr.arpa", RecordTypes.PTR, 1))).isEmpty();
    assertThat(zone.reverse(new Question("8.8.8.8.in-addr.arpa", RecordTypes.PTR, 1))).isEmpty();
    assertThat(zone.reverse(new Question("244.10.in-addr.arpa", RecordTypes.PTR, 1))).isEmpty();
    assertThat(zone.reverse(new Question("20.0.96.10.in-addr.arpa", RecordTypes.A, 1))).isEmpty();
  }

  private List<ResourceRecord> reverse(String name) {
    ZoneAnswer answer = zone.reverse(new Question(name, RecordTypes.PTR, RecordTypes.CLASS_IN)).orElseThrow();
    return answer.answers();
  }

  @Test
  void theClusterDomainIsConfigurable() {
    ClusterZone custom = new ClusterZone("Corp.Example.", 5, PodMode.INSECURE, List.of(), directory);
    assertThat(custom.contains("web.default.svc.corp.example")).isTrue();
    assertThat(custom.contains("web.default.svc.cluster.local")).isFalse();
    assertThat(RecordText.of(custom.answer(new Question("web.default.svc.corp.example", RecordTypes.A, 1))
        .answers())).containsExactly("web.default.svc.corp.example. 5 A 10.96.0.20");
    assertThat(RecordText.of(custom.reverse(new Question("20.0.96.10.in-addr.arpa", RecordTypes.PTR, 1))
        .orElseThrow().answers())).containsExactly("20.0.96.10.in-addr.arpa. 5 PTR web.default.svc.corp.example.");
  }
}
