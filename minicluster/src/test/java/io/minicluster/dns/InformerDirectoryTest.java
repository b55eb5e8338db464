package io.minicluster.dns;

import static io.minicluster.testing.ScriptedListWatch.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.SharedInformers;
import io.minicluster.testing.ScriptedListWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The directory over shared informers fed by a scripted API, asked through the cluster zone as the server asks. */
class InformerDirectoryTest {
  private final ScriptedListWatch api = new ScriptedListWatch();
  private final SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10));
  private InformerDirectory directory;
  private ClusterZone zone;

  @BeforeEach
  void setUp() {
    for (String namespace : List.of("default", "kube-system")) {
      api.put(ResourceTypes.NAMESPACES, object(null, namespace, "{}"));
    }
    api.put(ResourceTypes.SERVICES, object("default", "web", """
        {"spec":{"type":"ClusterIP","clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],
         "ports":[{"name":"http","port":80,"protocol":"TCP"}]}}"""));
    api.put(ResourceTypes.ENDPOINT_SLICES, slice("web-x1", "web", """
        [{"addresses":["10.244.0.9"],"conditions":{"ready":true},
          "targetRef":{"kind":"Pod","namespace":"default","name":"web-1"}}]""", "http", 8080));
    api.put(ResourceTypes.SERVICES, object("default", "db", """
        {"spec":{"clusterIP":"None","clusterIPs":["None"],"ports":[{"name":"mongo","port":27017}]}}"""));
    api.put(ResourceTypes.ENDPOINT_SLICES, slice("db-x1", "db", """
        [{"addresses":["10.244.0.5"],"conditions":{"ready":true},
          "targetRef":{"kind":"Pod","namespace":"default","name":"db-0"}},
         {"addresses":["10.244.0.6"],"conditions":{"ready":true},
          "targetRef":{"kind":"Pod","namespace":"default","name":"db-1"}},
         {"addresses":["10.244.0.7"],"conditions":{"ready":false},
          "targetRef":{"kind":"Pod","namespace":"default","name":"db-2"}}]""", "mongo", 27017));
    api.put(ResourceTypes.PODS, pod("db-0", "10.244.0.5", "{\"hostname\":\"db-0\",\"subdomain\":\"db\"}"));
    api.put(ResourceTypes.PODS, pod("db-1", "10.244.0.6", "{\"hostname\":\"db-1\",\"subdomain\":\"other\"}"));
    api.put(ResourceTypes.PODS, pod("db-2", "10.244.0.7", "{}"));
    api.put(ResourceTypes.PODS, pod("lonely", "10.244.3.3", "{}"));
    api.put(ResourceTypes.PODS, pod("on-host", "192.168.1.10", "{\"hostNetwork\":true}"));
    api.put(ResourceTypes.SERVICES, object("default", "warm", """
        {"spec":{"clusterIP":"None","publishNotReadyAddresses":true}}"""));
    api.put(ResourceTypes.ENDPOINT_SLICES, slice("warm-x1", "warm", """
        [{"addresses":["10.244.1.7"],"conditions":{"ready":false}}]""", null, 0));
    api.put(ResourceTypes.SERVICES, object("default", "ext", """
        {"spec":{"type":"ExternalName","externalName":"www.example.com"}}"""));
    directory = new InformerDirectory(informers, Clock.systemUTC());
    zone = new ClusterZone("cluster.local", 5, PodMode.INSECURE, List.of(IpAddresses.parse("10.96.0.10")),
        directory);
  }

  @AfterEach
  void tearDown() {
    informers.close();
  }

  private static ObjectNode slice(String name, String service,
      String endpoints, String portName, int port) {
    String ports = portName == null ? "[]"
        : "[{\"name\":\"" + portName + "\",\"port\":" + port + ",\"protocol\":\"TCP\"}]";
    ObjectNode slice = object("default", name, "{\"addressType\":\"IPv4\",\"endpoints\":" + endpoints
        + ",\"ports\":" + ports + "}");
    ((ObjectNode) slice.get("metadata")).putObject("labels").put("kubernetes.io/service-name", service);
    return slice;
  }

  private static ObjectNode pod(String name, String ip, String spec) {
    return object("default", name, "{\"spec\":" + spec + ",\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip
        + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}]}}");
  }

  private void startAndSync() throws InterruptedException {
    assertThat(directory.synced()).isFalse();
    directory.start();
    waitUntil("the directory's informers to sync", directory::synced);
  }

  private List<String> ask(String name, int type) {
    ZoneAnswer answer = zone.answer(new Question(name, type, RecordTypes.CLASS_IN));
    return answer.rcode() == RecordTypes.NXDOMAIN ? List.of("NXDOMAIN") : RecordText.of(answer.answers());
  }

  private List<String> reverse(String name) {
    return zone.reverse(new Question(name, RecordTypes.PTR, RecordTypes.CLASS_IN)).map(ZoneAnswer::answers)
        .map(RecordText::of).orElse(List.of("upstream"));
  }

  private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      Thread.sleep(10);
    }
  }

  @Test
  void servicesAnswerTheirClusterIpsAndHeadlessServicesTheirReadyEndpoints() throws Exception {
    startAndSync();
    assertThat(ask("web.default.svc.cluster.local", RecordTypes.A))
        .containsExactly("web.default.svc.cluster.local. 5 A 10.96.0.20");
    assertThat(ask("db.default.svc.cluster.local", RecordTypes.A)).containsExactlyInAnyOrder(
        "db.default.svc.cluster.local. 5 A 10.244.0.5", "db.default.svc.cluster.local. 5 A 10.244.0.6");
    assertThat(ask("warm.default.svc.cluster.local", RecordTypes.A))
        .containsExactly("warm.default.svc.cluster.local. 5 A 10.244.1.7");
    assertThat(ask("nope.default.svc.cluster.local", RecordTypes.A)).containsExactly("NXDOMAIN");
    assertThat(ask("web.nowhere.svc.cluster.local", RecordTypes.A)).containsExactly("NXDOMAIN");
    assertThat(ask("ext.default.svc.cluster.local", RecordTypes.CNAME))
        .containsExactly("ext.default.svc.cluster.local. 5 CNAME www.example.com.");
  }

  @Test
  void namedPortsAnswerSrvAndPodsWithTheirServicesSubdomainHaveHostnames() throws Exception {
    startAndSync();
    assertThat(ask("_http._tcp.web.default.svc.cluster.local", RecordTypes.SRV))
        .containsExactly("_http._tcp.web.default.svc.cluster.local. 5 SRV 0 100 80 web.default.svc.cluster.local.");
    // db-0's subdomain is the service: its hostname; db-1's is another: its dashed IP
    assertThat(ask("_mongo._tcp.db.default.svc.cluster.local", RecordTypes.SRV)).containsExactlyInAnyOrder(
        "_mongo._tcp.db.default.svc.cluster.local. 5 SRV 0 50 27017 db-0.db.default.svc.cluster.local.",
        "_mongo._tcp.db.default.svc.cluster.local. 5 SRV 0 50 27017 10-244-0-6.db.default.svc.cluster.local.");
    assertThat(ask("db-0.db.default.svc.cluster.local", RecordTypes.A))
        .containsExactly("db-0.db.default.svc.cluster.local. 5 A 10.244.0.5");
    assertThat(ask("db-1.db.default.svc.cluster.local", RecordTypes.A)).containsExactly("NXDOMAIN");
    assertThat(ask("10-244-3-3.default.pod.cluster.local", RecordTypes.A))
        .containsExactly("10-244-3-3.default.pod.cluster.local. 5 A 10.244.3.3");
  }

  @Test
  void reverseNamesOfClusterIpsEndpointsAndPodsButNotOfHostNetworkPods() throws Exception {
    startAndSync();
    assertThat(reverse("20.0.96.10.in-addr.arpa"))
        .containsExactly("20.0.96.10.in-addr.arpa. 5 PTR web.default.svc.cluster.local.");
    assertThat(reverse("5.0.244.10.in-addr.arpa"))
        .containsExactly("5.0.244.10.in-addr.arpa. 5 PTR db-0.db.default.svc.cluster.local.");
    assertThat(reverse("3.3.244.10.in-addr.arpa"))
        .containsExactly("3.3.244.10.in-addr.arpa. 5 PTR 10-244-3-3.default.pod.cluster.local.");
    assertThat(reverse("10.1.168.192.in-addr.arpa")).containsExactly("upstream");
  }

  @Test
  void changesOfServicesSlicesAndPodsReachTheIndexes() throws Exception {
    startAndSync();
    Instant before = directory.lastModified();
    api.put(ResourceTypes.ENDPOINT_SLICES, slice("db-x1", "db", """
        [{"addresses":["10.244.0.8"],"conditions":{"ready":true}}]""", "mongo", 27017));
    waitUntil("the new endpoint", () -> ask("db.default.svc.cluster.local", RecordTypes.A).size() == 1);
    assertThat(ask("db.default.svc.cluster.local", RecordTypes.A))
        .containsExactly("db.default.svc.cluster.local. 5 A 10.244.0.8");
    assertThat(reverse("5.0.244.10.in-addr.arpa"))
        .containsExactly("5.0.244.10.in-addr.arpa. 5 PTR 10-244-0-5.default.pod.cluster.local.");
    assertThat(directory.lastModified()).isAfterOrEqualTo(before);

    api.put(ResourceTypes.SERVICES, object("default", "web", """
        {"spec":{"type":"ClusterIP","clusterIP":"10.96.0.30","clusterIPs":["10.96.0.30"]}}"""));
    waitUntil("the new cluster IP", () -> reverse("20.0.96.10.in-addr.arpa").equals(List.of("upstream")));
    assertThat(reverse("30.0.96.10.in-addr.arpa"))
        .containsExactly("30.0.96.10.in-addr.arpa. 5 PTR web.default.svc.cluster.local.");

    api.delete(ResourceTypes.PODS, "default", "lonely");
    waitUntil("the deleted pod's PTR to go upstream",
        () -> reverse("3.3.244.10.in-addr.arpa").equals(List.of("upstream")));
    api.delete(ResourceTypes.ENDPOINT_SLICES, "default", "db-x1");
    // a headless service without endpoints has no name (NXDOMAIN, as CoreDNS answers)
    waitUntil("the deleted slice",
        () -> ask("db.default.svc.cluster.local", RecordTypes.A).equals(List.of("NXDOMAIN")));
    assertThat(directory.endpoints("default", "db")).isEmpty();
    api.delete(ResourceTypes.SERVICES, "default", "web");
    waitUntil("the deleted service", () -> directory.service("default", "web").isEmpty());
    assertThat(ask("web.default.svc.cluster.local", RecordTypes.A)).containsExactly("NXDOMAIN");
    assertThat(reverse("30.0.96.10.in-addr.arpa")).containsExactly("upstream");
  }
}
